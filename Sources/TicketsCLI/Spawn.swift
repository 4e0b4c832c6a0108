import Glibc

/// Child processes that share our terminal: the editor and the pager. They get the
/// invocation's environment (not the process's), so a test's $EDITOR sees the test's
/// variables.
enum Spawn {
    /// Starts `/bin/sh -c command` with the extra arguments as $1...; `stdinFD` becomes
    /// the child's standard input when given. Returns the pid, or nil if it could not start.
    static func start(shell command: String, arguments: [String] = [], environment: [String: String],
                      stdinFD: Int32? = nil, closeInChild: [Int32] = []) -> pid_t? {
        let argv = ["/bin/sh", "-c", command, "sh"] + arguments
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFD { posix_spawn_file_actions_adddup2(&actions, stdinFD, 0) }
        for fd in closeInChild { posix_spawn_file_actions_addclose(&actions, fd) }
        var pid = pid_t()
        guard posix_spawn(&pid, "/bin/sh", &actions, nil, cArgs, cEnv) == 0 else { return nil }
        return pid
    }

    /// Waits for the child; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
