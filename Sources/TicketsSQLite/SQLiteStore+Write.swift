import TicketsCore

/// Write primitives of the store boundary: statements only. They run inside
/// `write`, whose BEGIN IMMEDIATE already holds the database's write lock.
extension SQLiteStore {
    /// Nothing to do: BEGIN IMMEDIATE serialises every writer of the file.
    public func lockDedupeKey(requesterKey: String, dedupeKey: String) throws(TicketsError) {}

    public func insertTicket(_ r: NewTicketRow) throws(TicketsError) -> Int64 {
        try db.prepare("""
            INSERT INTO tickets (subject, status, priority, department, service, requester_name, requester_email,
                                 requester_key, dedupe_key, created_at, updated_at)
            VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .bindAll([.text(r.subject), .text(r.priority.rawValue), .text(r.department), .optional(r.service),
                      .text(r.requester.name), .text(r.requester.email), .text(EmailIdentity.key(r.requester.email)),
                      .optional(r.dedupeKey), .text(r.at), .text(r.at)])
            .run()
        let id = db.lastInsertRowID
        try db.prepare("INSERT INTO subject_fts (rowid, text) VALUES (?, ?)").bindAll([.int(id), .text(SearchText.indexForm(r.subject))]).run()
        return id
    }

    public func setCC(_ id: Int64, _ emails: [String]) throws(TicketsError) {
        try db.prepare("DELETE FROM ticket_cc WHERE ticket_id = ?").bind(1, id).run()
        for (position, email) in emails.enumerated() {
            try db.prepare("INSERT INTO ticket_cc (ticket_id, position, email, email_key) VALUES (?, ?, ?, ?)")
                .bindAll([.int(id), .int(Int64(position)), .text(email), .text(EmailIdentity.key(email))]).run()
        }
    }

    public func insertMessage(_ m: NewMessageRow) throws(TicketsError) -> Int64 {
        try db.prepare("""
            INSERT INTO messages (ticket_id, author_name, author_email, role, body, internal, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
            .bindAll([.int(m.ticketID), .text(m.author.name), .text(m.author.email), .text(m.role.rawValue), .text(m.body),
                      .int(m.isInternal ? 1 : 0), .text(m.at)])
            .run()
        let messageID = db.lastInsertRowID
        try db.prepare("INSERT INTO message_fts (rowid, text) VALUES (?, ?)")
            .bindAll([.int(messageID), .text(SearchText.indexForm(m.body))]).run()
        for a in m.attachments {
            let s = try db.prepare("""
                INSERT INTO attachments (message_id, name, size, sha256, content_type, data) VALUES (?, ?, ?, ?, ?, ?)
                """)
            s.bindAll([.int(messageID), .text(a.name), .int(Int64(a.bytes.count)), .text(a.sha256), .text(a.contentType)])
            s.bind(6, blob: a.bytes)
            try s.run()
        }
        return messageID
    }

    /// The chunk's system messages in ONE statement: FTS5 indexes them in one flush. One
    /// INSERT per ticket wrote one tiny index segment each, and the merges they piled up
    /// fell on whichever writer came next, a concurrent `open` among them (waits over
    /// 100 ms at a million tickets, bench/RESULTS.md).
    public func insertSystemMessages(ticketIDs: [Int64], author: Person, body: String, at: String) throws(TicketsError) -> [Int64: Int64] {
        let top = try db.prepare("SELECT COALESCE(max(id), 0) FROM messages")
        _ = try top.step()
        let last = top.int(0)
        top.reset()
        try db.prepare("""
            INSERT INTO messages (ticket_id, author_name, author_email, role, body, internal, created_at)
            SELECT value, ?, ?, 'system', ?, 0, ? FROM json_each(?)
            """)
            .bindAll([.text(author.name), .text(author.email), .text(body), .text(at),
                      .text("[" + ticketIDs.map { String($0) }.joined(separator: ",") + "]")])
            .run()
        // The messages just inserted have the ids after the largest one (INTEGER PRIMARY
        // KEY takes max + 1, and the write lock keeps everyone else out): one search form,
        // one statement for the chunk.
        try db.prepare("INSERT INTO message_fts (rowid, text) SELECT id, ? FROM messages WHERE id > ?")
            .bindAll([.text(SearchText.indexForm(body)), .int(last)]).run()
        let ids = try db.prepare("SELECT ticket_id, id FROM messages WHERE id > ?")
        defer { ids.reset() }
        ids.bind(1, last)
        var out = [Int64: Int64]()
        while try ids.step() { out[ids.int(0)] = ids.int(1) }
        return out
    }

    public func updateTicket(_ id: Int64, _ u: TicketUpdate) throws(TicketsError) {
        var sets = [String]()
        var binds = [SQLValue]()
        func set(_ column: String, _ value: SQLValue) {
            sets.append("\(column) = ?")
            binds.append(value)
        }
        if let s = u.status { set("status", .text(s.rawValue)) }
        if let s = u.updatedAt { set("updated_at", .text(s)) }
        if let c = u.closedAt { set("closed_at", .optional(c)) }
        if let a = u.assignee {
            set("assignee", .optional(a))
            set("assignee_key", .optional(a.map(EmailIdentity.key)))
        }
        if let s = u.subject { set("subject", .text(s)) }
        if let d = u.department { set("department", .text(d)) }
        if let p = u.priority { set("priority", .text(p.rawValue)) }
        if let s = u.service { set("service", .optional(s)) }
        if let r = u.rating {
            set("rating_stars", r.map { .int(Int64($0.stars)) } ?? .null)
            set("rating_review", .optional(r?.review))
            set("rated_at", .optional(r?.ratedAt))
        }
        if let k = u.dedupeKey { set("dedupe_key", .optional(k)) }
        guard !sets.isEmpty else { return }
        if let subject = u.subject { try reindexSubject(id, subject) }
        try db.prepare("UPDATE tickets SET \(sets.joined(separator: ", ")) WHERE id = ?").bindAll(binds + [.int(id)]).run()
    }

    /// The subject index holds what was indexed, not the table: an edited subject leaves
    /// with the values it went in with (FTS5's 'delete' command), then comes back new.
    func reindexSubject(_ id: Int64, _ subject: String) throws(TicketsError) {
        guard let old = try ticket(id, forUpdate: true)?.subject else { return }
        try db.prepare("INSERT INTO subject_fts (subject_fts, rowid, text) VALUES ('delete', ?, ?)")
            .bindAll([.int(id), .text(SearchText.indexForm(old))]).run()
        try db.prepare("INSERT INTO subject_fts (rowid, text) VALUES (?, ?)").bindAll([.int(id), .text(SearchText.indexForm(subject))]).run()
    }

    public func insertEvent(_ e: NewEvent) throws(TicketsError) -> Int64 {
        try db.prepare("""
            INSERT INTO events (ticket_id, actor_name, actor_email, action, from_status, to_status,
                                field, old_value, new_value, created_at, message_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .bindAll([.int(e.ticketID), .text(e.actor.name), .text(e.actor.email), .text(e.action),
                      .optional(e.from?.rawValue), .optional(e.to?.rawValue), .optional(e.field),
                      .optional(e.oldValue), .optional(e.newValue), .text(e.at), e.messageID.map { .int($0) } ?? .null])
            .run()
        return db.lastInsertRowID
    }

    public func moveMessages(from source: Int64, to target: Int64) throws(TicketsError) {
        try db.prepare("UPDATE messages SET ticket_id = ? WHERE ticket_id = ?").bindAll([.int(target), .int(source)]).run()
    }
}

extension SQLValue {
    static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
}
