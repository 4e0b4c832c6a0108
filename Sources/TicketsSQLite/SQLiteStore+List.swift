import TicketsCore

/// `list`, `export`, counts and bulk selection: one SELECT built from a `TicketQuery`.
extension SQLiteStore {
    /// The WHERE clause and its bindings for a query, as its viewer sees the tickets.
    func whereClause(_ q: TicketQuery) -> (String, [SQLValue]) {
        let f = q.filter
        var parts = [String]()
        var binds = [SQLValue]()
        func anyOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            parts.append("\(column) IN (" + values.map { _ in "?" }.joined(separator: ",") + ")")
            binds += values.map { .text($0) }
        }
        if f.statuses.count < Status.allCases.count {
            // Literals in canonical order (statuses are a closed set): the active list then
            // matches the partial index tickets_active_updated, which a bound list cannot.
            let chosen = Status.allCases.filter(f.statuses.contains)
            parts.append("t.status IN (" + chosen.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")")
        }
        anyOf("t.department", f.departments)
        anyOf("t.priority", f.priorities.map(\.rawValue))
        anyOf("t.service", f.services)
        anyOf("t.requester_key", f.requesters.map(EmailIdentity.key))
        if !q.viewer.isAgent {
            parts.append("""
                (t.requester_key = ? OR EXISTS (SELECT 1 FROM ticket_cc c WHERE c.email_key = ? AND c.ticket_id = t.id))
                """)
            let me = q.viewer.emailKey ?? ""
            binds += [.text(me), .text(me)]
        }
        if f.mine {
            parts.append(q.viewer.isAgent ? "t.assignee_key = ?" : "t.requester_key = ?")
            binds.append(.text(q.viewer.emailKey ?? ""))
        }
        for (column, op, time) in [("created_at", ">=", f.createdSince), ("created_at", "<", f.createdBefore),
                                   ("updated_at", ">=", f.updatedSince), ("updated_at", "<", f.updatedBefore)] {
            if let time {
                parts.append("t.\(column) \(op) ?")
                binds.append(.text(time.rfc3339))
            }
        }
        if let text = f.search {
            // Every word somewhere in the ticket (SPEC §5): its subject or a message the
            // viewer may read (no internal notes for requesters), not all in one field.
            for term in SearchText.query(text) {
                parts.append("""
                    t.id IN (SELECT rowid FROM subject_fts WHERE subject_fts MATCH ?
                             UNION SELECT m.ticket_id FROM message_fts JOIN messages m ON m.id = message_fts.rowid
                                   WHERE message_fts MATCH ? AND (m.internal = 0 OR ?))
                    """)
                let match = Self.ftsPhrase(term)
                binds += [.text(match), .text(match), .int(q.viewer.isAgent ? 1 : 0)]
            }
        }
        if f.overdue {
            // Waiting on support, and waiting longer than the target of its priority.
            parts.append("t.status IN ('open','in-progress','customer-reply')")
            parts.append("(" + Priority.allCases.map { _ in "(t.priority = ? AND \(Self.waitingSince) < ?)" }
                .joined(separator: " OR ") + ")")
            for p in Priority.allCases {
                binds += [.text(p.rawValue), .text(q.now.adding(-(f.slaTargets[p])).rfc3339)]
            }
        }
        return (parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND "), binds)
    }

    /// One term as an FTS5 phrase: its tokens quoted (they hold no quote: the search form
    /// keeps letters, numbers and marks only), so user text never reaches FTS5 as query
    /// syntax; `*` after the phrase makes its last token a prefix.
    static func ftsPhrase(_ term: SearchTerm) -> String {
        "\"" + term.tokens.joined(separator: " ") + "\"" + (term.prefix ? " *" : "")
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

    public func forEachTicket(_ q: TicketQuery, _ body: (Ticket) throws(TicketsError) -> Void) throws(TicketsError) {
        let (clause, binds) = whereClause(q)
        let limit = q.filter.limit.map { " LIMIT \($0)" } ?? ""
        let s = try db.prepare("SELECT \(Self.ticketColumns) FROM tickets t \(clause) \(Self.orderClause(q.filter))\(limit)")
        s.bindAll(binds)
        defer { s.reset() }
        try readTransaction { () throws(TicketsError) in
            while try s.step() { try body(Self.decodeTicket(s)) }
        }
    }

    public func count(_ q: TicketQuery, limit: Int?) throws(TicketsError) -> Int {
        let (clause, binds) = whereClause(q)
        // A capped count reads at most `limit` rows: "30 of 1,000+ shown" costs the same at
        // a thousand tickets and at a million.
        let sql = limit.map { "SELECT count(*) FROM (SELECT 1 FROM tickets t \(clause) LIMIT \($0))" }
            ?? "SELECT count(*) FROM tickets t \(clause)"
        let s = try db.prepare(sql)
        s.bindAll(binds)
        defer { s.reset() }
        _ = try s.step()
        return Int(s.int(0))
    }

    public func counts(by field: CountField, _ q: TicketQuery) throws(TicketsError) -> [(value: String?, count: Int)] {
        let (clause, binds) = whereClause(q)
        // One person is one group however their address was typed (the email rule).
        let (group, shown) = field == .assignee ? ("t.assignee_key", "min(t.assignee)") : ("t.\(field.rawValue)", "t.\(field.rawValue)")
        let s = try db.prepare("SELECT \(shown), count(*) FROM tickets t \(clause) GROUP BY \(group) ORDER BY 1")
        s.bindAll(binds)
        defer { s.reset() }
        var out = [(value: String?, count: Int)]()
        while try s.step() { out.append((s.optionalText(0), Int(s.int(1)))) }
        return out
    }
}
