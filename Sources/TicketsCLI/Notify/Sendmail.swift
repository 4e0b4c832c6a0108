import Glibc
import TicketsCore

/// Hands a rendered notification to the configured `sendmail` command (SPEC §9).
///
/// The command line runs through `/bin/sh -c` exactly as configured, as git's
/// `sendemail.sendmailCmd` and mutt's `sendmail` do: the config may name a program with
/// its options (`msmtp -a work -t`), a quoted path, or `$HOME`. A line the shell would
/// only split on spaces (no quote, `$`, `~`, glob, redirection or `=`) is run directly
/// instead, as git's `run_command` does: the same program with the same arguments,
/// found on the same PATH, without starting a shell first (0.6 ms an email here). Nothing from a ticket
/// ever reaches that line: the recipients travel in the message's headers, which `-t`
/// tells sendmail to read, so ticket text cannot become shell syntax or an option.
enum Sendmail {
    static let defaultCommand = "/usr/sbin/sendmail -t -oi"
    /// Long enough for a relay that greets slowly; a hung one is killed after this.
    static let defaultTimeout: Double = 60
    /// Output kept for the error text: the reason is in the first lines.
    static let outputLimit = 4096
    /// The error text's length, in characters: one line in a warning or the queue.
    static let reasonLimit = 300

    /// A started `command` that has read nothing yet: its standard input is `input`,
    /// and its standard output and error both go to `output`. Nothing is sent until
    /// `finish` writes a message and closes `input`; `cancel` ends it unused.
    struct Started {
        let command: String
        let pid: pid_t
        /// Our end of its standard input.
        let input: Int32
        /// Our end of the pipe its standard output and error share.
        let output: Int32
    }

    /// Runs `command` with `message` (from `MailMessage.render`) on its standard input:
    /// `start`, then `finish`.
    ///
    /// - Returns: nil when the command exited 0 (it took the message), else one line
    ///   saying why not (see `finish`), or why it could not start.
    static func deliver(_ message: [UInt8], command: String, environment: [String: String],
                        timeout: Double = defaultTimeout) -> String? {
        switch start(command, environment: environment) {
        case .success(let started): return finish(started, message: message, timeout: timeout)
        case .failure(let why): return why.reason
        }
    }

    /// Why `start` failed, in the words of a delivery error.
    struct StartError: Error { let reason: String }

    /// Starts `command` in a process group of its own, its standard input an empty pipe
    /// it waits on. A line the shell would only split on blanks is executed directly
    /// (`directArguments`), anything else through `/bin/sh -c`.
    ///
    /// - Returns: the started command, or why no pipe could be made or no process started.
    static func start(_ command: String, environment: [String: String]) -> Result<Started, StartError> {
        guard let input = Spawn.pipe() else {
            return .failure(StartError(reason: "cannot create a pipe for '\(command)': \(String(cString: strerror(errno)))"))
        }
        guard let output = Spawn.pipe() else {
            let why = "cannot create a pipe for '\(command)': \(String(cString: strerror(errno)))"
            close(input.read)
            close(input.write)
            return .failure(StartError(reason: why))
        }
        func spawn(_ program: String, _ argv: [String]) -> Result<pid_t, Spawn.StartFailure> {
            Spawn.start(program, argv, environment: environment, stdinFD: input.read, stdoutFD: output.write,
                        stderrFD: output.write, newProcessGroup: true)
        }
        var started = Result<pid_t, Spawn.StartFailure>.failure(Spawn.StartFailure(code: ENOENT))
        if let direct = directArguments(command, path: environment["PATH"]) { started = spawn(direct.program, direct.argv) }
        // Not found, or not a program exec runs (a script without #!): as the shell would.
        if case .failure = started { started = spawn("/bin/sh", ["/bin/sh", "-c", command]) }
        close(input.read)
        close(output.write)
        switch started {
        case .success(let pid):
            // Interrupted while it runs, we kill it rather than let it take the end of its
            // input for the end of a message (`Interruption`); `finish` and `cancel`,
            // which reap it, stop that.
            Interruption.killOnInterrupt(group: pid)
            return .success(Started(command: command, pid: pid, input: input.write, output: output.read))
        case .failure(let f):
            close(input.write)
            close(output.read)
            return .failure(StartError(reason: "cannot start /bin/sh for '\(command)': \(f.reason)"))
        }
    }

