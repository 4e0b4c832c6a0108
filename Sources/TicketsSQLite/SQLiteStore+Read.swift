import TicketsCore

/// Read primitives of the store boundary. Visibility and the lifecycle are decided above
/// (TicketsCore/Operations); here are only the statements.
extension SQLiteStore {
    static let ticketColumns = """
        t.id, t.subject, t.status, t.priority, t.department, t.service, t.requester_name,
        t.requester_email, t.assignee, t.dedupe_key, t.created_at, t.updated_at, t.closed_at,
        t.rating_stars, t.rating_review, t.rated_at,
        (SELECT group_concat(c.email, char(10)) FROM ticket_cc c WHERE c.ticket_id = t.id)
        """

    static func decodeTicket(_ s: Statement) -> Ticket {
        let cc = s.optionalText(16).map { $0.split(separator: "\n").map(String.init) } ?? []
        let rating = s.optionalInt(13).map { Rating(stars: Int($0), review: s.optionalText(14), ratedAt: s.text(15)) }
        return Ticket(id: s.int(0), subject: s.text(1), status: Status(rawValue: s.text(2)) ?? .open,
                      priority: Priority(rawValue: s.text(3)) ?? .medium, department: s.text(4),
                      service: s.optionalText(5), requester: Person(name: s.text(6), email: s.text(7)), cc: cc,
                      assignee: s.optionalText(8), dedupeKey: s.optionalText(9), createdAt: s.text(10),
                      updatedAt: s.text(11), closedAt: s.optionalText(12), rating: rating)
    }

    /// SQLite's write transaction already holds the database's write lock: `forUpdate`
    /// needs nothing more here.
    public func ticket(_ id: Int64, forUpdate: Bool) throws(TicketsError) -> Ticket? {
        let s = try db.prepare("SELECT \(Self.ticketColumns) FROM tickets t WHERE t.id = ?")
        defer { s.reset() }
        s.bind(1, id)
        return try s.step() ? Self.decodeTicket(s) : nil
    }

    public func messages(of id: Int64, includeInternal: Bool) throws(TicketsError) -> [Message] {
        let s = try db.prepare("""
            SELECT id, author_name, author_email, role, body, internal, created_at
            FROM messages WHERE ticket_id = ? AND (internal = 0 OR ?) ORDER BY created_at, id
            """)
        s.bind(1, id).bind(2, includeInternal)
        var out = [Message]()
        while try s.step() {
            out.append(Message(id: s.int(0), ticketID: id, author: Person(name: s.text(1), email: s.text(2)),
                               role: Role(rawValue: s.text(3)) ?? .system, body: s.text(4), isInternal: s.int(5) != 0,
                               createdAt: s.text(6), attachments: []))
        }
        if !out.isEmpty {
            let a = try db.prepare("""
                SELECT a.id, a.message_id, a.name, a.size, a.sha256, a.content_type
                FROM attachments a JOIN messages m ON m.id = a.message_id
                WHERE m.ticket_id = ? ORDER BY a.id
                """)
            a.bind(1, id)
            var index = [Int64: Int]()
            for (i, m) in out.enumerated() { index[m.id] = i }
            while try a.step() {
                guard let i = index[a.int(1)] else { continue }
                out[i].attachments.append(Attachment(id: a.int(0), name: a.text(2), size: a.int(3),
                                                     sha256: a.text(4), contentType: a.text(5)))
            }
        }
        return out
    }

    public func events(of id: Int64, includeNotes: Bool) throws(TicketsError) -> [Event] {
        let s = try db.prepare("""
            SELECT id, actor_name, actor_email, action, from_status, to_status, field, old_value, new_value, created_at, message_id
            FROM events WHERE ticket_id = ? AND (action <> 'note' OR ?) ORDER BY id
            """)
        s.bind(1, id).bind(2, includeNotes)
        var out = [Event]()
        while try s.step() {
            out.append(Event(id: s.int(0), ticketID: id, actor: Person(name: s.text(1), email: s.text(2)),
                             action: s.text(3), fromStatus: s.optionalText(4), toStatus: s.optionalText(5),
                             field: s.optionalText(6), oldValue: s.optionalText(7), newValue: s.optionalText(8),
                             createdAt: s.text(9), messageID: s.optionalInt(10)))
        }
        return out
    }

    public func hasPublicAgentReply(_ id: Int64) throws(TicketsError) -> Bool {
        let s = try db.prepare("SELECT EXISTS (SELECT 1 FROM messages WHERE ticket_id = ? AND role = 'agent' AND internal = 0)")
        defer { s.reset() }
        s.bind(1, id)
        _ = try s.step()
        return s.int(0) != 0
    }

    public func attachmentData(_ id: Int64) throws(TicketsError) -> [UInt8] {
        let s = try db.prepare("SELECT data FROM attachments WHERE id = ?")
        defer { s.reset() }
        s.bind(1, id)
        guard try s.step() else { throw .notFound("no attachment \(id)") }
        return s.blob(0)
    }

    public func activeTicket(requesterKey: String, dedupeKey: String) throws(TicketsError) -> Int64? {
        let s = try db.prepare("""
            SELECT id FROM tickets WHERE requester_key = ? AND dedupe_key = ?
              AND status IN ('open','in-progress','answered','customer-reply')
            """)
        defer { s.reset() }
        s.bind(1, requesterKey).bind(2, dedupeKey)
        return try s.step() ? s.int(0) : nil
    }
}
