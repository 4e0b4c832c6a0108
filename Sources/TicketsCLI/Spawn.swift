import Glibc

/// Child processes: the editor and the pager, which share our terminal, and the hooks
/// and `sendmail`, which run after a commit under a deadline (`Spawn+Deadline`; an
/// `open`'s `sendmail` starts earlier but reads nothing before the commit). They
/// get the invocation's environment (not the process's), so a test's $EDITOR sees the
/// test's variables.
enum Spawn {
    /// Why a child did not start: posix_spawn's error number.
    struct StartFailure: Error {
        let code: Int32
        var reason: String { String(cString: strerror(code)) }
    }

    /// Starts the program at `path` with `argv` (argv[0] included). `stdinFD`,
    /// `stdoutFD` and `stderrFD`, when given, become the child's 0, 1 and 2; the
    /// descriptors in `closeInChild` are closed in it. With `newProcessGroup` the child
    /// leads a group of its own, so it and whatever it starts can be killed together.
    ///
    /// Every child starts with SIGPIPE at its default action and no signal blocked: we
    /// ignore SIGPIPE (`TicketsCLI.main`), and an ignored signal stays ignored across
    /// exec, which would leave `yes | head` in a hook or an editor's helper running.
    static func start(_ path: String, _ argv: [String], environment: [String: String], stdinFD: Int32? = nil,
                      stdoutFD: Int32? = nil, stderrFD: Int32? = nil, closeInChild: [Int32] = [],
                      newProcessGroup: Bool = false) -> Result<pid_t, StartFailure> {
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target) in [(stdinFD, Int32(0)), (stdoutFD, 1), (stderrFD, 2)] {
            if let fd { posix_spawn_file_actions_adddup2(&actions, fd, target) }
        }
        for fd in closeInChild { posix_spawn_file_actions_addclose(&actions, fd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var pid = pid_t()
        let code = posix_spawn(&pid, path, &actions, &attributes, cArgs, cEnv)
        return code == 0 ? .success(pid) : .failure(StartFailure(code: code))
    }

    /// Starts `/bin/sh -c command` with the extra arguments as $1...; `stdinFD` becomes
    /// the child's standard input when given. Returns the pid, or nil if it could not start.
    static func start(shell command: String, arguments: [String] = [], environment: [String: String],
                      stdinFD: Int32? = nil, closeInChild: [Int32] = []) -> pid_t? {
        try? start("/bin/sh", ["/bin/sh", "-c", command, "sh"] + arguments, environment: environment,
                   stdinFD: stdinFD, closeInChild: closeInChild).get()
    }

    /// Waits for the child; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// A pipe whose two ends are closed on exec, so no other child inherits them (a
    /// child holding the write end of another's standard input would keep it from ever
    /// seeing the end). The ends a child needs reach it through dup2, which clears the
    /// flag on the copy.
    static func pipe() -> (read: Int32, write: Int32)? {
        // A pair, not an array: no allocation, no array type to look up at first use.
        var fds: (Int32, Int32) = (-1, -1)
        let made = withUnsafeMutableBytes(of: &fds) { Glibc.pipe($0.baseAddress!.assumingMemoryBound(to: Int32.self)) }
        guard made == 0 else { return nil }
        _ = fcntl(fds.0, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds.1, F_SETFD, FD_CLOEXEC)
        return (fds.0, fds.1)
    }
}
