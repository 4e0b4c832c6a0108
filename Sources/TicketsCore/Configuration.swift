/// The config file of SPEC §8: `key = value` lines and `#` comments. Unknown keys and
/// bad values are refused (78) naming the file and line, so a typo never goes unseen.
public struct Configuration: Equatable, Sendable {
    public var name: String?
    public var email: String?
    public var role: Role?
    public var db: String?
    public var departments = ["technical", "billing", "sales", "account", "bug", "feature", "other"]
    public var defaultDepartment: String?
    public var defaultPriority: Priority = .medium
    public var autoCloseAfter: Int64 = 7 * 86_400
    public var sla = SLATargets()
    public var attachmentExtensions = ["jpg", "jpeg", "png", "gif", "bmp", "txt", "log", "pdf", "doc", "docx",
                                       "xls", "xlsx", "zip", "rar"]
    public var attachmentMaxSize: Int = 8 * 1024 * 1024
    public var attachmentMaxCount = 5
    /// Lines (1-based) that were not valid UTF-8; the command warns about them.
    public var repairedLines: [Int] = []
    /// `notify = sendmail` (SPEC §9): the checked settings; nil when `notify = off`.
    public var notifications: NotificationSettings?
    /// `sendmail`: the command that takes one email on its standard input (nil: the default).
    public var sendmail: String?
    /// `hooks_dir` (nil: `$XDG_CONFIG_HOME/tickets/hooks`).
    public var hooksDir: String?

    public init() {}

    public static let keys = ["name", "email", "role", "db", "departments", "default_department",
                              "default_priority", "auto_close_after", "sla_urgent", "sla_high", "sla_medium",
                              "sla_low", "attachment_extensions", "attachment_max_size", "attachment_max_count",
                              "hooks_dir", "notify", "sendmail", "notify_from", "notify_agents"]

    /// The department used when `-d` is not given.
    public var fallbackDepartment: String {
        defaultDepartment ?? (departments.contains("other") ? "other" : departments[0])
    }

