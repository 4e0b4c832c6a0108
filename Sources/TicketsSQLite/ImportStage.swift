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
///
/// Into a database that does not exist yet there is nothing to check against and nobody
/// to lock out, so the stage is the database itself (`init(newDatabase:)`, `install`):
/// built under a hidden name beside it, its rows written once.
public final class ImportStage: StagedImport {
    public let path: String
    public private(set) var ticketCount = 0
    private var db: SQLiteConnection?
    /// Where the rows go: the stage's own tables, or a whole new tickets database.
    private let layout: Layout
    /// The database a new-database import becomes when it finishes (nil for a stage).
    public let target: String?

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
            from_status TEXT, to_status TEXT, field TEXT, old_value TEXT, new_value TEXT, created_at TEXT,
            message_id INTEGER);
        """

    /// A new, empty stage in `directory` (mode 0600, removed when the stage goes).
    public init(directory: String) throws(TicketsError) {
        path = try Self.makeFile("\(directory)/tickets-import-XXXXXX", what: "the import's work file in \(directory)",
                                 advice: "; set TMPDIR to a folder with room")
        layout = .stage
        target = nil
        do {
            let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE)
            // A scratch file: no journal, no syncing, a modest cache (memory stays bounded).
            try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192;")
            try db.execute(Self.schema)
            try db.execute("BEGIN")
            self.db = db
        } catch {
            TemporaryFiles.remove(path)
            throw error
        }
    }

    /// An import into a database that does not exist yet (`target`): the rows go straight
    /// into a complete tickets database built under a hidden name beside it
    /// (`.NAME.import-XXXXXX`, mode 0600), which `finish` puts in place with one link. Nobody
    /// can see the file while the input is read, so nothing is locked, and the rows are
    /// written once instead of three times (stage, WAL, checkpoint): a million tickets in
    /// 57-62 s instead of 107 (bench/RESULTS.md). Nothing is left behind on failure.
    public init(newDatabase target: String) throws(TicketsError) {
        let dir = FileSystem.dirname(of: target)
        if !FileSystem.isDirectory(dir) { try FileSystem.makeDirectories(dir) }
        let base = target.split(separator: "/").last.map(String.init) ?? "tickets.db"
        path = try Self.makeFile("\(dir)/.\(base).import-XXXXXX", what: "the database \(target)", advice: "")
        layout = .database
        self.target = target
        do {
            let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE)
            // Nobody else opens this file until it is complete, so it needs no journal and
            // no syncing until `finish` syncs it once. The cache is small: the rows are
            // appended.
            try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192;")
            try SQLiteStore.createSchema(on: db, path: path)
            try Self.bulkSearchIndexing(db, true)
            try db.execute("BEGIN")
            self.db = db
            try deferIndexes()
        } catch {
            TemporaryFiles.remove(path)
            throw error
        }
    }

    private static func makeFile(_ pattern: String, what: String, advice: String) throws(TicketsError) -> String {
        var template = Array(pattern.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw .cannotCreate("cannot create \(what): \(String(cString: strerror(errno)))\(advice)")
        }
        close(fd)
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Removed if the import is interrupted (Ctrl-C, SIGTERM) as well as on failure.
        TemporaryFiles.register(path)
        tickets_keep_freed_heap()
        return path
    }

    deinit {
        db = nil
        TemporaryFiles.remove(path)
    }

    /// The INSERT of each table, for the stage's tables or a tickets database's. A stage
    /// keeps each search form in a column; a database puts it into its FTS5 table.
    enum Layout {
        case stage, database

        var ticket: String {
            switch self {
            case .stage: "INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            case .database: """
                INSERT INTO tickets (id, subject, status, priority, department, service, requester_name, requester_email,
                                     requester_key, assignee, assignee_key, dedupe_key, created_at, updated_at, closed_at,
                                     rating_stars, rating_review, rated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            }
        }
        var cc: String { "INSERT INTO ticket_cc (ticket_id, position, email, email_key) VALUES (?, ?, ?, ?)" }
        var message: String {
            switch self {
            case .stage: "INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            case .database: """
                INSERT INTO messages (id, ticket_id, author_name, author_email, role, body, internal, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            }
        }
        var attachment: String {
            "INSERT INTO attachments (id, message_id, name, size, sha256, content_type, data) VALUES (?, ?, ?, ?, ?, ?, ?)"
        }
        var event: String {
            """
            INSERT INTO events (id, ticket_id, actor_name, actor_email, action, from_status, to_status, field, old_value,
                                new_value, created_at, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        }
    }

    /// Stages one checked ticket; a ticket, message, attachment or event id seen before
    /// in the input, or a second active ticket of one requester with the same dedupe key,
    /// is refused (65) naming both tickets.
    public func add(_ r: ImportRecord) throws(TicketsError) {
        guard db != nil else { throw .bug("the import stage was already finished") }
        let t = r.ticket
        func text(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
        let separateSearch = layout == .database
        do throws(TicketsError) {
            var values: [SQLValue] = [
                .int(t.id), .text(t.subject), .text(t.status.rawValue), .text(t.priority.rawValue),
                .text(t.department), text(t.service), .text(t.requester.name), .text(t.requester.email),
                .text(r.requesterKey), text(t.assignee), text(r.assigneeKey),
                text(t.dedupeKey), .text(t.createdAt), .text(t.updatedAt), text(t.closedAt),
                t.rating.map { .int(Int64($0.stars)) } ?? .null, text(t.rating?.review), text(t.rating?.ratedAt)]
            let form = r.subjectForm
            if !separateSearch { values.append(.text(form)) }
            try statement(0, layout.ticket).bindAll(values).run()
            if separateSearch { pendingSubjects.append((t.id, form)) }
        } catch where error.kind == .invalidInput {
            if try exists("tickets", t.id) { throw .invalid("import: ticket #\(t.id) appears twice in the input; nothing was imported") }
            let other = try scalar("""
                SELECT id FROM tickets WHERE requester_key = ? AND dedupe_key = ?
                  AND status IN ('open','in-progress','answered','customer-reply')
                """, [.text(r.requesterKey), text(t.dedupeKey)])
            throw .invalid("import: ticket #\(t.id): its dedupe key '\(t.dedupeKey ?? "")' is carried by active ticket #\(other ?? 0) of the same requester in the input; nothing was imported")
        }
        // Positions as exported, duplicates included: the list comes back as it left.
        for (i, (email, key)) in zip(t.cc, r.ccKeys).enumerated() {
            try statement(1, layout.cc).bindAll([.int(t.id), .int(Int64(i)), .text(email), .text(key)]).run()
        }
        for (m, (attachments, form)) in zip(r.messages, zip(r.attachmentData, r.messageForms)) {
            try unique("messages", m.id, ticket: t.id, what: "message") { () throws(TicketsError) in
                var values: [SQLValue] = [.int(m.id), .int(t.id), .text(m.author.name), .text(m.author.email),
                                          .text(m.role.rawValue), .text(m.body), .int(m.isInternal ? 1 : 0), .text(m.createdAt)]
                if !separateSearch { values.append(.text(form)) }
                try statement(2, layout.message).bindAll(values).run()
                if separateSearch {
                    pendingMessages.append((m.id, form))
                    pendingBytes += form.utf8.count
                }
            }
            for a in attachments {
                try unique("attachments", a.attachment.id, ticket: t.id, what: "attachment") { () throws(TicketsError) in
                    let s = try statement(3, layout.attachment)
                    s.bindAll([.int(a.attachment.id), .int(m.id), .text(a.attachment.name), .int(a.attachment.size),
                               .text(a.attachment.sha256), .text(a.attachment.contentType)])
                    s.bind(7, blob: a.bytes)
                    try s.run()
                }
            }
        }
        for e in r.events {
            try unique("events", e.id, ticket: t.id, what: "event") { () throws(TicketsError) in
                try statement(4, layout.event)
                    .bindAll([.int(e.id), .int(t.id), .text(e.actor.name), .text(e.actor.email), .text(e.action),
                              text(e.fromStatus), text(e.toStatus), text(e.field), text(e.oldValue), text(e.newValue),
                              .text(e.createdAt), e.messageID.map { .int($0) } ?? .null])
                    .run()
            }
        }
        ticketCount += 1
        if pendingBytes >= 1 << 20 { try indexPending() }
    }

    /// FTS5's merge settings while a new database is loaded, and back to its defaults
    /// (the values are stored in the database, so the defaults must be written back
    /// before anyone uses it). No merging as segments come (`automerge` 0) and a merge of
    /// a level only when it holds 64 segments (`crisismerge`) merge each posting about
    /// twice at a million tickets instead of six: 81 s -> 61 s (16 segments: 65 s; 256:
    /// no faster than 64). `finish` merges each index into one segment anyway
    /// (`optimize`) and moves it up (`placeAboveLaterWrites`). The pending index keeps
    /// its default 1 MiB, so a load too small to merge leaves one small segment on level
    /// 0, as `open`s would; a larger one there (an 8 MiB pending index, tried) would be
    /// merged by the first writers after the import, one of them holding the write lock
    /// while it does.
    static func bulkSearchIndexing(_ db: SQLiteConnection, _ on: Bool) throws(TicketsError) {
        for table in ["subject_fts", "message_fts"] {
            if on {
                for (key, value) in [("automerge", 0), ("crisismerge", 64)] {
                    try db.execute("INSERT INTO \(table) (\(table), rank) VALUES ('\(key)', \(value))")
                }
            } else {
                // The rows removed, the file is as `open` creates it (the connection,
                // which still holds the values, is closed right after).
                try db.execute("DELETE FROM \(table)_config WHERE k IN ('automerge', 'crisismerge')")
            }
        }
    }

    /// Moves the one segment `optimize` left up to the level ordinary writes would have
    /// brought it to (`FTS5Structure.level(forPages:)`). Loaded without merging, the
    /// index climbs only a level or two, and `optimize` puts its segment just above them:
    /// there the segments of later writes reached it after 4-64 flushes and merged with
    /// it, and a `close --stale` after such an import kept a concurrent `open` waiting
    /// 151-191 ms (42-60 ms after a default load; bench/NOTES.md). FTS5 offers no command
    /// for this, so the structure record is rewritten; FTS5 has nothing pending at this
    /// point and this connection writes no more search rows.
    static func placeAboveLaterWrites(_ db: SQLiteConnection, _ table: String) throws(TicketsError) {
        let read = try db.prepare("SELECT block FROM \(table)_data WHERE id = 10")
        defer { read.reset() }
        guard try read.step(), let structure = FTS5Structure(read.blob(0)),
              let segment = structure.levels.flatMap(\.segments).first, segment.pages > FTS5Structure.pagesPerFlush,
              let raised = structure.raisingSingleSegment(to: FTS5Structure.level(forPages: segment.pages)) else { return }
        read.reset()
        try db.prepare("UPDATE \(table)_data SET block = ? WHERE id = 10").bind(1, blob: raised.bytes).run()
    }

    /// The secondary indexes of a database being built, made again by `finish`, and the
    /// planner's statistics that dropping them removes (the migration's sqlite_stat1 rows).
    private var deferredIndexes: [(name: String, sql: String)] = []
    private var savedStatistics: [(table: String, index: String, stat: String)] = []

    /// Kept up row by row, the tickets' indexes on random keys (status and time,
    /// requester, dedupe key) missed the bounded page cache at almost every insert once
    /// they outgrew it; built once at the end, each is one sort.
    private func deferIndexes() throws(TicketsError) {
        guard let db else { return }
        let list = try db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid")
        while try list.step() { deferredIndexes.append((list.text(0), list.text(1))) }
        list.reset()
        let stats = try db.prepare("SELECT tbl, idx, stat FROM sqlite_stat1")
        while try stats.step() { savedStatistics.append((stats.text(0), stats.text(1), stats.text(2))) }
        stats.reset()
        for index in deferredIndexes { try db.execute("DROP INDEX \(index.name)") }
    }

    private func buildIndexes() throws(TicketsError) {
        guard let db else { return }
        for index in deferredIndexes {
            do throws(TicketsError) {
                try db.execute(index.sql)
            } catch where error.kind == .invalidInput {
                // Only the dedupe index is unique: two active tickets of one requester
                // with one key. Name them as the row-by-row check of a stage does.
                let s = try db.prepare("""
                    SELECT b.id, a.id, a.dedupe_key FROM tickets a JOIN tickets b
                      ON b.requester_key = a.requester_key AND b.dedupe_key = a.dedupe_key AND b.id > a.id
                    WHERE a.dedupe_key IS NOT NULL AND a.status IN \(SQLiteStore.active) AND b.status IN \(SQLiteStore.active)
                    LIMIT 1
                    """)
                defer { s.reset() }
                guard try s.step() else { throw error }
                throw .invalid("import: ticket #\(s.int(0)): its dedupe key '\(s.text(2))' is carried by active ticket #\(s.int(1)) of the same requester in the input; nothing was imported")
            }
        }
        for row in savedStatistics {
            let s = try db.prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)")
            s.bindAll([.text(row.table), .text(row.index), .text(row.stat)])
            try s.run()
        }
        deferredIndexes = []
    }

    /// The five INSERTs, prepared once and reset for each row: looking each up by its
    /// text hashed a few hundred bytes per row, millions of times in a large import.
    private var statements: [Statement?] = Array(repeating: nil, count: 5)

    private func statement(_ slot: Int, _ sql: String) throws(TicketsError) -> Statement {
        if let s = statements[slot] {
            s.reset()
            return s
        }
        guard let db else { throw .bug("the import stage was already finished") }
        let s = try db.prepare(sql)
        statements[slot] = s
        return s
    }

    /// Search forms waiting for their FTS5 rows (a database being built).
    private var pendingSubjects: [(Int64, String)] = []
    private var pendingMessages: [(Int64, String)] = []
    private var pendingBytes = 0

    /// The FTS5 rows of the last few thousand tickets, back to back: inserted between the
    /// rows of the tables, the index's pending terms (about 1 MiB) fell out of the CPU's
    /// cache at every ticket, and indexing took twice as long.
    private func indexPending() throws(TicketsError) {
        guard let db, layout == .database else { return }
        for (table, rows) in [("subject_fts", pendingSubjects), ("message_fts", pendingMessages)] {
            let s = try db.prepare("INSERT INTO \(table) (rowid, text) VALUES (?, ?)")
            for (id, form) in rows {
                s.reset()
                try s.bind(1, id).bind(2, form).run()
            }
        }
        pendingSubjects.removeAll(keepingCapacity: true)
        pendingMessages.removeAll(keepingCapacity: true)
        pendingBytes = 0
    }

    /// Ends pass one: the file is complete and closed, ready for the store to read.
    public func finish() throws(TicketsError) {
        guard let db else { return }
        try indexPending()
        if layout == .database {
            // A stage is checked against the database by the store's pass two.
            let s = try db.prepare("""
                SELECT e.ticket_id, e.id, e.message_id FROM events e
                WHERE e.message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = e.message_id) LIMIT 1
                """)
            defer { s.reset() }
            if try s.step() { throw Self.danglingMessage(ticket: s.int(0), event: s.int(1), message: s.int(2)) }
        }
        try buildIndexes()
        if layout == .database {
            // One segment per index: searches read the fewest pages (at a million
            // tickets, 175 pages for a rare word before, and search 1.3 times slower
            // than at 1,000 tickets). It costs one pass over the index (0.5 s at
            // 100,000 tickets, nobody waiting). Moved up to where a default load would
            // have left it, the small segments of later writes take thousands of merges
            // to reach it, so no writer merges with it soon after the import.
            for table in ["subject_fts", "message_fts"] {
                try db.execute("INSERT INTO \(table) (\(table)) VALUES ('optimize')")
                try Self.placeAboveLaterWrites(db, table)
            }
            try Self.bulkSearchIndexing(db, false)
        }
        try db.execute("COMMIT")
        if layout == .database { try db.execute("PRAGMA journal_mode = WAL") }
        statements = []
        self.db = nil
    }

    /// An event's `message_id` that names no message of the input or the database.
    public static func danglingMessage(ticket: Int64, event: Int64, message: Int64) -> TicketsError {
        .invalid("import: ticket #\(ticket): event \(event) names message \(message), which is neither in the input nor in the database; nothing was imported")
    }

    /// Puts a new-database import in place: the file is synced, then linked under the
    /// database's name, which fails rather than replace a database another command
    /// created meanwhile (75, nothing imported: run the import again to add to it).
    public func install() throws(TicketsError) {
        guard let target, layout == .database else { throw .bug("install of an import stage") }
        try finish()
        try FileSystem.sync(path: path)
        if link(path, target) != 0 {
            let e = errno
            if e == EEXIST {
                throw .busy("the database \(target) was created by another command while the import ran; nothing was imported; run the import again to add to it")
            }
            throw .cannotCreate("cannot create the database \(target): \(String(cString: strerror(e)))")
        }
        TemporaryFiles.remove(path)
        try FileSystem.sync(path: FileSystem.dirname(of: target))
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
