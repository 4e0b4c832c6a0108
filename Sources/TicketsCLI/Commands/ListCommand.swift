import TicketsCore

/// `tickets list`: active tickets, most recently updated first, unless filters say otherwise.
enum ListCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        _ = try inv.positionals([])
        var filter = try inv.filter(defaultStatuses: Status.active)
        if let s = a.value("sort") {
            guard let sort = TicketFilter.Sort(rawValue: s.text) else {
                throw .usage("unknown sort key '\(s.text)'; use id, created, updated or priority")
            }
            filter.sort = sort
        }
        filter.reverse = a.has("reverse")
        let fields = try a.value("fields").map { (f) throws(TicketsError) in try TicketField.parse(f.text) }
        let viewer = try inv.viewer(needsEmail: filter.mine)
        let store = try inv.openStore(.read)
        let query = TicketQuery(filter, viewer: viewer, now: inv.now)
        if let by = a.value("by") {
            guard a.has("count") else { throw .usage("--by counts per value and goes with --count: tickets list --count --by \(by.text)") }
            guard let field = CountField(rawValue: by.text) else {
                throw .usage("unknown field '\(by.text)' for --by; use \(CountField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            // The status tabs of a portal count every status unless --status says which:
            // a closed row of 0 next to a list of active tickets would be false.
            var byQuery = query
            if field == .status && !a.has("status") { byQuery.filter.statuses = Status.allCases }
            CountOutput(inv).write(field, Self.tabs(field, try store.counts(by: field, byQuery)))
            return ExitCode.success
        }
        if a.has("count") {
            let n = try store.count(query, limit: nil)
            inv.io.stdout.write(inv.isJSON ? "{\"count\":\(n)}\n" : "\(n)\n")
            return ExitCode.success
        }
        // A table shows 30 rows unless -L says otherwise; machine formats list everything.
        var limit: Int? = inv.format == .table && !a.has("quiet") ? 30 : nil
        if let l = a.value("limit") {
            guard let n = Int(l.text), n >= 0, n <= 1_000_000_000 else {
                throw .usage("-L/--limit takes a whole number (0 for all), not '\(l.text)'")
            }
            limit = n == 0 ? nil : n
        }
        // One row more than shown tells whether to say that more match. The page's own
        // query carries the limit (the store stops reading there); the counts above and
        // the footer's below count without it.
        var page = query
        page.filter.limit = limit.map { $0 + 1 }
        var tickets = try store.list(page)
        var more = false
        if let limit, tickets.count > limit {
            tickets.removeLast(tickets.count - limit)
            more = true
        }
        if a.has("quiet") {
            for t in tickets { inv.io.stdout.write("\(t.id)\n") }
            return ExitCode.success
        }
        if tickets.isEmpty && inv.format == .table {
            inv.note("no tickets match")
            return ExitCode.success
        }
        var output = TicketOutput(inv, fields: fields)
        // Deadlines where they can be shown: every table, and JSON without --fields.
        if inv.format == .table || (inv.isJSON && fields == nil) || fields?.contains(where: { $0 == .dueAt || $0 == .overdue }) == true {
            output.deadlines = try store.deadlines(of: tickets, targets: filter.slaTargets, now: inv.now)
        }
        output.list(tickets)
        if more, let limit {
            // Counted no further than a thousand: the note costs the same at any size.
            let cap = 1_000
            let total = try store.count(query, limit: cap + 1)
            inv.footer("\(limit) of \(total > cap ? "more than \(cap.formatted)" : total.formatted) shown; -L 0 for all")
        }
        return ExitCode.success
    }

    /// The tabs of a portal: for status and priority every value in its order, zero
    /// counts included; for the others the values found, "none" (nil) last.
    static func tabs(_ field: CountField, _ counts: [(value: String?, count: Int)]) -> [(value: String?, count: Int)] {
        let found = Dictionary(counts.map { ($0.value ?? "\u{0}", $0.count) }, uniquingKeysWith: +)
        switch field {
        case .status: return Status.allCases.map { ($0.rawValue, found[$0.rawValue] ?? 0) }
        case .priority: return Priority.allCases.map { ($0.rawValue, found[$0.rawValue] ?? 0) }
        case .department, .assignee, .service:
            return counts.filter { $0.value != nil }.sorted { $0.value! < $1.value! } + counts.filter { $0.value == nil }
        }
    }
}

extension Int {
    /// `1,000`: thousands separated, as notes print counts.
    var formatted: String {
        let digits = Array(String(magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (self < 0 ? "-" : "") + out
    }
}
