import TicketsCore

/// The time rules in PostgreSQL's SQL, as the SQLite store writes them: when a ticket
/// started waiting on support, and whether an answered ticket is stale.
extension PostgresStore {
    /// SPEC §5 and §3: the first requester message after the last public agent reply,
    /// else the opening; a later reopening restarts the clock. Times are canonical text
    /// in the C collation ('' is before every time).
    static let waitingSince = """
        GREATEST(COALESCE((SELECT min(r.created_at) FROM tickets.messages r
                           WHERE r.ticket_id = t.id AND r.role = 'requester' AND r.id > COALESCE(
                               (SELECT max(a.id) FROM tickets.messages a WHERE a.ticket_id = t.id AND a.role = 'agent' AND NOT a.internal), 0)),
                          t.created_at),
                 COALESCE((SELECT max(e.created_at) FROM tickets.events e WHERE e.ticket_id = t.id AND e.action = 'reopen'), ''))
        """

    static let staleCondition = """
        t.status = 'answered'
        AND COALESCE((SELECT max(m.created_at) FROM tickets.messages m WHERE m.ticket_id = t.id), t.created_at) <= $1
        """

    public func waitingSince(_ ids: [Int64]) throws(TicketsError) -> [Int64: Timestamp] {
        let r = try pg.run("SELECT t.id, \(Self.waitingSince) FROM tickets.tickets t WHERE t.id = ANY($1::bigint[])",
                           [.text(Self.array(ids))])
        var out = [Int64: Timestamp]()
        for i in 0..<r.rows {
            if let since = Timestamp.parse(r.text(i, 1)) { out[r.int(i, 0)] = since }
        }
        return out
    }

    public func staleTicketIDs(idleSince cutoff: Timestamp) throws(TicketsError) -> [Int64] {
        let r = try pg.run("SELECT t.id FROM tickets.tickets t WHERE \(Self.staleCondition) ORDER BY t.id", [.text(cutoff.rfc3339)])
        return (0..<r.rows).map { r.int($0, 0) }
    }

    public func isStale(_ id: Int64, idleSince cutoff: Timestamp) throws(TicketsError) -> Bool {
        try pg.run("SELECT EXISTS (SELECT 1 FROM tickets.tickets t WHERE \(Self.staleCondition) AND t.id = $2)",
                   [.text(cutoff.rfc3339), .int(id)]).bool(0, 0)
    }
}