    public static func load(path: String, explicit: Bool) throws(TicketsError) -> Configuration {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path: path, limit: 1 << 20)
        } catch let e where e.kind == .notFound && !explicit {
            return Configuration()
        } catch {
            // error.message already names the path.
            throw .config("cannot read the config file \(error.message); fix TICKETS_CONFIG or create the file")
        }
        return try parse(bytes: bytes, file: path)
    }

    public static func parse(_ text: String, file: String) throws(TicketsError) -> Configuration {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Lines end in LF or CRLF and a leading UTF-8 byte-order mark is skipped, so files
    /// written on Windows work (SPEC §8). A line that is not valid UTF-8 is read with
    /// U+FFFD in place of the bad bytes and listed in `repairedLines` for a warning; an
    /// email needing that repair is refused.
    public static func parse(bytes: [UInt8], file: String) throws(TicketsError) -> Configuration {
        var c = Configuration()
        var lineNo = 0
        // `notify = sendmail` needs `notify_from`, which may come on any line: checked at the end.
        var notifyLine: Int?
        var from: Mailbox?
        var agents: [String] = []
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        for rawBytes in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNo += 1
            let lineBytes = rawBytes.last == 0x0D ? rawBytes.dropLast() : rawBytes
            let raw = String(decoding: lineBytes, as: UTF8.self)
            let repaired = !raw.utf8.elementsEqual(lineBytes)
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if repaired { c.repairedLines.append(lineNo) }
            func fail(_ why: String) -> TicketsError { .config("\(file):\(lineNo): \(why)") }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected 'key = value'") }
            let key = line[..<eq].trimmingWhitespace()
            let value = line[line.index(after: eq)...].trimmingWhitespace()
            guard !value.isEmpty else { throw fail("'\(key)' has no value") }
            func duration() throws(TicketsError) -> Int64 {
                guard let s = Duration.seconds(value), s > 0 else {
                    throw fail("'\(key)' must be a duration like 90m, 12h, 7d or 2w, not '\(value)'")
                }
                return s
            }
            func list() -> [String] {
                value.split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).lowercased() }
            }
            switch key {
            case "name":
                if let why = TextRules.excess(value, TextRules.shortLimit) { throw fail("the name is \(why)") }
                c.name = value
            case "email":
                guard !repaired else { throw fail("the email is not valid UTF-8, so it is not an email address") }
                guard Email.isValid(value) else { throw fail("'\(value)' is not an email address") }
                if let why = TextRules.excess(value, TextRules.shortLimit) { throw fail("the email is \(why)") }
                c.email = value
            case "role":
                guard let r = Role(rawValue: value.lowercased()), r != .system else {
                    throw fail("role must be requester or agent, not '\(value)'")
                }
                c.role = r
            case "db": c.db = value
            case "departments":
                let d = list()
                guard !d.isEmpty, d.allSatisfy(isPlainWord) else { throw fail("departments must be a comma list of words") }
                if let long = d.first(where: { TextRules.excess($0, TextRules.shortLimit) != nil }) {
                    throw fail("the department '\(long.prefix(20))…' is \(TextRules.excess(long, TextRules.shortLimit) ?? "too long")")
                }
                c.departments = d
            case "default_department":
                if let why = TextRules.excess(value, TextRules.shortLimit) { throw fail("default_department is \(why)") }
                c.defaultDepartment = value.lowercased()
            case "default_priority":
                guard let p = Priority(rawValue: value.lowercased()) else {
                    throw fail("default_priority must be low, medium, high or urgent, not '\(value)'")
                }
                c.defaultPriority = p
            case "auto_close_after": c.autoCloseAfter = try duration()
            case "sla_urgent": c.sla[.urgent] = try duration()
            case "sla_high": c.sla[.high] = try duration()
            case "sla_medium": c.sla[.medium] = try duration()
            case "sla_low": c.sla[.low] = try duration()
            case "attachment_extensions":
                let e = list().map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
                guard !e.isEmpty, e.allSatisfy(isPlainWord) else { throw fail("attachment_extensions must be a list of extensions") }
                c.attachmentExtensions = e
            case "attachment_max_size":
                guard let n = ByteSize.parse(value), n > 0 else {
                    throw fail("attachment_max_size must be a size like 8M, 512K or 1048576, not '\(value)'")
                }
                c.attachmentMaxSize = n
            case "attachment_max_count":
                guard let n = Int(value), n >= 0, n <= 1000 else { throw fail("attachment_max_count must be a number from 0 to 1000") }
                c.attachmentMaxCount = n
            case "hooks_dir": c.hooksDir = value
            case "notify":
                switch value.lowercased() {
                case "off": notifyLine = nil
                case "sendmail": notifyLine = lineNo
                default: throw fail("notify must be off or sendmail, not '\(value)'")
                }
            case "sendmail": c.sendmail = value
            case "notify_from":
                guard !repaired, let m = Mailbox.parse(value), MessageID.isValidDomain(String(m.address.split(separator: "@").last ?? "")) else {
                    throw fail("notify_from must be an address such as 'Support <support@example.com>' with an ASCII domain, not '\(value)'")
                }
                from = m
            case "notify_agents":
                let list = value.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
                guard !repaired, !list.isEmpty, list.allSatisfy(Email.isValid) else {
                    throw fail("notify_agents must be a comma list of email addresses")
                }
                agents = list
            default:
                throw fail("unknown key '\(key)' (known: \(keys.joined(separator: ", ")))")
            }
        }
        if let d = c.defaultDepartment, !c.departments.contains(d) {
            throw .config("\(file): default_department '\(d)' is not one of the departments (\(c.departments.joined(separator: ", ")))")
        }
        if let line = notifyLine {
            guard let from else {
                throw .config("\(file):\(line): notify = sendmail needs notify_from, the address the emails come from (notify_from = Support <support@example.com>)")
            }
            c.notifications = NotificationSettings(from: from, agents: agents)
        }
        return c
    }

    static func isPlainWord(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
    }
}

/// Sizes in config: `8388608`, `512K`, `8M`, `8MiB`, `1G`.
public enum ByteSize {
    public static func parse(_ text: String) -> Int? {
        var s = text.uppercased()
        if s.hasSuffix("IB") { s.removeLast(2) } else if s.hasSuffix("B") { s.removeLast() }
        var scale = 1
        if let last = s.last, "KMG".contains(last) {
            scale = last == "K" ? 1024 : last == "M" ? 1 << 20 : 1 << 30
            s.removeLast()
        }
        guard let n = Int(s), n >= 0, n <= (1 << 40) / scale else { return nil }
        return n * scale
    }
}

public enum Email {
    /// Deliberately simple: one `@`, something on both sides, no spaces or controls.
    /// One pass over the UTF-8 bytes (import checks every address of a million tickets):
    /// bytes of multi-byte scalars are all >= 0x80, so they pass as the scalars did.
    public static func isValid(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            guard bytes.count <= 254 else { return false }
            var at = -1
            for (i, b) in bytes.enumerated() {
                switch b {
                case 0...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ","),
                     UInt8(ascii: ";"), UInt8(ascii: "\""):
                    return false
                case UInt8(ascii: "@"):
                    if at >= 0 { return false }
                    at = i
                default: break
                }
            }
            return at > 0 && at < bytes.count - 1
        }
    }
}

extension StringProtocol {
    public func trimmingWhitespace() -> String {
        // On the UTF-8 bytes, which is scalar by scalar: space, tab and CR are ASCII, so
        // the first other byte begins a scalar and the last one ends one. (A String's own
        // subscript would round to whole Characters instead.)
        var copy = String(self)
        return copy.withUTF8 { bytes in
            func kept(_ b: UInt8) -> Bool { b != 0x20 && b != 0x09 && b != 0x0D }
            guard let first = bytes.firstIndex(where: kept) else { return "" }
            let last = bytes.lastIndex(where: kept)!
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
        }
    }
}
