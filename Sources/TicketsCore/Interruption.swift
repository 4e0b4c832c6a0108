import Glibc

/// What a run undoes when an interrupting signal (Ctrl-C's SIGINT, SIGTERM as `timeout`
/// and CI runners send it, SIGHUP) ends it, before it dies of that signal as it would
/// have: its work files (`TemporaryFiles`) are removed, and the process group of a child
/// it is still waiting for (`killOnInterrupt(group:)`) is killed.
///
/// Why the child: a mail program takes a message at the end of its input, and the end
/// of a pipe whose writer died is an end like any other. Killed first, it never reads
/// that end, so an email cut short (or one never written: `open` starts its `sendmail`
/// before its transaction) is not sent. One killed while it sends leaves its email
/// claimed by a dead process, which `tickets notify` takes over.
///
/// The handler may only call async-signal-safe functions (kill, unlink, signal, raise),
/// so everything it reads is in fixed storage.
public enum Interruption {
    /// The process group to kill on an interrupting signal, 0 for none. One at a time:
    /// a run talks to one mail program at a time (`Sendmail`).
    nonisolated(unsafe) private static var group: pid_t = 0
    nonisolated(unsafe) private static var installed = false

    /// Kills process group `pgid` (SIGKILL) if an interrupting signal comes before
    /// `forget(group:)`.
    public static func killOnInterrupt(group pgid: pid_t) {
        install()
        group = pgid
    }

    /// Stops watching `pgid`: the child has been reaped.
    public static func forget(group pgid: pid_t) {
        if group == pgid { group = 0 }
    }

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP, once.
    static func install() {
        if installed { return }
        installed = true
        // Statics are initialised on first use, which allocates: done here, so the
        // handler only reads storage that already exists.
        group = 0
        TemporaryFiles.prepareForSignals()
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            // A signal ignored when we started stays ignored (`nohup tickets import ...`,
            // a background job of a script), as every well-behaved program leaves it.
            var current = sigaction()
            sigaction(sig, nil, &current)
            if let handler = current.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == 1 { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                if Interruption.group > 0 { kill(-Interruption.group, SIGKILL) }
                TemporaryFiles.unlinkAll()
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
    }
}
