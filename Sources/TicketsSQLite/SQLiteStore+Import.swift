/// `import`: what `export` wrote, back into the database with its ids and times, in ONE
/// transaction (all or nothing). The input is already in memory, so nothing is read from
/// a file while the lock is held; each object is parsed, checked and inserted in turn, and
/// the few INSERTs are prepared once and reused from the connection's statement cache.
///
/// Rows wait in TEMP tables (in memory) and move to the real tables one batch per
/// statement: SQLite's FTS5 (3.40) flushes its pending index at every statement savepoint,
/// so row-by-row INSERTs into `tickets` and `messages`, whose triggers feed the FTS5
/// tables, wrote one tiny index segment per row and merged them over and over (20k
/// tickets: 3.8 s; batched: see bench/RESULTS.md).
import TicketsCore

extension SQLiteStore {
    /// `source` names the input in syntax errors ("export.json", "standard input").
    public func importTickets(_ bytes: [UInt8], source: String) throws(TicketsError) -> ImportSummary {
        var reader = JSONReader(bytes: bytes)
        var summary = ImportSummary()
        // The staging tables live in memory; a batch holds a few MB. A page cache of up to
        // 256 MiB keeps the growing tables' pages in memory until the commit, instead of
        // spilling them to the WAL again and again (100k tickets: 10.8 s -> 7.5 s, bench/).
        try db.execute("PRAGMA temp_store = MEMORY")
        try db.execute("PRAGMA cache_size = -262144")
        db.registerMigrationFunctions()
        try writeTransaction { () throws(TicketsError) in
            for table in Self.importTables {
                try db.execute("CREATE TEMP TABLE import_\(table) AS SELECT * FROM main.\(table) WHERE 0")
            }
            try db.execute("CREATE UNIQUE INDEX temp.import_tickets_id ON import_tickets (id)")
            var position = 0
            var batch = [Int64]()
            while true {
                let object: JSONObject?
                do throws(JSONReadError) {
                    object = try reader.nextDocumentObject()
                } catch {
                    switch error {
                    case .syntax(let error):
                        throw .invalid("import: \(source) is not a tickets export: \(error.message); nothing was imported")
                    case .source(let error):
                        throw error
                    }
                }
                guard let object else { break }
                position += 1
                let record = try ImportRecord(object, position: position)
                if try ticketExists(record.ticket.id) {
                    summary.skipped += 1
                    continue
                }
                try insert(record)
                batch.append(record.ticket.id)
                if batch.count == Self.importBatch {
                    try flushImport(batch)
                    batch.removeAll(keepingCapacity: true)
                }
                summary.imported += 1
            }
            try flushImport(batch)
            for table in Self.importTables { try db.execute("DROP TABLE temp.import_\(table)") }
        }
        return summary
    }

    /// Parents before children, so the foreign keys hold at every step.
    static let importTables = ["tickets", "ticket_cc", "messages", "attachments", "events"]
    static let importBatch = 2_000

    /// Moves the staged rows of `tickets` (ids in input order) into the real tables.
    private func flushImport(_ tickets: [Int64]) throws(TicketsError) {
        guard let first = tickets.first, let last = tickets.last else { return }
        for table in Self.importTables {
            do throws(TicketsError) {
                try db.prepare("INSERT INTO main.\(table) SELECT * FROM temp.import_\(table)").run()
            } catch where error.kind == .invalidInput {
                // A constraint: a message, attachment or event id already used, or a dedupe
                // key already carried by another active ticket.
                let which = first == last ? "ticket #\(first)" : "one of tickets #\(first) to #\(last)"
                throw .invalid("import: \(which): \(error.message); nothing was imported")
            }
            if table == "tickets" {
                try db.prepare("INSERT INTO subject_fts (rowid, text) SELECT id, tickets_search_form(subject) FROM temp.import_tickets").run()
            } else if table == "messages" {
                try db.prepare("INSERT INTO message_fts (rowid, text) SELECT id, tickets_search_form(body) FROM temp.import_messages").run()
            }
            try db.prepare("DELETE FROM temp.import_\(table)").run()
        }
    }

    func ticketExists(_ id: Int64) throws(TicketsError) -> Bool {
        // Staged tickets count too: an id given twice in one file is skipped the second time.
        let s = try db.prepare("""
            SELECT EXISTS (SELECT 1 FROM main.tickets WHERE id = ?1) OR EXISTS (SELECT 1 FROM temp.import_tickets WHERE id = ?1)
            """)
        s.bind(1, id)
        _ = try s.step()
        defer { s.reset() }
        return s.int(0) != 0
    }

    private func insert(_ r: ImportRecord) throws(TicketsError) {
        let t = r.ticket
        func text(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
        try db.prepare("""
            INSERT INTO temp.import_tickets (id, subject, status, priority, department, service, requester_name, requester_email,
                                 assignee, dedupe_key, created_at, updated_at, closed_at, rating_stars, rating_review, rated_at,
                                 requester_key, assignee_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .bindAll([.int(t.id), .text(t.subject), .text(t.status.rawValue), .text(t.priority.rawValue),
                      .text(t.department), text(t.service), .text(t.requester.name), .text(t.requester.email),
                      text(t.assignee), text(t.dedupeKey), .text(t.createdAt), .text(t.updatedAt), text(t.closedAt),
                      t.rating.map { .int(Int64($0.stars)) } ?? .null, text(t.rating?.review), text(t.rating?.ratedAt),
                      .text(EmailIdentity.key(t.requester.email)), text(t.assignee.map(EmailIdentity.key))])
            .run()
        // Positions as exported, duplicates included: the list comes back as it left.
        for (i, email) in t.cc.enumerated() {
            try db.prepare("INSERT INTO temp.import_ticket_cc (ticket_id, position, email, email_key) VALUES (?, ?, ?, ?)")
                .bindAll([.int(t.id), .int(Int64(i)), .text(email), .text(EmailIdentity.key(email))]).run()
        }
        for (m, attachments) in zip(r.messages, r.attachmentData) {
            try db.prepare("""
                INSERT INTO temp.import_messages (id, ticket_id, author_name, author_email, role, body, internal, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .bindAll([.int(m.id), .int(t.id), .text(m.author.name), .text(m.author.email), .text(m.role.rawValue),
                          .text(m.body), .int(m.isInternal ? 1 : 0), .text(m.createdAt)])
                .run()
            for a in attachments {
                let s = try db.prepare("""
                    INSERT INTO temp.import_attachments (id, message_id, name, size, sha256, content_type, data) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                s.bindAll([.int(a.attachment.id), .int(m.id), .text(a.attachment.name), .int(a.attachment.size),
                           .text(a.attachment.sha256), .text(a.attachment.contentType)])
                s.bind(7, blob: a.bytes)
                try s.run()
            }
        }
        for e in r.events {
            try db.prepare("""
                INSERT INTO temp.import_events (id, ticket_id, actor_name, actor_email, action, from_status, to_status,
                                                field, old_value, new_value, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .bindAll([.int(e.id), .int(t.id), .text(e.actor.name), .text(e.actor.email), .text(e.action),
                          text(e.fromStatus), text(e.toStatus), text(e.field), text(e.oldValue), text(e.newValue),
                          .text(e.createdAt)])
                .run()
        }
    }
}
