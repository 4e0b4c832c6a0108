import CTicketsSQLite
import Glibc
import TicketsCore

/// One SQLite connection. The CLI is single-threaded: a connection and its statements
/// are used from one thread only, so neither is `Sendable`.
public final class SQLiteConnection {
    let handle: OpaquePointer
    /// Readable by tests: every statement a command prepared is in here, so the query-plan
    /// tests can EXPLAIN exactly the SQL that ran.
    private(set) var cache: [String: Statement] = [:]
    let path: String

    /// The result code of the last statement that failed, for callers that must tell
    /// one failure from another (a damaged header from a full disk).
    private(set) var lastFailure: Int32 = SQLITE_OK

    /// Library-wide settings, made once before the first connection (a lazy global).
    private static let configured: Void = tickets_sqlite_configure()

    /// Opens without creating: the store decides when a file may be created.
    /// `immutable` opens read-only and tells SQLite nothing can change the file, so it
    /// needs no -shm beside it (a read in a read-only folder).
    init(path: String, flags: Int32, immutable: Bool = false) throws(TicketsError) {
        _ = SQLiteConnection.configured
        var db: OpaquePointer?
        let name = immutable ? "file:" + SQLiteConnection.uriPath(path) + "?immutable=1" : path
        let openFlags = immutable ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI : flags
        let rc = sqlite3_open_v2(name, &db, openFlags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteConnection.error(code: rc, message: message, path: path)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        // Writers queue behind each other for up to 10 s before anyone sees "busy", trying
        // again every millisecond. SQLite's own busy_timeout backs off to 100 ms sleeps, so
        // a writer that keeps the lock busy (close --stale) starved a waiting `open` for
        // seconds (bench/RESULTS.md); a 1 ms poll gets in at the writer's next pause.
        sqlite3_busy_handler(db, { _, tries in
            guard tries < 10_000 else { return 0 }
            usleep(1000)
            return 1
        }, nil)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// SQL functions that apply the Swift rules to stored text, for migrations that must
    /// fill a derived column or index from existing rows: `tickets_email_key` (SPEC §4,
    /// `EmailIdentity.key`) and `tickets_search_form` (SPEC §5, `SearchText.indexForm`).
    func registerMigrationFunctions() {
        sqlite3_create_function_v2(handle, "tickets_email_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { ctx, _, argv in
            SQLiteConnection.apply(EmailIdentity.key, ctx, argv)
        }, nil, nil, nil)
        sqlite3_create_function_v2(handle, "tickets_search_form", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { ctx, _, argv in
            SQLiteConnection.apply(SearchText.indexForm, ctx, argv)
        }, nil, nil, nil)
    }

    /// A text function's body: NULL stays NULL.
    private static func apply(_ f: (String) -> String, _ ctx: OpaquePointer?, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let value = argv?[0], sqlite3_value_type(value) != SQLITE_NULL, let p = sqlite3_value_text(value) else {
            sqlite3_result_null(ctx)
            return
        }
        var out = f(String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_value_bytes(value))), as: UTF8.self))
        out.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    sqlite3_result_text(ctx, base, Int32(chars.count), tickets_sqlite_transient())
                } else {
                    sqlite3_result_text(ctx, "", 0, nil)
                }
            }
        }
    }

    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    func execute(_ sql: String) throws(TicketsError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(err)
            throw SQLiteConnection.error(code: rc, message: message, path: path)
        }
    }

    /// Prepared statements are cached for the life of the connection: a command that
    /// repeats a query (bulk close, import) prepares it once.
    func prepare(_ sql: String) throws(TicketsError) -> Statement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            // Our statements are tested against our schema: one that names a table or
            // column the file lacks means its schema was damaged or changed behind our
            // back, which is the damaged-database error (74), not a bug of ours (70).
            let message = String(cString: sqlite3_errmsg(handle))
            if rc & 0xFF == SQLITE_ERROR && (message.hasPrefix("no such ") || message.contains(" has no column named ")) {
                lastFailure = SQLITE_CORRUPT
                throw SQLiteConnection.error(code: SQLITE_CORRUPT, message: "its schema does not match this tickets: \(message)", path: path)
            }
            // The header asks for a schema format newer than this SQLite reads.
            if rc & 0xFF == SQLITE_ERROR && message == "unsupported file format" {
                lastFailure = rc
                throw .config("the database \(path) uses an SQLite file format newer than this tickets reads (SQLite \(SQLiteLibrary.version)); upgrade tickets, or check the file with: sqlite3 \(shellQuote(path)) 'PRAGMA integrity_check'")
            }
            throw failure(rc)
        }
        let statement = Statement(stmt, connection: self)
        cache[sql] = statement
        return statement
    }

    func intPragma(_ name: String) throws(TicketsError) -> Int64 {
        let s = try prepare("PRAGMA \(name)")
        // Reset at once: a statement left on a row keeps its read transaction open.
        defer { s.reset() }
        guard try s.step() else { return 0 }
        return s.int(0)
    }

    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    /// Rows the last statement changed.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// A path as the path of a `file:` URI: `%`, `?` and `#` would end or change it.
    static func uriPath(_ path: String) -> String {
        var out = ""
        for c in path.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "?": out += "%3f"
            case "#": out += "%23"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    func failure(_ rc: Int32) -> TicketsError {
        lastFailure = rc
        // A full tmpfs or quota shows up as an I/O error; the errno behind it says why.
        if rc & 0xFF == SQLITE_IOERR && sqlite3_system_errno(handle) == ENOSPC {
            return SQLiteConnection.error(code: SQLITE_FULL, message: "disk full", path: path)
        }
        return SQLiteConnection.error(code: rc, message: String(cString: sqlite3_errmsg(handle)), path: path)
    }

    /// The one place where SQLite result codes become the contract's error kinds.
    static func error(code: Int32, message: String, path: String) -> TicketsError {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return TicketsError(.busy, "the database \(path) stayed locked by another tickets process past the 10 s busy timeout; retrying may work")
        case SQLITE_NOTADB:
            return .config("\(path) is not a tickets database (not an SQLite file); pass another --db")
        case SQLITE_CORRUPT:
            return .io("the database \(path) is damaged (\(message)); check it with: sqlite3 \(shellQuote(path)) 'PRAGMA integrity_check' and restore it from a backup or a tickets export")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH:
            return .notPermitted("the database \(path) is read-only here (\(message)); writing needs write access to the file and its folder")
        case SQLITE_CANTOPEN:
            return .io("cannot open the database \(path) (\(message)); check the path and its permissions")
        case SQLITE_FULL:
            return .io("the disk holding \(path) is full; free some space and retry")
        case SQLITE_IOERR, SQLITE_NOMEM:
            return .io("I/O error on the database \(path): \(message)")
        case SQLITE_CONSTRAINT:
            return .invalid("the database refused the change: \(message)")
        default:
            return .bug("SQLite error \(code) on \(path): \(message)")
        }
    }
}

