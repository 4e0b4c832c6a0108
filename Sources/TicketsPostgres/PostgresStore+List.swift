import TicketsCore

/// `list`, `export`, counts and bulk selection: one SELECT built from a `TicketQuery`,
/// in the same shape as the SQLite store's.
extension PostgresStore {
    /// Parameters as they are added: `p.add(x)` gives `$n`.
    struct Params {
        var values: [PostgresConnection.Param] = []
        mutating func add(_ v: PostgresConnection.Param) -> String {
            values.append(v)
            return "$\(values.count)"
        }
    }

    func whereClause(_ q: TicketQuery, _ p: inout Params) -> String {
        let f = q.filter
        var parts = [String]()
        func anyOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            parts.append("\(column) IN (" + values.map { p.add(.text($0)) }.joined(separator: ",") + ")")
        }
        if f.statuses.count < Status.allCases.count {
            // Literals in canonical order, as SQLite's: the active list matches the partial index.
            let chosen = Status.allCases.filter(f.statuses.contains)
            parts.append("t.status IN (" + chosen.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")")
        }
        anyOf("t.department", f.departments)
        anyOf("t.priority", f.priorities.map(\.rawValue))
        anyOf("t.service", f.services)
        anyOf("t.requester_key", f.requesters.map(EmailIdentity.key))
        if !q.viewer.isAgent {
            let me = p.add(.text(q.viewer.emailKey ?? ""))
            parts.append("(t.requester_key = \(me) OR EXISTS (SELECT 1 FROM tickets.ticket_cc c WHERE c.email_key = \(me) AND c.ticket_id = t.id))")
        }
        if f.mine {
            parts.append((q.viewer.isAgent ? "t.assignee_key = " : "t.requester_key = ") + p.add(.text(q.viewer.emailKey ?? "")))
        }
        for (column, op, time) in [("created_at", ">=", f.createdSince), ("created_at", "<", f.createdBefore),
                                   ("updated_at", ">=", f.updatedSince), ("updated_at", "<", f.updatedBefore)] {
            if let time { parts.append("t.\(column) \(op) \(p.add(.text(time.rfc3339)))") }
        }
        if let text = f.search {
            // Every word somewhere in the ticket's visible text (SPEC §5), as on SQLite.
            let agent = p.add(.bool(q.viewer.isAgent))
            for term in SearchText.query(text) {
                let query = p.add(.text(PostgresSearch.query(term)))
                parts.append("""
                    t.id IN (SELECT s.id FROM tickets.tickets s WHERE s.subject_search @@ \(query)::tsquery
                             UNION SELECT m.ticket_id FROM tickets.message_search x JOIN tickets.messages m ON m.id = x.message_id
                                   WHERE x.vector @@ \(query)::tsquery AND (NOT m.internal OR \(agent)))
                    """)
            }
        }
        if f.overdue {
            parts.append("t.status IN ('open','in-progress','customer-reply')")
            parts.append("(" + Priority.allCases.map { pr in
                "(t.priority = \(p.add(.text(pr.rawValue))) AND \(Self.waitingSince) < \(p.add(.text(q.now.adding(-(f.slaTargets[pr])).rfc3339))))"
            }.joined(separator: " OR ") + ")")
        }
        return parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND ")
    }

    static func orderClause(_ f: TicketFilter) -> String {
        let dir = f.reverse ? "ASC" : "DESC"
        switch f.sort {
        case .id: return "ORDER BY t.id \(dir)"
        case .created: return "ORDER BY t.created_at \(dir), t.id \(dir)"
        case .updated: return "ORDER BY t.updated_at \(dir), t.id \(dir)"
        case .priority:
            return """
                ORDER BY CASE t.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END \(dir),
                         t.updated_at \(dir), t.id \(dir)
                """
        }
    }

    /// Streams through a server-side cursor: libpq holds a whole result in memory, and
    /// an export of a million tickets must not; the body may run other statements
    /// between fetches.
    public func forEachTicket(_ q: TicketQuery, _ body: (Ticket) throws(TicketsError) -> Void) throws(TicketsError) {
        var p = Params()
        let clause = whereClause(q, &p)
        let limit = q.filter.limit.map { " LIMIT \($0)" } ?? ""
        let sql = "SELECT \(Self.ticketColumns) FROM tickets.tickets t \(clause) \(Self.orderClause(q.filter))\(limit)"
        try read { () throws(TicketsError) in
            if let l = q.filter.limit, l <= 1000 {
                let r = try pg.run(sql, p.values)
                for i in 0..<r.rows { try body(Self.decodeTicket(r, i)) }
                return
            }
            let cursor = nextCursor()
            try pg.run("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", p.values)
            while true {
                let r = try pg.run("FETCH 500 FROM \(cursor)")
                if r.rows == 0 { break }
                for i in 0..<r.rows { try body(Self.decodeTicket(r, i)) }
            }
            try pg.execute("CLOSE \(cursor)")
        }
    }

    public func count(_ q: TicketQuery, limit: Int?) throws(TicketsError) -> Int {
        var p = Params()
        let clause = whereClause(q, &p)
        let sql = limit.map { "SELECT count(*) FROM (SELECT 1 FROM tickets.tickets t \(clause) LIMIT \($0)) AS capped" }
            ?? "SELECT count(*) FROM tickets.tickets t \(clause)"
        return Int(try pg.run(sql, p.values).int(0, 0))
    }

    public func counts(by field: CountField, _ q: TicketQuery) throws(TicketsError) -> [(value: String?, count: Int)] {
        var p = Params()
        let clause = whereClause(q, &p)
        let (group, shown) = field == .assignee ? ("t.assignee_key", "min(t.assignee)") : ("t.\(field.rawValue)", "t.\(field.rawValue)")
        let r = try pg.run("SELECT \(shown), count(*) FROM tickets.tickets t \(clause) GROUP BY \(group) ORDER BY 1", p.values)
        return (0..<r.rows).map { (r.optionalText($0, 0), Int(r.int($0, 1))) }
    }
}
