import Glibc
import TicketsCore

/// Name and email (SPEC §4), first found wins: --name/--email, TICKETS_NAME/TICKETS_EMAIL,
/// the config file, git's `user.name`/`user.email`, then the login name from the password
/// database (`getpwuid`, as git does; `$USER` only when that fails) and
/// `<login>@<hostname>`. git's configuration is read only when nothing before it answered.
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
            // git's own files, read directly (GitConfig): no process on any command's path.
            let git = GitConfig.identity(environment: env)
            name = name ?? nonEmpty(git.name)
            if email == nil, let e = nonEmpty(git.email) {
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
}
