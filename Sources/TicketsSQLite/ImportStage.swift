import CTicketsSQLite
import Glibc
import TicketsCore

/// Pass one of `import` (SPEC §5): every ticket of the input, checked by the rules of the
/// commands (`ImportRecord`), goes into a private SQLite file in `$TMPDIR`, with its
/// email keys and search forms already computed. Nothing touches the database yet, so
/// a bad input is refused before the database is even opened (a failed import into a
/// new database leaves no file), no lock is held while the input is read (a pipe may be
/// slow), and memory stays bounded: one ticket in hand, the rest on disk. The file's own
/// keys catch what repeats within the input, naming the exact ticket.
///
/// Pass two is the store's (`TicketStore.importTickets`): one transaction that checks the
/// staged tickets against the database and moves them in.
public final class ImportStage: StagedImport {
    public let path: String
    public private(set) var ticketCount = 0
    private var db: SQLiteConnection?

    /// The staged rows, as both stores read them back.
    public static let schema = """
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY, subject TEXT, status TEXT, priority TEXT, department TEXT, service TEXT,
            requester_name TEXT, requester_email TEXT, requester_key TEXT, assignee TEXT, assignee_key TEXT,
            dedupe_key TEXT, created_at TEXT, updated_at TEXT, closed_at TEXT, rating_stars INTEGER,
            rating_review TEXT, rated_at TEXT, search_form TEXT);
        CREATE UNIQUE INDEX tickets_dedupe_active ON tickets (requester_key, dedupe_key)
            WHERE dedupe_key IS NOT NULL AND status IN ('open','in-progress','answered','customer-reply');
        CREATE TABLE ticket_cc (ticket_id INTEGER, position INTEGER, email TEXT, email_key TEXT);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY, ticket_id INTEGER, author_name TEXT, author_email TEXT, role TEXT, body TEXT,
            internal INTEGER, created_at TEXT, search_form TEXT);
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY, message_id INTEGER, name TEXT, size INTEGER, sha256 TEXT, content_type TEXT, data BLOB);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, ticket_id INTEGER, actor_name TEXT, actor_email TEXT, action TEXT,
            from_status TEXT, to_status TEXT, field TEXT, old_value TEXT, new_value TEXT, created_at TEXT);
        """

