import TicketsCore

/// Read primitives of the store boundary in PostgreSQL's SQL; the same statements as the
/// SQLite store's, with `$n` parameters and the tickets schema named.
extension PostgresStore {
    static let ticketColumns = """
        t.id, t.subject, t.status, t.priority, t.department, t.service, t.requester_name,
        t.requester_email, t.assignee, t.dedupe_key, t.created_at, t.updated_at, t.closed_at,
        t.rating_stars, t.rating_review, t.rated_at,
        (SELECT string_agg(c.email, E'\\n' ORDER BY c.position) FROM tickets.ticket_cc c WHERE c.ticket_id = t.id)
        """

    static func decodeTicket(_ r: PostgresResult, _ i: Int) -> Ticket {
        let cc = r.optionalText(i, 16).map { $0.split(separator: "\n").map(String.init) } ?? []
        let rating = r.optionalInt(i, 13).map { Rating(stars: Int($0), review: r.optionalText(i, 14), ratedAt: r.text(i, 15)) }
        return Ticket(id: r.int(i, 0), subject: r.text(i, 1), status: Status(rawValue: r.text(i, 2)) ?? .open,
                      priority: Priority(rawValue: r.text(i, 3)) ?? .medium, department: r.text(i, 4),
                      service: r.optionalText(i, 5), requester: Person(name: r.text(i, 6), email: r.text(i, 7)), cc: cc,
                      assignee: r.optionalText(i, 8), dedupeKey: r.optionalText(i, 9), createdAt: r.text(i, 10),
                      updatedAt: r.text(i, 11), closedAt: r.optionalText(i, 12), rating: rating)
    }

    public func ticket(_ id: Int64, forUpdate: Bool) throws(TicketsError) -> Ticket? {
        let r = try pg.run("SELECT \(Self.ticketColumns) FROM tickets.tickets t WHERE t.id = $1\(forUpdate ? " FOR UPDATE OF t" : "")",
                           [.int(id)])
        return r.rows > 0 ? Self.decodeTicket(r, 0) : nil
    }

    public func messages(of id: Int64, includeInternal: Bool) throws(TicketsError) -> [Message] {
        let r = try pg.run("""
            SELECT id, author_name, author_email, role, body, internal, created_at
            FROM tickets.messages WHERE ticket_id = $1 AND (NOT internal OR $2) ORDER BY created_at, id
            """, [.int(id), .bool(includeInternal)])
        var out = (0..<r.rows).map { i in
            Message(id: r.int(i, 0), ticketID: id, author: Person(name: r.text(i, 1), email: r.text(i, 2)),
                    role: Role(rawValue: r.text(i, 3)) ?? .system, body: r.text(i, 4), isInternal: r.bool(i, 5),
                    createdAt: r.text(i, 6), attachments: [])
        }
        if !out.isEmpty {
            let a = try pg.run("""
                SELECT a.id, a.message_id, a.name, a.size, a.sha256, a.content_type
                FROM tickets.attachments a JOIN tickets.messages m ON m.id = a.message_id
                WHERE m.ticket_id = $1 ORDER BY a.id
                """, [.int(id)])
            var index = [Int64: Int]()
            for (i, m) in out.enumerated() { index[m.id] = i }
            for j in 0..<a.rows {
                guard let i = index[a.int(j, 1)] else { continue }
                out[i].attachments.append(Attachment(id: a.int(j, 0), name: a.text(j, 2), size: a.int(j, 3),
                                                     sha256: a.text(j, 4), contentType: a.text(j, 5)))
            }
        }
        return out
    }

    public func events(of id: Int64, includeNotes: Bool) throws(TicketsError) -> [Event] {
        let r = try pg.run("""
            SELECT id, actor_name, actor_email, action, from_status, to_status, field, old_value, new_value, created_at, message_id
            FROM tickets.events WHERE ticket_id = $1 AND (action <> 'note' OR $2) ORDER BY id
            """, [.int(id), .bool(includeNotes)])
        return (0..<r.rows).map { i in
            Event(id: r.int(i, 0), ticketID: id, actor: Person(name: r.text(i, 1), email: r.text(i, 2)),
                  action: r.text(i, 3), fromStatus: r.optionalText(i, 4), toStatus: r.optionalText(i, 5),
                  field: r.optionalText(i, 6), oldValue: r.optionalText(i, 7), newValue: r.optionalText(i, 8),
                  createdAt: r.text(i, 9), messageID: r.optionalInt(i, 10))
        }
    }

    public func hasPublicAgentReply(_ id: Int64) throws(TicketsError) -> Bool {
        try pg.run("SELECT EXISTS (SELECT 1 FROM tickets.messages WHERE ticket_id = $1 AND role = 'agent' AND NOT internal)",
                   [.int(id)]).bool(0, 0)
    }

    public func attachmentData(_ id: Int64) throws(TicketsError) -> [UInt8] {
        let r = try pg.run("SELECT data FROM tickets.attachments WHERE id = $1", [.int(id)], binary: true)
        guard r.rows > 0 else { throw .notFound("no attachment \(id)") }
        return r.bytes(0, 0)
    }

    public func activeTicket(requesterKey: String, dedupeKey: String) throws(TicketsError) -> Int64? {
        let r = try pg.run("""
            SELECT id FROM tickets.tickets WHERE requester_key = $1 AND dedupe_key = $2
              AND status IN ('open','in-progress','answered','customer-reply')
            """, [.text(requesterKey), .text(dedupeKey)])
        return r.rows > 0 ? r.int(0, 0) : nil
    }
}
