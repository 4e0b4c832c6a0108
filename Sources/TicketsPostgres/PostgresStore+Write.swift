import TicketsCore

/// Write primitives: statements only, inside `write`'s transaction; the rows they change
/// were locked when the operation read them (`ticket(_:forUpdate: true)`).
extension PostgresStore {
    /// What has no row yet cannot be locked with FOR UPDATE: filings of one (requester,
    /// key) pair queue on a transaction-scoped advisory lock instead, so 16 CI jobs
    /// filing one key at once make one ticket.
    public func lockDedupeKey(requesterKey: String, dedupeKey: String) throws(TicketsError) {
        try pg.run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(requesterKey + "\u{1}" + dedupeKey)])
    }

    public func insertTicket(_ r: NewTicketRow) throws(TicketsError) -> Int64 {
        try pg.run("""
            INSERT INTO tickets.tickets (subject, status, priority, department, service, requester_name, requester_email,
                                         requester_key, dedupe_key, created_at, updated_at, subject_search)
            VALUES ($1, 'open', $2, $3, $4, $5, $6, $7, $8, $9, $9, $10::tsvector) RETURNING id
            """, [.text(r.subject), .text(r.priority.rawValue), .text(r.department), .optional(r.service),
                  .text(r.requester.name), .text(r.requester.email), .text(EmailIdentity.key(r.requester.email)),
                  .optional(r.dedupeKey), .text(r.at), .text(PostgresSearch.vector(SearchText.indexForm(r.subject)))]).int(0, 0)
    }

    public func setCC(_ id: Int64, _ emails: [String]) throws(TicketsError) {
        try pg.run("DELETE FROM tickets.ticket_cc WHERE ticket_id = $1", [.int(id)])
        for (position, email) in emails.enumerated() {
            try pg.run("INSERT INTO tickets.ticket_cc (ticket_id, position, email, email_key) VALUES ($1, $2, $3, $4)",
                       [.int(id), .int(Int64(position)), .text(email), .text(EmailIdentity.key(email))])
        }
    }

    public func insertMessage(_ m: NewMessageRow) throws(TicketsError) -> Int64 {
        let id = try pg.run("""
            INSERT INTO tickets.messages (ticket_id, author_name, author_email, role, body, internal, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, [.int(m.ticketID), .text(m.author.name), .text(m.author.email), .text(m.role.rawValue), .text(m.body),
                  .bool(m.isInternal), .text(m.at)]).int(0, 0)
        try index(messages: [id], body: m.body)
        for a in m.attachments {
            try pg.run("""
                INSERT INTO tickets.attachments (message_id, name, size, sha256, content_type, data) VALUES ($1, $2, $3, $4, $5, $6)
                """, [.int(id), .text(a.name), .int(Int64(a.bytes.count)), .text(a.sha256), .text(a.contentType), .bytes(a.bytes)])
        }
        return id
    }

    /// The search parts of one body, for each of these messages.
    func index(messages ids: [Int64], body: String) throws(TicketsError) {
        for (part, vector) in PostgresSearch.parts(SearchText.indexForm(body)).enumerated() {
            try pg.run("""
                INSERT INTO tickets.message_search (message_id, part, vector) SELECT unnest($1::bigint[]), $2, $3::tsvector
                """, [.text(Self.array(ids)), .int(Int64(part)), .text(vector)])
        }
    }

    public func insertSystemMessages(ticketIDs: [Int64], author: Person, body: String, at: String) throws(TicketsError) -> [Int64: Int64] {
        let r = try pg.run("""
            INSERT INTO tickets.messages (ticket_id, author_name, author_email, role, body, internal, created_at)
            SELECT unnest($1::bigint[]), $2, $3, 'system', $4, false, $5 RETURNING id, ticket_id
            """, [.text(Self.array(ticketIDs)), .text(author.name), .text(author.email), .text(body), .text(at)])
        var out = [Int64: Int64]()
        for i in 0..<r.rows { out[r.int(i, 1)] = r.int(i, 0) }
        try index(messages: Array(out.values), body: body)
        return out
    }

    public func updateTicket(_ id: Int64, _ u: TicketUpdate) throws(TicketsError) {
        var p = Params()
        var sets = [String]()
        func set(_ column: String, _ value: PostgresConnection.Param) { sets.append("\(column) = \(p.add(value))") }
        if let s = u.status { set("status", .text(s.rawValue)) }
        if let s = u.updatedAt { set("updated_at", .text(s)) }
        if let c = u.closedAt { set("closed_at", .optional(c)) }
        if let a = u.assignee {
            set("assignee", .optional(a))
            set("assignee_key", .optional(a.map(EmailIdentity.key)))
        }
        if let s = u.subject {
            set("subject", .text(s))
            sets.append("subject_search = \(p.add(.text(PostgresSearch.vector(SearchText.indexForm(s)))))::tsvector")
        }
        if let d = u.department { set("department", .text(d)) }
        if let pr = u.priority { set("priority", .text(pr.rawValue)) }
        if let s = u.service { set("service", .optional(s)) }
        if let r = u.rating {
            set("rating_stars", r.map { .int(Int64($0.stars)) } ?? .null)
            set("rating_review", .optional(r?.review))
            set("rated_at", .optional(r?.ratedAt))
        }
        if let k = u.dedupeKey { set("dedupe_key", .optional(k)) }
        guard !sets.isEmpty else { return }
        let idParam = p.add(.int(id))
        try pg.run("UPDATE tickets.tickets SET \(sets.joined(separator: ", ")) WHERE id = \(idParam)", p.values)
    }

    public func insertEvent(_ e: NewEvent) throws(TicketsError) -> Int64 {
        try pg.run("""
            INSERT INTO tickets.events (ticket_id, actor_name, actor_email, action, from_status, to_status,
                                        field, old_value, new_value, created_at, message_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
            """, [.int(e.ticketID), .text(e.actor.name), .text(e.actor.email), .text(e.action), .optional(e.from?.rawValue),
                  .optional(e.to?.rawValue), .optional(e.field), .optional(e.oldValue), .optional(e.newValue), .text(e.at),
                  e.messageID.map { .int($0) } ?? .null]).int(0, 0)
    }

    public func moveMessages(from source: Int64, to target: Int64) throws(TicketsError) {
        try pg.run("UPDATE tickets.messages SET ticket_id = $1 WHERE ticket_id = $2", [.int(target), .int(source)])
    }

    /// A PostgreSQL array literal of ids: `{1,2,3}`.
    static func array(_ ids: [Int64]) -> String { "{" + ids.map { String($0) }.joined(separator: ",") + "}" }
}