    /// A new, empty stage in `directory` (mode 0600, removed when the stage goes).
    public init(directory: String) throws(TicketsError) {
        var template = Array("\(directory)/tickets-import-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw .cannotCreate("cannot create the import's work file in \(directory): \(String(cString: strerror(errno))); set TMPDIR to a folder with room")
        }
        close(fd)
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE)
            // A scratch file: no journal, no syncing, a modest cache (memory stays bounded).
            try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192;")
            try db.execute(Self.schema)
            try db.execute("BEGIN")
            self.db = db
        } catch {
            unlink(path)
            throw error
        }
    }

    deinit {
        db = nil
        unlink(path)
    }

    /// Stages one checked ticket; a ticket, message, attachment or event id seen before
    /// in the input, or a second active ticket of one requester with the same dedupe key,
    /// is refused (65) naming both tickets.
    public func add(_ r: ImportRecord) throws(TicketsError) {
        guard let db else { throw .bug("the import stage was already finished") }
        let t = r.ticket
        func text(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
        do throws(TicketsError) {
            try db.prepare("INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bindAll([.int(t.id), .text(t.subject), .text(t.status.rawValue), .text(t.priority.rawValue),
                          .text(t.department), text(t.service), .text(t.requester.name), .text(t.requester.email),
                          .text(EmailIdentity.key(t.requester.email)), text(t.assignee), text(t.assignee.map(EmailIdentity.key)),
                          text(t.dedupeKey), .text(t.createdAt), .text(t.updatedAt), text(t.closedAt),
                          t.rating.map { .int(Int64($0.stars)) } ?? .null, text(t.rating?.review), text(t.rating?.ratedAt),
                          .text(SearchText.indexForm(t.subject))])
                .run()
        } catch where error.kind == .invalidInput {
            if try exists("tickets", t.id) { throw .invalid("import: ticket #\(t.id) appears twice in the input; nothing was imported") }
            let other = try scalar("""
                SELECT id FROM tickets WHERE requester_key = ? AND dedupe_key = ?
                  AND status IN ('open','in-progress','answered','customer-reply')
                """, [.text(EmailIdentity.key(t.requester.email)), text(t.dedupeKey)])
            throw .invalid("import: ticket #\(t.id): its dedupe key '\(t.dedupeKey ?? "")' is carried by active ticket #\(other ?? 0) of the same requester in the input; nothing was imported")
        }
        // Positions as exported, duplicates included: the list comes back as it left.
        for (i, email) in t.cc.enumerated() {
            try db.prepare("INSERT INTO ticket_cc VALUES (?, ?, ?, ?)")
                .bindAll([.int(t.id), .int(Int64(i)), .text(email), .text(EmailIdentity.key(email))]).run()
        }
        for (m, attachments) in zip(r.messages, r.attachmentData) {
            try unique("messages", m.id, ticket: t.id, what: "message") { () throws(TicketsError) in
                try db.prepare("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bindAll([.int(m.id), .int(t.id), .text(m.author.name), .text(m.author.email), .text(m.role.rawValue),
                              .text(m.body), .int(m.isInternal ? 1 : 0), .text(m.createdAt), .text(SearchText.indexForm(m.body))])
                    .run()
            }
            for a in attachments {
                try unique("attachments", a.attachment.id, ticket: t.id, what: "attachment") { () throws(TicketsError) in
                    let s = try db.prepare("INSERT INTO attachments VALUES (?, ?, ?, ?, ?, ?, ?)")
                    s.bindAll([.int(a.attachment.id), .int(m.id), .text(a.attachment.name), .int(a.attachment.size),
                               .text(a.attachment.sha256), .text(a.attachment.contentType)])
                    s.bind(7, blob: a.bytes)
                    try s.run()
                }
            }
        }
        for e in r.events {
            try unique("events", e.id, ticket: t.id, what: "event") { () throws(TicketsError) in
                try db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bindAll([.int(e.id), .int(t.id), .text(e.actor.name), .text(e.actor.email), .text(e.action),
                              text(e.fromStatus), text(e.toStatus), text(e.field), text(e.oldValue), text(e.newValue),
                              .text(e.createdAt)])
                    .run()
            }
        }
        ticketCount += 1
    }

    /// Ends pass one: the file is complete and closed, ready for the store to read.
    public func finish() throws(TicketsError) {
        guard let db else { return }
        try db.execute("COMMIT")
        self.db = nil
    }

    /// Reads back staged rows (`sql` is a SELECT on the stage's tables), for a store that
    /// is not SQLite; call after `finish`.
    public func rows(_ sql: String, _ body: (StagedRow) throws(TicketsError) -> Void) throws(TicketsError) {
        let reader = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY)
        let s = try reader.prepare(sql)
        defer { s.reset() }
        while try s.step() { try body(StagedRow(statement: s)) }
    }

    private func unique(_ table: String, _ id: Int64, ticket: Int64, what: String,
                        _ insert: () throws(TicketsError) -> Void) throws(TicketsError) {
        do throws(TicketsError) {
            try insert()
        } catch where error.kind == .invalidInput {
            let column = table == "attachments" ? "(SELECT ticket_id FROM messages m WHERE m.id = message_id)" : "ticket_id"
            let owner = try scalar("SELECT \(column) FROM \(table) WHERE id = ?", [.int(id)])
            throw .invalid("import: ticket #\(ticket): \(what) id \(id) is also used by ticket #\(owner ?? 0) in the input; each id appears once; nothing was imported")
        }
    }

    private func exists(_ table: String, _ id: Int64) throws(TicketsError) -> Bool {
        try scalar("SELECT id FROM \(table) WHERE id = ?", [.int(id)]) != nil
    }

    private func scalar(_ sql: String, _ binds: [SQLValue]) throws(TicketsError) -> Int64? {
        guard let db else { return nil }
        let s = try db.prepare(sql)
        defer { s.reset() }
        s.bindAll(binds)
        return try s.step() ? s.optionalInt(0) : nil
    }
}

/// One staged row, by column index.
public struct StagedRow {
    let statement: Statement

    public func text(_ i: Int32) -> String { statement.text(i) }
    public func optionalText(_ i: Int32) -> String? { statement.optionalText(i) }
    public func int(_ i: Int32) -> Int64 { statement.int(i) }
    public func optionalInt(_ i: Int32) -> Int64? { statement.optionalInt(i) }
    public func blob(_ i: Int32) -> [UInt8] { statement.blob(i) }
}
