import TicketsCore
import TicketsSQLite

/// Pass two of `import` on PostgreSQL (SPEC §5): the stage's rows are copied (COPY) into
/// temporary tables that live for this one transaction (ON COMMIT DROP: no session
/// state, so PgBouncer's transaction pooling works), checked against the tickets schema
/// and moved in, in ONE transaction: all or nothing, as on SQLite.
extension PostgresStore {
    public func importTickets(_ staged: any StagedImport) throws(TicketsError) -> ImportSummary {
        guard let stage = staged as? ImportStage else { throw .bug("import: the staged input is not an ImportStage") }
        var summary = ImportSummary()
        try write { () throws(TicketsError) in
            try pg.execute("""
                CREATE TEMP TABLE s_tickets (id bigint PRIMARY KEY, subject text, status text, priority text, department text,
                    service text, requester_name text, requester_email text, requester_key text, assignee text,
                    assignee_key text, dedupe_key text, created_at text COLLATE "C", updated_at text COLLATE "C",
                    closed_at text COLLATE "C", rating_stars integer, rating_review text, rated_at text COLLATE "C",
                    subject_search text) ON COMMIT DROP;
                CREATE TEMP TABLE s_cc (ticket_id bigint, position integer, email text, email_key text) ON COMMIT DROP;
                CREATE TEMP TABLE s_messages (id bigint PRIMARY KEY, ticket_id bigint, author_name text, author_email text,
                    role text, body text, internal boolean, created_at text COLLATE "C") ON COMMIT DROP;
                CREATE TEMP TABLE s_search (message_id bigint, part integer, vector text) ON COMMIT DROP;
                CREATE TEMP TABLE s_attachments (id bigint PRIMARY KEY, message_id bigint, name text, size bigint, sha256 text,
                    content_type text, data bytea) ON COMMIT DROP;
                CREATE TEMP TABLE s_events (id bigint PRIMARY KEY, ticket_id bigint, actor_name text, actor_email text,
                    action text, from_status text, to_status text, field text, old_value text, new_value text,
                    created_at text COLLATE "C", message_id bigint) ON COMMIT DROP;
                """)
            try copy(stage)
            try pg.execute("""
                CREATE TEMP TABLE s_skip ON COMMIT DROP AS
                    SELECT s.id FROM s_tickets s WHERE EXISTS (SELECT 1 FROM tickets.tickets t WHERE t.id = s.id);
                CREATE TEMP TABLE s_kept ON COMMIT DROP AS SELECT id FROM s_tickets EXCEPT SELECT id FROM s_skip;
                """)
            summary.skipped = Int(try pg.run("SELECT count(*) FROM s_skip").int(0, 0))
            summary.imported = stage.ticketCount - summary.skipped
            try refuseCollisions()
            try pg.execute("""
                INSERT INTO tickets.tickets (id, subject, status, priority, department, service, requester_name, requester_email,
                                             requester_key, assignee, assignee_key, dedupe_key, created_at, updated_at,
                                             closed_at, rating_stars, rating_review, rated_at, subject_search)
                    SELECT id, subject, status, priority, department, service, requester_name, requester_email,
                           requester_key, assignee, assignee_key, dedupe_key, created_at, updated_at,
                           closed_at, rating_stars, rating_review, rated_at, subject_search::tsvector
                    FROM s_tickets WHERE id IN (SELECT id FROM s_kept) ORDER BY id;
                INSERT INTO tickets.ticket_cc SELECT * FROM s_cc WHERE ticket_id IN (SELECT id FROM s_kept);
                INSERT INTO tickets.messages (id, ticket_id, author_name, author_email, role, body, internal, created_at)
                    SELECT * FROM s_messages WHERE ticket_id IN (SELECT id FROM s_kept) ORDER BY id;
                INSERT INTO tickets.message_search (message_id, part, vector)
                    SELECT x.message_id, x.part, x.vector::tsvector FROM s_search x JOIN s_messages m ON m.id = x.message_id
                    WHERE m.ticket_id IN (SELECT id FROM s_kept);
                INSERT INTO tickets.attachments (id, message_id, name, size, sha256, content_type, data)
                    SELECT a.* FROM s_attachments a JOIN s_messages m ON m.id = a.message_id
                    WHERE m.ticket_id IN (SELECT id FROM s_kept) ORDER BY a.id;
                INSERT INTO tickets.events (id, ticket_id, actor_name, actor_email, action, from_status, to_status,
                                            field, old_value, new_value, created_at, message_id)
                    SELECT * FROM s_events WHERE ticket_id IN (SELECT id FROM s_kept) ORDER BY id;
                """)
            // Ids given explicitly do not move the identity sequences: the next `open`
            // must continue after the largest.
            for table in ["tickets", "messages", "attachments", "events"] {
                try pg.run("""
                    SELECT setval(pg_get_serial_sequence('tickets.\(table)', 'id'), GREATEST((SELECT max(id) FROM tickets.\(table)), 1))
                    """)
            }
        }
        return summary
    }

