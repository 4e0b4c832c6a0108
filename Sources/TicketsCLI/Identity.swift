import Glibc
import TicketsCore

/// Name and email, first found wins: --name/--email, TICKETS_NAME/TICKETS_EMAIL, the
/// config file, `git config user.name`/`user.email`, then $USER and $USER@<hostname>.
/// git is asked only when nothing before it answered, so the common paths spawn nothing.
enum Identity {
    static func resolve(arguments: ParsedArguments, environment env: [String: String],
                        config: Configuration) throws(TicketsError) -> Person {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        var name = nonEmpty(arguments.value("name")?.text) ?? nonEmpty(env["TICKETS_NAME"]) ?? config.name
        var email = nonEmpty(arguments.value("email")?.text) ?? nonEmpty(env["TICKETS_EMAIL"]) ?? config.email
        if name == nil || email == nil {
            let git = gitIdentity()
            name = name ?? git.name
            email = email ?? git.email
        }
        let user = nonEmpty(env["USER"]) ?? nonEmpty(env["LOGNAME"]) ?? "user"
        let person = Person(name: name ?? user, email: email ?? "\(user)@\(hostname())")
        guard Email.isValid(person.email) else {
            throw .invalid("'\(person.email)' is not an email address; set --email or TICKETS_EMAIL")
        }
        return person
    }

    static func hostname() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        let s = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return s.isEmpty ? "localhost" : s
    }

    /// One `git config` run for both keys; no git, no repository, or no answer is simply nothing.
    static func gitIdentity() -> (name: String?, email: String?) {
        guard let out = run(["git", "config", "--get-regexp", "^user\\.(name|email)$"]) else { return (nil, nil) }
        var name: String?
        var email: String?
        for line in out.split(separator: "\n") {
            if line.hasPrefix("user.name ") { name = String(line.dropFirst(10)) }
            if line.hasPrefix("user.email ") { email = String(line.dropFirst(11)) }
        }
        return (name.flatMap { $0.isEmpty ? nil : $0 }, email.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Runs a program found on PATH with standard input from /dev/null; its stdout, or nil.
    static func run(_ argv: [String]) -> String? {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard rc == 0 else { return nil }
        let bytes = (try? FileSystem.readAll(fd: pipe[0], name: argv[0], limit: 1 << 16)) ?? []
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: bytes, as: UTF8.self)
    }
}
