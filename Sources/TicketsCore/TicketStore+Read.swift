/// Reads: tickets, conversations and history, always through the viewer's eyes.
/// A requester sees only tickets they requested or are cc'd on, and no internal notes.
extension TicketStore {
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

    /// SQL true when the viewer may see ticket `t`; binds the viewer's email as `?`.
    static let visibleToRequester = """
        (t.requester_email = ? COLLATE NOCASE
         OR EXISTS (SELECT 1 FROM ticket_cc c WHERE c.ticket_id = t.id AND c.email = ? COLLATE NOCASE))
        """

    /// The ticket, after the checks every command makes in this order: it exists (66),
    /// the viewer may see it (77).
    func loadTicket(_ id: Int64, viewer: Actor) throws(TicketsError) -> Ticket {
        let s = try db.prepare("SELECT \(Self.ticketColumns) FROM tickets t WHERE t.id = ?")
        s.bind(1, id)
        guard try s.step() else { throw .notFound("no ticket #\(id); tickets list shows the tickets there are") }
        let ticket = Self.decodeTicket(s)
        s.reset()
        if !viewer.isAgent && !Self.canSee(ticket, email: viewer.person.email) {
            throw .notPermitted("ticket #\(id) belongs to another requester; only its requester, its cc list and agents may see it")
        }
        return ticket
    }

    static func canSee(_ t: Ticket, email: String) -> Bool {
        let me = email.lowercased()
        return t.requester.email.lowercased() == me || t.cc.contains { $0.lowercased() == me }
    }

    public func detail(_ id: Int64, viewer: Actor, history: Bool) throws(TicketsError) -> TicketDetail {
        try readTransaction { () throws(TicketsError) in
            try detail(of: try loadTicket(id, viewer: viewer), viewer: viewer, history: history)
        }
    }

    /// The conversation (and history) of a ticket the caller already read and may see:
    /// export walks `forEachTicket` and does not read each ticket a second time.
    public func detail(of ticket: Ticket, viewer: Actor, history: Bool) throws(TicketsError) -> TicketDetail {
        try readTransaction { () throws(TicketsError) in
            TicketDetail(ticket: ticket, messages: try messages(of: ticket.id, viewer: viewer),
                         events: history ? try events(of: ticket.id, viewer: viewer) : [])
        }
    }

    func messages(of id: Int64, viewer: Actor) throws(TicketsError) -> [Message] {
        let s = try db.prepare("""
            SELECT id, author_name, author_email, role, body, internal, created_at
            FROM messages WHERE ticket_id = ? AND (internal = 0 OR ?) ORDER BY id
            """)
        s.bind(1, id).bind(2, viewer.isAgent)
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

    /// The history; a requester does not see that internal notes were written.
    func events(of id: Int64, viewer: Actor) throws(TicketsError) -> [Event] {
        let s = try db.prepare("""
            SELECT id, actor_name, actor_email, action, from_status, to_status, created_at
            FROM events WHERE ticket_id = ? AND (action <> 'note' OR ?) ORDER BY id
            """)
        s.bind(1, id).bind(2, viewer.isAgent)
        var out = [Event]()
        while try s.step() {
            out.append(Event(id: s.int(0), ticketID: id, actor: Person(name: s.text(1), email: s.text(2)),
                             action: s.text(3), fromStatus: s.optionalText(4), toStatus: s.optionalText(5),
                             createdAt: s.text(6)))
        }
        return out
    }

    /// The bytes of one attachment, for saving; the caller checks the SHA-256.
    public func attachmentData(_ id: Int64) throws(TicketsError) -> [UInt8] {
        let s = try db.prepare("SELECT data FROM attachments WHERE id = ?")
        s.bind(1, id)
        guard try s.step() else { throw .notFound("no attachment \(id)") }
        let bytes = s.blob(0)
        s.reset()
        return bytes
    }
}