    /// The stage's rows into the temporary tables, each table in one COPY.
    private func copy(_ stage: ImportStage) throws(TicketsError) {
        try copyRows(stage, into: "s_tickets", from: """
            SELECT id, subject, status, priority, department, service, requester_name, requester_email, requester_key,
                   assignee, assignee_key, dedupe_key, created_at, updated_at, closed_at, rating_stars, rating_review,
                   rated_at, search_form FROM tickets ORDER BY id
            """) { (row, out) in
            for i in 0..<18 { field(row.optionalText(Int32(i)), &out) }
            field(PostgresSearch.vector(row.text(18)), &out, last: true)
        }
        try copyRows(stage, into: "s_cc", from: "SELECT ticket_id, position, email, email_key FROM ticket_cc") { (row, out) in
            for i in 0..<4 { field(row.optionalText(Int32(i)), &out, last: i == 3) }
        }
        try copyRows(stage, into: "s_messages", from: """
            SELECT id, ticket_id, author_name, author_email, role, body, internal, created_at FROM messages ORDER BY id
            """) { (row, out) in
            for i in 0..<6 { field(row.optionalText(Int32(i)), &out) }
            field(row.int(6) != 0 ? "t" : "f", &out)
            field(row.text(7), &out, last: true)
        }
        try copyRows(stage, into: "s_search", from: "SELECT id, search_form FROM messages ORDER BY id") { (row, out) in
            for (part, vector) in PostgresSearch.parts(row.text(1)).enumerated() {
                field(String(row.int(0)), &out)
                field(String(part), &out)
                field(vector, &out, last: true)
            }
        }
        try copyRows(stage, into: "s_attachments", from: """
            SELECT id, message_id, name, size, sha256, content_type, data FROM attachments ORDER BY id
            """) { (row, out) in
            for i in 0..<6 { field(row.optionalText(Int32(i)), &out) }
            PostgresConnection.copyBytes(row.blob(6), into: &out)
            out.append(0x0A)
        }
        try copyRows(stage, into: "s_events", from: """
            SELECT id, ticket_id, actor_name, actor_email, action, from_status, to_status, field, old_value, new_value, created_at,
                   message_id
            FROM events ORDER BY id
            """) { (row, out) in
            for i in 0..<12 { field(row.optionalText(Int32(i)), &out, last: i == 11) }
        }
    }

    /// One COPY fed by one pass over a stage table; `write` appends a row's text. The
    /// stage is read on its own connection while the COPY streams, a megabyte at a time.
    private func copyRows(_ stage: ImportStage, into table: String, from sql: String,
                          _ write: (StagedRow, inout [UInt8]) -> Void) throws(TicketsError) {
        var line = [UInt8]()
        try pg.copy("COPY \(table) FROM STDIN") { (send) throws(TicketsError) in
            try stage.rows(sql) { (row) throws(TicketsError) in
                line.removeAll(keepingCapacity: true)
                write(row, &line)
                try send(line)
            }
        }
    }

    private func field(_ value: String?, _ out: inout [UInt8], last: Bool = false) {
        PostgresConnection.copyField(value, into: &out)
        out.append(last ? 0x0A : 0x09)
    }

    /// The same checks as the SQLite store's, naming the exact ticket of the input.
    private func refuseCollisions() throws(TicketsError) {
        let checks: [(sql: String, what: String)] = [
            ("""
             SELECT s.ticket_id, s.id, m.ticket_id FROM s_messages s JOIN tickets.messages m ON m.id = s.id
             WHERE s.ticket_id IN (SELECT id FROM s_kept) ORDER BY s.id LIMIT 1
             """, "message"),
            ("""
             SELECT sm.ticket_id, a.id, m.ticket_id FROM s_attachments a JOIN s_messages sm ON sm.id = a.message_id
             JOIN tickets.attachments x ON x.id = a.id JOIN tickets.messages m ON m.id = x.message_id
             WHERE sm.ticket_id IN (SELECT id FROM s_kept) ORDER BY a.id LIMIT 1
             """, "attachment"),
            ("""
             SELECT s.ticket_id, s.id, e.ticket_id FROM s_events s JOIN tickets.events e ON e.id = s.id
             WHERE s.ticket_id IN (SELECT id FROM s_kept) ORDER BY s.id LIMIT 1
             """, "event"),
        ]
        for check in checks {
            let r = try pg.run(check.sql)
            if r.rows > 0 {
                throw .invalid("import: ticket #\(r.int(0, 0)): \(check.what) id \(r.int(0, 1)) is already used by ticket #\(r.int(0, 2)) in the database; nothing was imported")
            }
        }
        let link = try pg.run("""
            SELECT e.ticket_id, e.id, e.message_id FROM s_events e
            WHERE e.message_id IS NOT NULL AND e.ticket_id IN (SELECT id FROM s_kept)
              AND NOT EXISTS (SELECT 1 FROM s_messages m WHERE m.id = e.message_id AND m.ticket_id IN (SELECT id FROM s_kept))
              AND NOT EXISTS (SELECT 1 FROM tickets.messages m WHERE m.id = e.message_id)
            ORDER BY e.id LIMIT 1
            """)
        if link.rows > 0 {
            throw ImportStage.danglingMessage(ticket: link.int(0, 0), event: link.int(0, 1), message: link.int(0, 2))
        }
        let d = try pg.run("""
            SELECT s.id, t.id, s.dedupe_key FROM s_tickets s
            JOIN tickets.tickets t ON t.requester_key = s.requester_key AND t.dedupe_key = s.dedupe_key
            WHERE s.dedupe_key IS NOT NULL AND s.status IN ('open','in-progress','answered','customer-reply')
              AND t.status IN ('open','in-progress','answered','customer-reply') AND s.id IN (SELECT id FROM s_kept)
            ORDER BY s.id LIMIT 1
            """)
        if d.rows > 0 {
            throw .invalid("import: ticket #\(d.int(0, 0)): its dedupe key '\(d.text(0, 2))' is carried by active ticket #\(d.int(0, 1)) of the same requester in the database; close one of them first; nothing was imported")
        }
    }
}
