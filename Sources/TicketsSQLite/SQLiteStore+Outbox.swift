import TicketsCore

/// The outbox table's statements (SPEC §9): written inside the change's transaction,
/// read and marked after it.
extension SQLiteStore {
    public func mailMessageIDs(ofTicket id: Int64) throws(TicketsError) -> [String] {
        let s = try db.prepare("SELECT message_id FROM outbox WHERE ticket_id = ? ORDER BY id")
        defer { s.reset() }
        s.bind(1, id)
        var out = [String]()
        while try s.step() { out.append(s.text(0)) }
        return out
    }

    public func queueMail(ticketID: Int64, messageID: String, recipients: [String], bytes: [UInt8],
                          at: String, claim: (by: String, until: String)?) throws(TicketsError) -> Int64 {
        let s = try db.prepare("""
            INSERT INTO outbox (ticket_id, message_id, recipients, bytes, queued_at, claimed_by, claimed_until)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        s.bindAll([.int(ticketID), .text(messageID), .text(QueuedMail.recipientsColumn(recipients))])
        s.bind(4, blob: bytes)
        s.bind(5, at)
        s.bind(6, claim?.by)
        s.bind(7, claim?.until)
        try s.run()
        return db.lastInsertRowID
    }

    public func outbox() throws(TicketsError) -> [QueuedMail] {
        let s = try db.prepare("""
            SELECT id, ticket_id, message_id, recipients, bytes, queued_at, attempts, last_error, claimed_by, claimed_until
            FROM outbox WHERE sent_at IS NULL ORDER BY id
            """)
        defer { s.reset() }
        var out = [QueuedMail]()
        while try s.step() {
            out.append(QueuedMail(id: s.int(0), ticketID: s.int(1), messageID: s.text(2),
                                  recipients: QueuedMail.recipients(ofColumn: s.text(3)), bytes: s.blob(4),
                                  queuedAt: s.text(5), attempts: Int(s.int(6)), lastError: s.optionalText(7),
                                  claimedBy: s.optionalText(8), claimedUntil: s.optionalText(9)))
        }
        return out
    }

    public func claimOutbox(_ id: Int64, by claimant: String, now: String, until: String, takeOver: String?) throws(TicketsError) -> Bool {
        try db.prepare("""
            UPDATE outbox SET claimed_until = ?, claimed_by = ?
            WHERE id = ? AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)
            """).bindAll([.text(until), .text(claimant), .int(id), .text(now), .optional(takeOver)]).run()
        return db.changes == 1
    }

    public func markOutbox(_ id: Int64, sentAt: String?, error: String?) throws(TicketsError) {
        try db.prepare("""
            UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = ?, claimed_until = NULL, claimed_by = NULL WHERE id = ?
            """).bindAll([.optional(sentAt), .optional(error), .int(id)]).run()
    }
}
