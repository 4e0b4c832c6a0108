import Glibc
import TicketsCore

/// Runs the `post-ACTION` hook of an event after its command committed (SPEC §9), the
/// way git runs its hooks: an executable file named for the event, no shell.
///
/// The caller holds no lock and passes JSON it built; whatever happens here changes
/// neither the data nor the exit code: a failure comes back as a warning to print.
enum HookRunner {
    static let defaultTimeout: Double = 30

    /// Runs `directory/post-ACTION` with `json` on its standard input, if that file exists.
    /// `directory` is `hooks_dir`, by default `inv.xdg("XDG_CONFIG_HOME", fallback:
    /// ".config") + "/tickets/hooks"`, like the config file beside it.
    ///
    /// - Parameters:
    ///   - json: one object, `{"event": {...}, "ticket": {...}}`.
    ///   - environment: the invocation's environment, which the hook gets.
    ///   - timeout: seconds before the hook and its process group are killed.
    ///   - output: where the hook's standard output and error both go, as they come:
    ///     the invocation's stderr, never its stdout, which carries data (SPEC §7).
    ///     Through a pipe rather than our descriptor 2, so the hook's lines take their
    ///     place among ours and the in-process tests capture them like any diagnostic.
    /// - Returns: nil when there is no such hook or it exited 0; otherwise a one-line
    ///   warning: not executable, could not start, exit status, signal or timeout.
    static func run(_ action: EventAction, json: [UInt8], directory: String, environment: [String: String],
                    timeout: Double = defaultTimeout, output: OutputStream) -> String? {
        let name = action.hookName
        let path = directory + "/" + name
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        // A hook someone forgot to chmod should say so, as git does, not stay silent.
        guard info.st_mode & S_IFMT == S_IFREG, access(path, X_OK) == 0 else {
            return "hook \(path) is not an executable file; make it one (chmod +x) or remove it"
        }
        guard let input = Spawn.pipe() else { return "hook \(name) not run: cannot create a pipe" }
        guard let hookOutput = Spawn.pipe() else {
            close(input.read)
            close(input.write)
            return "hook \(name) not run: cannot create a pipe"
        }
        output.flush()
        let started = Spawn.start(path, [path], environment: environment, stdinFD: input.read,
                                  stdoutFD: hookOutput.write, stderrFD: hookOutput.write, newProcessGroup: true)
        close(input.read)
        close(hookOutput.write)
        let pid: pid_t
        switch started {
        case .success(let p): pid = p
        case .failure(let f):
            close(input.write)
            close(hookOutput.read)
            return "hook \(name) could not start: \(f.reason)"
        }
        let ending = Spawn.finish(pid, input: json, stdinFD: input.write, outputFD: hookOutput.read, timeout: timeout,
                                  group: true) { chunk in
            output.write(bytes: chunk)
            output.flush()
        }
        switch ending {
        case .exited(0): return nil
        case .exited(let code): return "hook \(name) exited with status \(code)"
        case .signaled(let signal): return "hook \(name) was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        case .timedOut: return "hook \(name) did not finish within \(Sendmail.seconds(timeout)) s and was killed"
        }
    }
}
