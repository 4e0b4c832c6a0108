import TicketsCore

/// Pass two of `import` (SPEC §5): the staged file (`ImportStage`) is attached and its
/// tickets checked against the database and moved in by a few INSERT ... SELECT
/// statements, in ONE transaction: all or nothing. Nothing is read from the user's input
/// while the lock is held; the stage is our own file, written and checked before.
///
/// Whole tables move in one statement each: SQLite's FTS5 (3.40) flushes its pending
/// index at every statement savepoint, so row-by-row inserts wrote one tiny index
/// segment per row and merged them over and over (bench/RESULTS.md).
extension SQLiteStore {
    static let active = "('open','in-progress','answered','customer-reply')"

    public func importTickets(_ staged: any StagedImport) throws(TicketsError) -> ImportSummary {
        // A bounded page cache: the moves stream from the stage, and the import's memory
        // must not grow with the export (bench/: peak RSS at a million tickets).
        try db.execute("PRAGMA cache_size = -16384")
        let attach = try db.prepare("ATTACH ? AS staging")
        attach.bind(1, staged.path)
        try attach.run()
        defer { try? db.execute("DETACH staging") }
        var summary = ImportSummary()
        try writeTransaction { () throws(TicketsError) in
            // Ticket ids that exist are skipped with everything of theirs.
            try db.execute("""
                CREATE TEMP TABLE import_skip (id INTEGER PRIMARY KEY);
                INSERT INTO import_skip SELECT s.id FROM staging.tickets s WHERE EXISTS (SELECT 1 FROM main.tickets m WHERE m.id = s.id);
                """)
            defer { try? db.execute("DROP TABLE temp.import_skip") }
            summary.skipped = Int(try scalar("SELECT count(*) FROM import_skip") ?? 0)
            summary.imported = staged.ticketCount - summary.skipped
            try refuseCollisions()
            let kept = "NOT IN (SELECT id FROM import_skip)"
            try db.execute("""
                INSERT INTO main.tickets (id, subject, status, priority, department, service, requester_name, requester_email,
                                          requester_key, assignee, assignee_key, dedupe_key, created_at, updated_at, closed_at,
                                          rating_stars, rating_review, rated_at)
                    SELECT id, subject, status, priority, department, service, requester_name, requester_email,
                           requester_key, assignee, assignee_key, dedupe_key, created_at, updated_at, closed_at,
                           rating_stars, rating_review, rated_at
                    FROM staging.tickets WHERE id \(kept) ORDER BY id;
                INSERT INTO subject_fts (rowid, text) SELECT id, search_form FROM staging.tickets WHERE id \(kept);
                INSERT INTO main.ticket_cc (ticket_id, position, email, email_key)
                    SELECT ticket_id, position, email, email_key FROM staging.ticket_cc WHERE ticket_id \(kept);
                INSERT INTO main.messages (id, ticket_id, author_name, author_email, role, body, internal, created_at)
                    SELECT id, ticket_id, author_name, author_email, role, body, internal, created_at
                    FROM staging.messages WHERE ticket_id \(kept) ORDER BY id;
                INSERT INTO message_fts (rowid, text) SELECT id, search_form FROM staging.messages WHERE ticket_id \(kept);
                INSERT INTO main.attachments (id, message_id, name, size, sha256, content_type, data)
                    SELECT a.id, a.message_id, a.name, a.size, a.sha256, a.content_type, a.data
                    FROM staging.attachments a JOIN staging.messages m ON m.id = a.message_id
                    WHERE m.ticket_id \(kept) ORDER BY a.id;
                INSERT INTO main.events (id, ticket_id, actor_name, actor_email, action, from_status, to_status,
                                         field, old_value, new_value, created_at, message_id)
                    SELECT id, ticket_id, actor_name, actor_email, action, from_status, to_status,
                           field, old_value, new_value, created_at, message_id
                    FROM staging.events WHERE ticket_id \(kept) ORDER BY id;
                """)
        }
        return summary
    }

    /// A message, attachment or event id that exists under another ticket, or a dedupe
    /// key an active ticket of the same requester carries, refuses the import, naming
    /// the exact ticket of the input (SPEC §5).
    private func refuseCollisions() throws(TicketsError) {
        let checks: [(sql: String, what: String)] = [
            ("""
             SELECT s.ticket_id, s.id, (SELECT m.ticket_id FROM main.messages m WHERE m.id = s.id)
             FROM staging.messages s WHERE s.ticket_id NOT IN (SELECT id FROM import_skip)
               AND EXISTS (SELECT 1 FROM main.messages m WHERE m.id = s.id) LIMIT 1
             """, "message"),
            ("""
             SELECT sm.ticket_id, a.id, (SELECT m.ticket_id FROM main.attachments x JOIN main.messages m ON m.id = x.message_id WHERE x.id = a.id)
             FROM staging.attachments a JOIN staging.messages sm ON sm.id = a.message_id
             WHERE sm.ticket_id NOT IN (SELECT id FROM import_skip)
               AND EXISTS (SELECT 1 FROM main.attachments x WHERE x.id = a.id) LIMIT 1
             """, "attachment"),
            ("""
             SELECT s.ticket_id, s.id, (SELECT e.ticket_id FROM main.events e WHERE e.id = s.id)
             FROM staging.events s WHERE s.ticket_id NOT IN (SELECT id FROM import_skip)
               AND EXISTS (SELECT 1 FROM main.events e WHERE e.id = s.id) LIMIT 1
             """, "event"),
        ]
        for check in checks {
            let s = try db.prepare(check.sql)
            defer { s.reset() }
            if try s.step() {
                throw .invalid("import: ticket #\(s.int(0)): \(check.what) id \(s.int(1)) is already used by ticket #\(s.int(2)) in the database; nothing was imported")
            }
        }
        let link = try db.prepare("""
            SELECT e.ticket_id, e.id, e.message_id FROM staging.events e
            WHERE e.message_id IS NOT NULL AND e.ticket_id NOT IN (SELECT id FROM import_skip)
              AND NOT EXISTS (SELECT 1 FROM staging.messages m WHERE m.id = e.message_id
                                AND m.ticket_id NOT IN (SELECT id FROM import_skip))
              AND NOT EXISTS (SELECT 1 FROM main.messages m WHERE m.id = e.message_id) LIMIT 1
            """)
        defer { link.reset() }
        if try link.step() { throw ImportStage.danglingMessage(ticket: link.int(0), event: link.int(1), message: link.int(2)) }
        let d = try db.prepare("""
            SELECT s.id, m.id, s.dedupe_key FROM staging.tickets s
            JOIN main.tickets m ON m.requester_key = s.requester_key AND m.dedupe_key = s.dedupe_key
            WHERE s.dedupe_key IS NOT NULL AND s.status IN \(Self.active) AND m.status IN \(Self.active)
              AND s.id NOT IN (SELECT id FROM import_skip) LIMIT 1
            """)
        defer { d.reset() }
        if try d.step() {
            throw .invalid("import: ticket #\(d.int(0)): its dedupe key '\(d.text(2))' is carried by active ticket #\(d.int(1)) of the same requester in the database; close one of them first; nothing was imported")
        }
    }

    private func scalar(_ sql: String) throws(TicketsError) -> Int64? {
        let s = try db.prepare(sql)
        defer { s.reset() }
        return try s.step() ? s.optionalInt(0) : nil
    }
}
