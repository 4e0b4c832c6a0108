import Glibc
import TicketsCore

/// Name and email (SPEC §4), first found wins: --name/--email, TICKETS_NAME/TICKETS_EMAIL,
/// the config file, git's `user.name`/`user.email`, then the login name from the password
/// database (`getpwuid`, as git does; `$USER` only when that fails) and
/// `<login>@<hostname>`. git is asked only when nothing before it answered.
enum Identity {
    /// Where the identity came from: the last fallback is worth a word on writes.
    struct Resolved {
        var person: Person
        /// True when the name or the email came from the login fallback.
        var fromLogin: Bool
    }

    /// A bad value from a flag is data (65); from the environment or the config, it is
    /// configuration (78), and the error names the variable.
    static func resolve(arguments: ParsedArguments, environment env: [String: String], invalidUTF8: Set<String>,
                        config: Configuration, warn: (String) -> Void) throws(TicketsError) -> Resolved {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        var name: String?
        if let n = arguments.value("name"), !n.text.isEmpty {
            if !n.isValidUTF8 { warn("--name is not valid UTF-8; the bad bytes were stored as U+FFFD") }
            name = try TextRules.short(n.text, "name given to --name")
        } else if let n = nonEmpty(env["TICKETS_NAME"]) {
            if invalidUTF8.contains("TICKETS_NAME") { warn("TICKETS_NAME is not valid UTF-8; the bad bytes were stored as U+FFFD") }
            name = try configuration { () throws(TicketsError) in try TextRules.short(n, "name in TICKETS_NAME") }
        } else {
            name = config.name
        }
        var email: String?
        if let e = arguments.value("email"), !e.text.isEmpty {
            guard e.isValidUTF8 else { throw .invalid("the address given to --email is not valid UTF-8, so it is not an email address") }
            guard Email.isValid(e.text) else { throw .invalid("'\(e.text)' given to --email is not an email address") }
            email = try TextRules.short(e.text, "email given to --email")
        } else if let e = nonEmpty(env["TICKETS_EMAIL"]) {
            guard !invalidUTF8.contains("TICKETS_EMAIL") else {
                throw .config("TICKETS_EMAIL is not valid UTF-8, so it is not an email address; set it to your address")
            }
            guard Email.isValid(e) else { throw .config("TICKETS_EMAIL is '\(e)', which is not an email address; set it to your address") }
            email = try configuration { () throws(TicketsError) in try TextRules.short(e, "email in TICKETS_EMAIL") }
        } else {
            email = config.email
        }
        if name == nil || email == nil {
            let git = gitIdentity()
            name = name ?? git.name
            if email == nil, let e = git.email {
                guard Email.isValid(e) else {
                    throw .config("git config user.email is '\(e)', which is not an email address; fix it or set TICKETS_EMAIL")
                }
                email = e
            }
        }
        var fromLogin = false
        if name == nil || email == nil {
            fromLogin = true
            let login = loginName(env)
            name = name ?? login
            email = email ?? "\(login)@\(hostname())"
        }
        return Resolved(person: Person(name: name ?? "", email: email ?? ""), fromLogin: fromLogin)
    }

    /// A limit broken by a value from the environment is configuration (78), not data.
    private static func configuration(_ body: () throws(TicketsError) -> String) throws(TicketsError) -> String {
        do { return try body() } catch { throw .config(error.message) }
    }

    /// The login name, as git finds it: the password database first (containers often
    /// run without $USER), then $USER and $LOGNAME.
    static func loginName(_ env: [String: String]) -> String {
        if let pw = getpwuid(getuid()), let p = pw.pointee.pw_name {
            let s = String(cString: p)
            if !s.isEmpty { return s }
        }
        return [env["USER"], env["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? "user"
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
