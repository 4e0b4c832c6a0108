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
        if a.has("count") {
            let n = try store.count(TicketQuery(filter, viewer: viewer, now: inv.now), limit: nil)
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
        // One row more than shown tells whether to say that more match.
        filter.limit = limit.map { $0 + 1 }
        var tickets = try store.list(TicketQuery(filter, viewer: viewer, now: inv.now))
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
        if inv.format == .table || (inv.isJSON && fields == nil) {
            output.deadlines = try store.deadlines(of: tickets, targets: filter.slaTargets, now: inv.now)
        }
        output.list(tickets)
        if more { inv.note("more tickets match; -L 0 shows them all") }
        return ExitCode.success
    }
}