func shellQuote(_ s: String) -> String {
    if !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2F || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F }) {
        return s
    }
    return "'" + s.replacing("'", with: "'\\''") + "'"
}

/// A prepared statement; finalized when the connection's cache goes away.
final class Statement {
    private let stmt: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ stmt: OpaquePointer, connection: SQLiteConnection) {
        self.stmt = stmt
        self.connection = connection
    }

    deinit { sqlite3_finalize(stmt) }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    @discardableResult
    func bind(_ index: Int32, _ value: String?) -> Statement {
        if let value {
            var v = value
            v.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress {
                        _ = sqlite3_bind_text(stmt, index, base, Int32(chars.count), tickets_sqlite_transient())
                    } else {
                        // A zero-length buffer may have no address; bind "" rather than NULL.
                        _ = sqlite3_bind_text(stmt, index, "", 0, nil)
                    }
                }
            }
        } else {
            sqlite3_bind_null(stmt, index)
        }
        return self
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Int64?) -> Statement {
        if let value { sqlite3_bind_int64(stmt, index, value) } else { sqlite3_bind_null(stmt, index) }
        return self
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Int) -> Statement { bind(index, Int64(value)) }

    @discardableResult
    func bind(_ index: Int32, _ value: Bool) -> Statement { bind(index, Int64(value ? 1 : 0)) }

    @discardableResult
    func bind(_ index: Int32, blob: [UInt8]) -> Statement {
        blob.withUnsafeBytes { buf in
            _ = sqlite3_bind_blob64(stmt, index, buf.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(buf.count), tickets_sqlite_transient())
        }
        return self
    }

    /// Binds each value in order from parameter 1.
    @discardableResult
    func bindAll(_ values: [SQLValue]) -> Statement {
        for (i, v) in values.enumerated() {
            switch v {
            case .text(let s): bind(Int32(i + 1), s)
            case .int(let n): bind(Int32(i + 1), n)
            case .null: sqlite3_bind_null(stmt, Int32(i + 1))
            }
        }
        return self
    }

    /// True while a row is available.
    func step() throws(TicketsError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let err = connection.failure(rc)
        sqlite3_reset(stmt)
        throw err
    }

    func run() throws(TicketsError) {
        while try step() {}
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        // column_text is NULL for SQL NULL; the bytes are whatever was stored, so invalid
        // UTF-8 written behind our back comes out repaired, never as a crash.
        guard let p = sqlite3_column_text(stmt, column) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }

    func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(stmt, column))
        guard n > 0, let p = sqlite3_column_blob(stmt, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}

/// A value to bind, for queries assembled from filters.
enum SQLValue {
    case text(String)
    case int(Int64)
    case null
}

public enum SQLiteLibrary {
    public static var version: String { String(cString: sqlite3_libversion()) }
}
