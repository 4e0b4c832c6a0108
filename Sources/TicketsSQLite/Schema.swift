/// The database layout, one entry per schema version. Migrations are forward-only:
/// entry N takes a database from `user_version` N to N+1 and runs inside the
/// `BEGIN IMMEDIATE` transaction that also bumps `user_version`.
///
/// Times are TEXT in the one canonical form `YYYY-MM-DDTHH:MM:SSZ`, so they sort as
/// strings, read well in the `sqlite3` shell and go to JSON without conversion.
enum Schema {
    /// `PRAGMA application_id`: "TKTS" in ASCII, so a foreign SQLite file is recognised.
    static let applicationID: Int32 = 0x544B_5453

    static let migrations: [String] = [
        """
        CREATE TABLE tickets (
            id              INTEGER PRIMARY KEY,
            subject         TEXT NOT NULL,
            status          TEXT NOT NULL CHECK (status IN
                                ('open','in-progress','answered','customer-reply','closed','canceled')),
            priority        TEXT NOT NULL CHECK (priority IN ('low','medium','high','urgent')),
            department      TEXT NOT NULL,
            service         TEXT,
            requester_name  TEXT NOT NULL,
            requester_email TEXT NOT NULL,
            assignee        TEXT,
            dedupe_key      TEXT,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            closed_at       TEXT,
            rating_stars    INTEGER CHECK (rating_stars BETWEEN 1 AND 5),
            rating_review   TEXT,
            rated_at        TEXT
        );
        CREATE INDEX tickets_status_updated ON tickets (status, updated_at);
        CREATE INDEX tickets_updated ON tickets (updated_at);
        CREATE INDEX tickets_requester ON tickets (requester_email COLLATE NOCASE);
        -- At most one active ticket per dedupe key; closing or canceling frees the key.
        CREATE UNIQUE INDEX tickets_dedupe_active ON tickets (dedupe_key)
            WHERE dedupe_key IS NOT NULL
              AND status IN ('open','in-progress','answered','customer-reply');

        CREATE TABLE ticket_cc (
            ticket_id INTEGER NOT NULL REFERENCES tickets (id),
            position  INTEGER NOT NULL,
            email     TEXT NOT NULL,
            PRIMARY KEY (ticket_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX ticket_cc_email ON ticket_cc (email COLLATE NOCASE);

        CREATE TABLE messages (
            id           INTEGER PRIMARY KEY,
            ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
            author_name  TEXT NOT NULL,
            author_email TEXT NOT NULL,
            role         TEXT NOT NULL CHECK (role IN ('requester','agent','system')),
            body         TEXT NOT NULL,
            internal     INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
            created_at   TEXT NOT NULL
        );
        CREATE INDEX messages_ticket ON messages (ticket_id, id);

        CREATE TABLE attachments (
            id           INTEGER PRIMARY KEY,
            message_id   INTEGER NOT NULL REFERENCES messages (id),
            name         TEXT NOT NULL,
            size         INTEGER NOT NULL,
            sha256       TEXT NOT NULL,
            content_type TEXT NOT NULL,
            data         BLOB NOT NULL
        );
        CREATE INDEX attachments_message ON attachments (message_id, id);

        -- Append-only history: nothing updates or deletes these rows.
        CREATE TABLE events (
            id          INTEGER PRIMARY KEY,
            ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
            actor_name  TEXT NOT NULL,
            actor_email TEXT NOT NULL,
            action      TEXT NOT NULL,
            from_status TEXT,
            to_status   TEXT,
            created_at  TEXT NOT NULL
        );
        CREATE INDEX events_ticket ON events (ticket_id, id);

        -- Full-text search reads the text where it already lives (external content),
        -- so bodies are not stored twice; triggers keep the indexes in step.
        CREATE VIRTUAL TABLE subject_fts USING fts5 (
            subject, content = 'tickets', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE message_fts USING fts5 (
            body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO subject_fts (rowid, subject) VALUES (new.id, new.subject);
        END;
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO message_fts (rowid, body) VALUES (new.id, new.body);
        END;
        """,
        """
        -- `list` with its default filter (active, newest update first) reads its rows
        -- straight off this index instead of sorting every active ticket; the store writes
        -- the status filter as this very IN list so the planner can use it.
        CREATE INDEX tickets_active_updated ON tickets (updated_at)
            WHERE status IN ('open','in-progress','answered','customer-reply');
        -- Without statistics the planner prefers any index on status for that IN list and
        -- sorts every active ticket. These figures give it a help desk's shape (most tickets
        -- closed, a few percent in each active status), not this file's counts: the shape
        -- is all the choice needs, and no command has to run ANALYZE.
        ANALYZE sqlite_schema;
        DELETE FROM sqlite_stat1 WHERE idx IN ('tickets_status_updated', 'tickets_active_updated');
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
            ('tickets', 'tickets_status_updated', '1000000 20000 1'),
            ('tickets', 'tickets_active_updated', '50000 1');
        """,
        """
        -- Emails are compared by one rule everywhere (SPEC §4: NFKC and full case folding,
        -- EmailIdentity.key): every email column a filter compares gets its key beside it,
        -- indexed, and SQL compares only keys (never lower() or COLLATE NOCASE, which fold
        -- ASCII alone). tickets_email_key is registered by the store for migrations.
        ALTER TABLE tickets ADD COLUMN requester_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE tickets ADD COLUMN assignee_key TEXT;
        UPDATE tickets SET requester_key = tickets_email_key(requester_email), assignee_key = tickets_email_key(assignee);
        ALTER TABLE ticket_cc ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
        UPDATE ticket_cc SET email_key = tickets_email_key(email);
        DROP INDEX tickets_requester;
        CREATE INDEX tickets_requester_key ON tickets (requester_key);
        CREATE INDEX tickets_assignee_key ON tickets (assignee_key) WHERE assignee_key IS NOT NULL;
        DROP INDEX ticket_cc_email;
        CREATE INDEX ticket_cc_key ON ticket_cc (email_key, ticket_id);
        -- Dedupe keys are per requester: a key never matches, reveals or blocks another
        -- requester's ticket.
        DROP INDEX tickets_dedupe_active;
        CREATE UNIQUE INDEX tickets_dedupe_active ON tickets (requester_key, dedupe_key)
            WHERE dedupe_key IS NOT NULL
              AND status IN ('open','in-progress','answered','customer-reply');
        -- Events name the one field they changed (assign, edit, merge; SPEC §2).
        ALTER TABLE events ADD COLUMN field TEXT;
        ALTER TABLE events ADD COLUMN old_value TEXT;
        ALTER TABLE events ADD COLUMN new_value TEXT;
        -- closed_at is "when it was closed or canceled" (SPEC §6); 0.1 left it null on
        -- cancel. A canceled ticket cannot change again until it is reopened, so its
        -- updated_at is the moment it was canceled.
        UPDATE tickets SET closed_at = updated_at WHERE status = 'canceled' AND closed_at IS NULL;
        """,
        """
        -- Search by one rule in every language (SPEC §5, SearchText): the index holds each
        -- subject and body in its search form (NFKC, case and diacritics folded, one token
        -- per CJK/Thai character), computed in Swift, so FTS5 only splits on spaces (the
        -- ascii tokenizer) and a query's phrase of characters finds any run of them.
        -- Contentless: the form is not the text, so the index keeps no copy; an edit
        -- deletes with the form it indexed. tickets_search_form is registered for this.
        DROP TRIGGER tickets_fts_insert;
        DROP TRIGGER messages_fts_insert;
        DROP TABLE subject_fts;
        DROP TABLE message_fts;
        CREATE VIRTUAL TABLE subject_fts USING fts5 (text, content = '', tokenize = 'ascii', columnsize = 0);
        CREATE VIRTUAL TABLE message_fts USING fts5 (text, content = '', tokenize = 'ascii', columnsize = 0);
        INSERT INTO subject_fts (rowid, text) SELECT id, tickets_search_form(subject) FROM tickets;
        INSERT INTO message_fts (rowid, text) SELECT id, tickets_search_form(body) FROM messages;
        """,
        """
        -- The message a change wrote with it (show labels the reason given with close,
        -- cancel or reopen by it). Internal: exports do not carry it.
        ALTER TABLE events ADD COLUMN message_id INTEGER REFERENCES messages (id);
        """,
        """
        -- The transactional outbox (SPEC §9): each notification email, rendered, written in
        -- the transaction of the change that caused it; delivery marks it sent or failed.
        CREATE TABLE outbox (
            id          INTEGER PRIMARY KEY,
            ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
            message_id  TEXT NOT NULL,
            recipients  TEXT NOT NULL,
            bytes       BLOB NOT NULL,
            queued_at   TEXT NOT NULL,
            sent_at     TEXT,
            attempts    INTEGER NOT NULL DEFAULT 0,
            last_error  TEXT
        );
        CREATE INDEX outbox_ticket ON outbox (ticket_id, id);
        CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
        """,
        """
        -- A delivery in progress holds its email until this time, so two processes never
        -- hand one email to sendmail twice (the command's own delivery and tickets notify);
        -- claimed_by (host:pid) lets the next one take over from a process that died.
        ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
        ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
        """,
    ]

    static var currentVersion: Int32 { Int32(migrations.count) }
}
