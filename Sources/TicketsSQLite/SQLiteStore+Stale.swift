import TicketsCore

/// The time rules in SQL: when a ticket started waiting on support (SLA, `--overdue`) and
/// whether an answered ticket is stale (`close --stale`).
extension SQLiteStore {
    /// SPEC §5 and §3: the first requester message after the last public agent reply, else
    /// the opening; a later reopening restarts the clock. Times are canonical RFC 3339
    /// text, so they compare as strings ('' is before every time).
    static let waitingSince = """
        max(COALESCE((SELECT min(r.created_at) FROM messages r
                      WHERE r.ticket_id = t.id AND r.role = 'requester' AND r.id > COALESCE(
                          (SELECT max(a.id) FROM messages a WHERE a.ticket_id = t.id AND a.role = 'agent' AND a.internal = 0), 0)),
                     t.created_at),
            COALESCE((SELECT max(e.created_at) FROM events e WHERE e.ticket_id = t.id AND e.action = 'reopen'), ''))
        """

    /// True for a ticket in `answered` whose newest message (of any kind) is at or before `cutoff`.
    static let staleCondition = """
        t.status = 'answered'
        AND COALESCE((SELECT max(m.created_at) FROM messages m WHERE m.ticket_id = t.id), t.created_at) <= ?
        """

    public func waitingSince(_ ids: [Int64]) throws(TicketsError) -> [Int64: Timestamp] {
        // The ids travel as one JSON array (json_each): a list of 100,000 tickets costs no
        // more statements than a list of ten.
        let s = try db.prepare("""
            SELECT t.id, \(Self.waitingSince) FROM tickets t WHERE t.id IN (SELECT value FROM json_each(?))
            """)
        defer { s.reset() }
        var list = "["
        for (i, id) in ids.enumerated() {
            if i > 0 { list += "," }
            list += String(id)
        }
        s.bind(1, list + "]")
        var out = [Int64: Timestamp]()
        while try s.step() {
            if let since = Timestamp.parse(s.text(1)) { out[s.int(0)] = since }
        }
        return out
    }

    public func staleTicketIDs(idleSince cutoff: Timestamp) throws(TicketsError) -> [Int64] {
        let s = try db.prepare("SELECT t.id FROM tickets t WHERE \(Self.staleCondition) ORDER BY t.id")
        defer { s.reset() }
        s.bind(1, cutoff.rfc3339)
        var out = [Int64]()
        while try s.step() { out.append(s.int(0)) }
        return out
    }

    public func isStale(_ id: Int64, idleSince cutoff: Timestamp) throws(TicketsError) -> Bool {
        let s = try db.prepare("SELECT EXISTS (SELECT 1 FROM tickets t WHERE t.id = ? AND \(Self.staleCondition))")
        defer { s.reset() }
        s.bind(1, id).bind(2, cutoff.rfc3339)
        _ = try s.step()
        return s.int(0) != 0
    }
}
