import TicketsCore

/// Argument checks shared by the commands.
extension Invocation {
    /// `42` or `#42`: a positive whole number. Anything else (0, -1, 1e3, 20 digits) is a usage error.
    static func ticketID(_ text: String) throws(TicketsError) -> Int64 {
        let digits = text.hasPrefix("#") ? Substring(text.dropFirst()) : Substring(text)
        guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let id = Int64(digits), id > 0 else {
            throw .usage("'\(text)' is not a ticket id; ids are whole numbers from 1, like 42 or #42")
        }
        return id
    }

    /// Exactly `count` positionals, named in the error when missing or extra.
    func positionals(_ names: [String], optional: Int = 0) throws(TicketsError) -> [Argument] {
        let p = arguments.positionals
        let command = arguments.command?.name ?? ""
        if p.count < names.count - optional {
            throw .usage("missing <\(names[p.count])>; usage: tickets \(command) \(arguments.command?.usage ?? "")")
        }
        if p.count > names.count {
            throw .usage("unexpected argument '\(p[names.count].text)'; usage: tickets \(command) \(arguments.command?.usage ?? "")")
        }
        return p
    }

    /// One or more ids; `-` reads more from standard input, one a line. No id at all is a
    /// usage error, but `-` may bring none: an empty list matches nothing (SPEC §5).
    func ticketIDs() throws(TicketsError) -> [Int64] {
        if arguments.positionals.isEmpty {
            throw .usage("missing <id>; usage: tickets \(arguments.command?.name ?? "") \(arguments.command?.usage ?? "")")
        }
        var ids = [Int64]()
        for a in arguments.positionals {
            if a.text == "-" {
                let text = String(decoding: try io.standardInput(), as: UTF8.self)
                for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                    let t = line.trimmingWhitespace()
                    if !t.isEmpty { ids.append(try Self.ticketID(t)) }
                }
            } else {
                ids.append(try Self.ticketID(a.text))
            }
        }
        return ids
    }

    func priority(_ a: Argument) throws(TicketsError) -> Priority {
        guard let p = Priority(rawValue: a.text.lowercased()) else {
            throw .invalid("unknown priority '\(a.text)'; use low, medium, high or urgent")
        }
        return p
    }

    func department(_ a: Argument) throws(TicketsError) -> String {
        let d = a.text.lowercased()
        let known = try config().departments
        guard known.contains(d) else {
            throw .invalid("unknown department '\(a.text)'; use one of \(known.joined(separator: ", "))")
        }
        return d
    }

    func email(_ a: Argument, option: String) throws(TicketsError) -> String {
        guard a.isValidUTF8 else {
            throw .invalid("the address given to --\(option) is not valid UTF-8, so it is not an email address")
        }
        guard Email.isValid(a.text) else { throw .invalid("'\(a.text)' given to --\(option) is not an email address") }
        return try TextRules.short(a.text, "email given to --\(option)")
    }

    /// Every address of a repeatable email option, each value a comma-separated list as
    /// the client portals take it ("a@example.com, b@example.com"); each one is checked.
    func emails(_ option: String) throws(TicketsError) -> [String] {
        var out = [String]()
        for a in arguments.all(option) {
            for part in a.text.split(separator: ",", omittingEmptySubsequences: false) {
                let address = part.trimmingWhitespace()
                if address.isEmpty {
                    throw .invalid("--\(option) '\(a.text)' has an empty address; separate addresses with single commas")
                }
                out.append(try email(Argument(raw: Array(address.utf8), valid: a.isValidUTF8), option: option))
            }
        }
        return out
    }

    func time(_ option: String) throws(TicketsError) -> Timestamp? {
        guard let a = arguments.value(option) else { return nil }
        guard let t = Duration.pointInTime(a.text, now: now) else {
            throw .usage("--\(option) takes a date (2026-11-01), an RFC 3339 time or a duration (90m, 12h, 7d, 2w), not '\(a.text)'")
        }
        return t
    }

    /// The list filters shared by list, export and close.
    func filter(defaultStatuses: [Status]) throws(TicketsError) -> TicketFilter {
        var f = TicketFilter()
        let a = arguments
        if a.has("status") {
            var statuses = [Status]()
            for s in a.all("status") {
                guard let found = TicketFilter.statuses(named: s.text) else {
                    throw .usage("unknown status '\(s.text)'; use open, in-progress, answered, customer-reply, closed, canceled, active or all")
                }
                for x in found where !statuses.contains(x) { statuses.append(x) }
            }
            f.statuses = statuses
        } else {
            f.statuses = defaultStatuses
        }
        for d in a.all("department") { f.departments.append(try department(d)) }
        for p in a.all("priority") { f.priorities.append(try priority(p)) }
        f.services = a.all("service").map { text($0, option: "--service") }
        for r in a.all("requester") { f.requesters.append(try email(r, option: "requester")) }
        f.mine = a.has("mine")
        if let s = a.value("search") {
            let t = text(s, option: "--search")
            if SearchText.query(t).isEmpty { throw .usage("--search needs some words to look for (letters or digits; punctuation is not searched)") }
            f.search = t
        }
        f.createdSince = try time("created-since")
        f.createdBefore = try time("created-before")
        f.updatedSince = try time("updated-since")
        f.updatedBefore = try time("updated-before")
        f.overdue = a.has("overdue")
        f.slaTargets = try config().sla
        return f
    }

    /// Whether any list filter was given (bulk close needs one).
    var hasFilters: Bool {
        CommandTable.filterOptions.contains { arguments.has($0.long) }
    }
}
