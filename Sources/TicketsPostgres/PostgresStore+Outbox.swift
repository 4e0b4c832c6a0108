import TicketsCore

/// The outbox (SPEC §9) in PostgreSQL: written in the change's transaction, read and
/// marked after it.
extension PostgresStore {
    public func mailMessageIDs(ofTicket id: Int64) throws(TicketsError) -> [String] {
        let r = try pg.run("SELECT message_id FROM tickets.outbox WHERE ticket_id = $1 ORDER BY id", [.int(id)])
        return (0..<r.rows).map { r.text($0, 0) }
    }

    public func queueMail(ticketID: Int64, messageID: String, recipients: [String], bytes: [UInt8],
                          at: String, claim: (by: String, until: String)?) throws(TicketsError) -> Int64 {
        try pg.run("""
            INSERT INTO tickets.outbox (ticket_id, message_id, recipients, bytes, queued_at, claimed_by, claimed_until)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, [.int(ticketID), .text(messageID), .text(QueuedMail.recipientsColumn(recipients)), .bytes(bytes), .text(at),
                  claim.map { .text($0.by) } ?? .null, claim.map { .text($0.until) } ?? .null]).int(0, 0)
    }

    public func outbox() throws(TicketsError) -> [QueuedMail] {
        let r = try pg.run("""
            SELECT id, ticket_id, message_id, recipients, bytes, queued_at, attempts, last_error, claimed_by, claimed_until
            FROM tickets.outbox WHERE sent_at IS NULL ORDER BY id
            """, [])
        return (0..<r.rows).map { i in
            QueuedMail(id: r.int(i, 0), ticketID: r.int(i, 1), messageID: r.text(i, 2),
                       recipients: QueuedMail.recipients(ofColumn: r.text(i, 3)), bytes: r.bytea(i, 4),
                       queuedAt: r.text(i, 5), attempts: Int(r.int(i, 6)), lastError: r.optionalText(i, 7),
                       claimedBy: r.optionalText(i, 8), claimedUntil: r.optionalText(i, 9))
        }
    }

    public func claimOutbox(_ id: Int64, by claimant: String, now: String, until: String, takeOver: String?) throws(TicketsError) -> Bool {
        try pg.run("""
            UPDATE tickets.outbox SET claimed_until = $1, claimed_by = $2
            WHERE id = $3 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $4 OR claimed_by = $5) RETURNING id
            """, [.text(until), .text(claimant), .int(id), .text(now), .optional(takeOver)]).rows == 1
    }

    public func markOutbox(_ id: Int64, sentAt: String?, error: String?) throws(TicketsError) {
        try pg.run("""
            UPDATE tickets.outbox SET sent_at = $1, attempts = attempts + 1, last_error = $2, claimed_until = NULL, claimed_by = NULL
            WHERE id = $3
            """, [.optional(sentAt), .optional(error), .int(id)])
    }
}

extension PostgresResult {
    /// A bytea column of a text result: `\x` and hex digits.
    func bytea(_ row: Int, _ column: Int) -> [UInt8] {
        let hex = Array(text(row, column).utf8.dropFirst(2))
        func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57 }
        var out = [UInt8]()
        out.reserveCapacity(hex.count / 2)
        var i = 0
        while i + 1 < hex.count {
            out.append(nibble(hex[i]) << 4 | nibble(hex[i + 1]))
            i += 2
        }
        return out
    }
}
