import Glibc
import TicketsCore

/// `show` and `list` on a terminal go through $PAGER, as git and gh do. The default
/// `less -FRX` quits at once when the output fits the screen (-F), passes colours (-R)
/// and leaves the screen as it was (-X), so short output looks unpaged.
enum Pager {
    static let commands: Set<String> = ["show", "list"]
    static let defaultCommand = "less -FRX"

    /// The pager command for this run, or nil: off a terminal, with --no-pager, for
    /// other commands, or when $PAGER is empty or `cat`.
    static func command(for inv: Invocation) -> String? {
        guard let c = inv.arguments.command, commands.contains(c.name), inv.io.stdoutIsTerminal,
              !inv.arguments.has("no-pager"), !inv.arguments.has("help") else { return nil }
        let pager = inv.environment["PAGER"] ?? defaultCommand
        let trimmed = pager.trimmingWhitespace()
        return trimmed.isEmpty || trimmed == "cat" ? nil : pager
    }

    /// Starts the pager and points our standard output at it. Nil when it cannot start;
    /// then output goes to the terminal as usual.
    static func start(_ command: String, environment: [String: String]) -> pid_t? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        guard let pid = Spawn.start(shell: command, environment: environment, stdinFD: fds[0], closeInChild: [fds[1]]) else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        dup2(fds[1], 1)
        close(fds[0])
        close(fds[1])
        return pid
    }

    /// Closes our end of the pipe so the pager sees the end, then waits for the person
    /// to leave it.
    static func finish(_ pid: pid_t) {
        close(1)
        _ = Spawn.wait(pid)
    }
}
