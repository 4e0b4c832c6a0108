/// `list`, `export` and bulk selection: one SELECT built from a `TicketFilter`.
extension TicketStore {
    /// The WHERE clause and its bindings for a filter, as seen by `viewer`.
    func whereClause(_ f: TicketFilter, viewer: Actor, now: Timestamp) -> (String, [SQLValue]) {
        var parts = [String]()
        var binds = [SQLValue]()
        func anyOf(_ column: String, _ values: [String], nocase: Bool = false) {
            guard !values.isEmpty else { return }
            let test = nocase ? "\(column) = ? COLLATE NOCASE" : "\(column) = ?"
            parts.append("(" + values.map { _ in test }.joined(separator: " OR ") + ")")
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
        anyOf("t.requester_email", f.requesters, nocase: true)
        if !viewer.isAgent {
            parts.append(Self.visibleToRequester)
            binds += [.text(viewer.person.email), .text(viewer.person.email)]
        }
        if f.mine {
            if viewer.isAgent {
                parts.append("t.assignee = ? COLLATE NOCASE")
            } else {
                parts.append("t.requester_email = ? COLLATE NOCASE")
            }
            binds.append(.text(viewer.person.email))
        }
        for (column, op, time) in [("created_at", ">=", f.createdSince), ("created_at", "<", f.createdBefore),
                                   ("updated_at", ">=", f.updatedSince), ("updated_at", "<", f.updatedBefore)] {
            if let time {
                parts.append("t.\(column) \(op) ?")
                binds.append(.text(time.rfc3339))
            }
        }
        if let text = f.search {
            let query = Self.ftsQuery(text)
            // Subjects, and message bodies the viewer may read (no internal notes for requesters).
            parts.append("""
                t.id IN (SELECT rowid FROM subject_fts WHERE subject_fts MATCH ?
                         UNION SELECT m.ticket_id FROM message_fts JOIN messages m ON m.id = message_fts.rowid
                               WHERE message_fts MATCH ? AND (m.internal = 0 OR ?))
                """)
            binds += [.text(query), .text(query), .int(viewer.isAgent ? 1 : 0)]
        }
        if f.overdue {
            // Waiting on support, and waiting longer than the target of its priority.
            parts.append("t.status IN ('open','in-progress','customer-reply')")
            parts.append("(" + Priority.allCases.map { _ in "(t.priority = ? AND \(Self.waitingSince) < ?)" }
                .joined(separator: " OR ") + ")")
            for p in Priority.allCases {
                binds += [.text(p.rawValue), .text(now.adding(-(f.slaTargets[p] ?? 0)).rfc3339)]
            }
        }
        return (parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND "), binds)
    }

    /// When the ticket started waiting on support: the first requester message after the
    /// last public agent reply, else its opening.
    static let waitingSince = """
        COALESCE((SELECT min(r.created_at) FROM messages r
                  WHERE r.ticket_id = t.id AND r.role = 'requester' AND r.id > COALESCE(
                      (SELECT max(a.id) FROM messages a WHERE a.ticket_id = t.id AND a.role = 'agent' AND a.internal = 0), 0)),
                 t.created_at)
        """

    /// Each word is quoted, so user text never reaches FTS5 as query syntax; all must match.
    static func ftsQuery(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        if words.isEmpty { return "\"\"" }
        return words.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: " ")
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

    /// Calls `body` for each matching ticket, in order, without holding them all.
    public func forEachTicket(_ f: TicketFilter, viewer: Actor, now: Timestamp,
                              _ body: (Ticket) throws(TicketsError) -> Void) throws(TicketsError) {
        let (clause, binds) = whereClause(f, viewer: viewer, now: now)
        let limit = f.limit.map { " LIMIT \($0)" } ?? ""
        let s = try db.prepare("SELECT \(Self.ticketColumns) FROM tickets t \(clause) \(Self.orderClause(f))\(limit)")
        s.bindAll(binds)
        try readTransaction { () throws(TicketsError) in
            while try s.step() { try body(Self.decodeTicket(s)) }
        }
    }

    public func list(_ f: TicketFilter, viewer: Actor, now: Timestamp) throws(TicketsError) -> [Ticket] {
        var out = [Ticket]()
        try forEachTicket(f, viewer: viewer, now: now) { out.append($0) }
        return out
    }

    public func count(_ f: TicketFilter, viewer: Actor, now: Timestamp) throws(TicketsError) -> Int {
        let (clause, binds) = whereClause(f, viewer: viewer, now: now)
        let s = try db.prepare("SELECT count(*) FROM tickets t \(clause)")
        s.bindAll(binds)
        _ = try s.step()
        defer { s.reset() }
        return Int(s.int(0))
    }
}