    /// Writes `message` to a started command, closes its input and waits for it, at
    /// most `timeout` seconds from now.
    ///
    /// The command's standard output and error are both collected (up to
    /// `outputLimit` bytes) for the error text; neither reaches our stdout or stderr.
    ///
    /// - Returns: nil when the command exited 0 (it took the message), else one line
    ///   saying why not: its exit status or signal with what it printed, or the timeout.
    static func finish(_ started: Started, message: [UInt8], timeout: Double = defaultTimeout) -> String? {
        let command = started.command
        var said = [UInt8]()
        let ending = Spawn.finish(started.pid, input: message, stdinFD: started.input, outputFD: started.output,
                                  timeout: timeout, group: true) { said += $0.prefix(max(0, outputLimit - said.count)) }
        Interruption.forget(group: started.pid)
        if case .exited(0) = ending { return nil }
        // Only a failure reads the output: a `tee`-like command echoes the whole email back.
        let detail = oneLine(said)
        switch ending {
        case .exited(let code): return clipped("'\(command)' exited with status \(code)" + (detail.isEmpty ? "" : ": " + detail))
        case .signaled(let signal):
            return clipped("'\(command)' was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
                + (detail.isEmpty ? "" : ": " + detail))
        case .timedOut:
            return clipped("'\(command)' did not finish within \(seconds(timeout)) s and was killed"
                + (detail.isEmpty ? "" : ": " + detail))
        }
    }

    /// Ends a started command that will carry no message: SIGKILL to its process group
    /// while its input is still open, so it never sees the end of a message and sends
    /// nothing (sendmail, msmtp and postdrop all take a message only at its end), then
    /// reaps it.
    static func cancel(_ started: Started) {
        kill(-started.pid, SIGKILL)
        close(started.input)
        close(started.output)
        var status: Int32 = 0
        while waitpid(started.pid, &status, 0) < 0 && errno == EINTR {}
        Interruption.forget(group: started.pid)
    }

    /// The words of `command` with the first one found on `path`, when the shell would do
    /// nothing but split it on blanks; nil when it would do more, or the program is not
    /// found (the shell then says so, as it does for any command).
    static func directArguments(_ command: String, path: String?) -> (program: String, argv: [String])? {
        // The shell's special characters are all ASCII: tested on the bytes, which needs no
        // Character set built at run time.
        let special = Array("|&;<>()$`\\\"'*?[]#~=%{}!\n".utf8)
        guard !command.utf8.contains(where: special.contains) else { return nil }
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let program = words.first else { return nil }
        // argv[0] as typed, as the shell passes it (a multi-call program reads it).
        if program.contains("/") { return FileSystem.isExecutableFile(program) ? (program, words) : nil }
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + program
            if FileSystem.isExecutableFile(candidate) { return (candidate, words) }
        }
        return nil
    }

    /// The output as one line: every control character and run of white space becomes
    /// one space, so the text fits a warning line and a queue column.
    static func oneLine(_ bytes: [UInt8]) -> String {
        var out = ""
        var space = false
        for c in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if c.value < 0x21 || (0x7F...0x9F).contains(c.value) || c == "\u{2028}" || c == "\u{2029}" {
                space = !out.isEmpty
                continue
            }
            if space { out += " " }
            space = false
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// `60`, or `0.5` for a test's short timeout.
    static func seconds(_ t: Double) -> String { t == t.rounded() ? String(Int(t)) : String(t) }

    private static func clipped(_ s: String) -> String {
        s.count <= reasonLimit ? s : String(s.prefix(reasonLimit - 1)) + "…"
    }
}
