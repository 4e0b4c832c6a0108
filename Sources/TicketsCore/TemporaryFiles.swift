import Glibc

/// Work files of this run (the import's stage, a database being built) that must not
/// outlive it: removed by the code that made them, and by `TemporaryFiles.install`'s
/// signal handler when the run is interrupted (Ctrl-C, SIGTERM, SIGHUP), which then dies
/// of the same signal as it would have.
///
/// The handler may only call async-signal-safe functions, so the paths are kept as
/// C strings in a fixed table that it reads without allocating.
public enum TemporaryFiles {
    private static let capacity = 8
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) private static var installed = false

    /// Adds `path` to the files removed on an interrupting signal.
    public static func register(_ path: String) {
        install()
        for i in 0..<capacity where slots[i] == nil {
            slots[i] = strdup(path)
            return
        }
    }

    /// Unlinks `path` and forgets it.
    public static func remove(_ path: String) {
        forget(path)
        unlink(path)
    }

    /// Forgets `path` without removing it (it became the user's file).
    public static func forget(_ path: String) {
        for i in 0..<capacity {
            if let p = slots[i], strcmp(p, path) == 0 {
                slots[i] = nil
                free(p)
            }
        }
    }

    private static func install() {
        if installed { return }
        installed = true
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            // A signal ignored when we started stays ignored (`nohup tickets import ...`,
            // a background job of a script), as every well-behaved program leaves it.
            var current = sigaction()
            sigaction(sig, nil, &current)
            if let handler = current.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == 1 { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                for i in 0..<TemporaryFiles.capacity {
                    if let p = TemporaryFiles.slots[i] { unlink(p) }
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
    }
}
