import CTicketsSQLite
import Glibc
import TicketsCore

/// The SQLite store: owns the connection, the schema and every SQL statement.
/// Each write is one short transaction begun IMMEDIATE, so that a read-then-write never
/// fails with SQLITE_BUSY halfway (a deferred transaction cannot upgrade its lock while
/// another writer waits): the whole database is locked for the transaction, which is how
/// SQLite "locks what it reads".
public final class SQLiteStore: TicketStore {
    public typealias Access = StoreAccess

    let db: SQLiteConnection
    public let path: String
    public var location: String { path }
    public let feed = ChangeFeed()
    /// Reads nest (export reads each ticket's messages inside the listing's snapshot).
    private var readDepth = 0

    private init(db: SQLiteConnection, path: String) {
        self.db = db
        self.path = path
    }

    /// Opens the database at `path`. A missing file is created (mode 0600, parent folders
    /// 0700) only for `.write`; a read of a missing database sees an empty one in memory,
    /// so `tickets list` on a fresh machine leaves no file behind.
    public static func open(path: String, access: Access) throws(TicketsError) -> SQLiteStore {
        if try DatabaseFile.check(path) == .missing {
            if access == .read { return try fresh(memory: path) }
            try createFile(path)
        }
        // SQLite reads a WAL database only where it can open or create the -shm file
        // beside it, and a reader that cannot write the file leaves -wal and -shm behind.
        // A file or folder that nothing can write, with no WAL in use, is read as
        // immutable instead: it works and creates nothing. A write is refused at once.
        let sealed = !(FileSystem.isWritable(path) && FileSystem.isWritable(FileSystem.dirname(of: path)))
            && !FileSystem.exists(path + "-shm") && !FileSystem.exists(path + "-wal")
        if sealed && access == .write {
            throw .notPermitted("the database \(path) or its folder is read-only here; writing needs write access to both (SQLite keeps its -wal and -shm files beside the database)")
        }
        let db = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE, immutable: sealed)
        let store = SQLiteStore(db: db, path: path)
        if try !store.prepareSchema(access: access) {
            // An empty file: reading it must not initialise it.
            return try fresh(memory: path)
        }
        return store
    }

    /// An empty database in memory that names `location` in messages: what a read sees
    /// of a database not created yet (a missing file, a server schema not made yet).
    public static func empty(location: String) throws(TicketsError) -> SQLiteStore {
        try fresh(memory: location)
    }

    static func fresh(memory path: String) throws(TicketsError) -> SQLiteStore {
        let db = try SQLiteConnection(path: ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let store = SQLiteStore(db: db, path: path)
        try store.migrate()
        return store
    }

    /// Whether no file exists at `path` yet (after the checks of `--db`: a folder, a
    /// device or a dangling link is refused as for any command).
    public static func isMissing(_ path: String) throws(TicketsError) -> Bool {
        try DatabaseFile.check(path) == .missing
    }

    /// The current schema on `db`, a file nobody else has open yet (import's new
    /// database, `ImportStage(newDatabase:)`).
    static func createSchema(on db: SQLiteConnection, path: String) throws(TicketsError) {
        try SQLiteStore(db: db, path: path).migrate()
    }

    static func createFile(_ path: String) throws(TicketsError) {
        let dir = FileSystem.dirname(of: path)
        if !FileSystem.isDirectory(dir) { try FileSystem.makeDirectories(dir) }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return } // another process created it first: fine
            throw .cannotCreate("cannot create the database \(path): \(String(cString: strerror(errno)))")
        }
        // The umask may have narrowed 0600 but never widens it; make it exact.
        _ = fchmod(fd, 0o600)
        Glibc.close(fd)
    }

    /// Checks the file is ours and current before anything writes to it: a foreign or
    /// newer file is refused (78) untouched. Only `user_version` and `application_id`
    /// are read on the common path, both from the header page.
    /// Returns false for an uninitialised file opened for reading.
    func prepareSchema(access: Access) throws(TicketsError) -> Bool {
        // One snapshot for all three facts: another process may be creating the schema
        // right now, and reading before and after its commit would mix two states.
        let (appID, version, tables) = try readTransaction { () throws(TicketsError) in
            let appID = try readHeaderInt("application_id")
            let version = try readHeaderInt("user_version")
            return (appID, version, version == 0 ? try tableCount() : 0)
        }
        if appID == Int64(Schema.applicationID) {
            // A negative version, or version 0 over existing tables, is a damaged header
            // that no tickets writes; migrating "from" it would trap or fail.
            if version < 0 || (version == 0 && tables != 0) {
                throw .io("the database \(path) is damaged (its header names schema version \(version), which no tickets writes); check it with: sqlite3 \(shellQuote(path)) 'PRAGMA integrity_check' and restore it from a backup or a tickets export")
            }
            if version > Int64(Schema.currentVersion) {
                throw .config("the database \(path) has schema version \(version), newer than this tickets understands (\(Schema.currentVersion)); upgrade tickets")
            }
            // SQLite opens a file read-only when its header asks for a newer write format
            // (byte 18): that is a file this program cannot write (78), not a permission.
            if access == .write && db.isReadOnly && FileSystem.isWritable(path) {
                throw .config("the database \(path) asks for a newer SQLite file format than this tickets can write; upgrade tickets, or check the file with: sqlite3 \(shellQuote(path)) 'PRAGMA integrity_check'")
            }
            if version == Int64(Schema.currentVersion) {
                try db.execute("PRAGMA foreign_keys = ON")
                return true
            }
        } else if appID != 0 || version != 0 || tables != 0 {
            throw .config("\(path) is an SQLite database of another program, not a tickets database; pass another --db")
        }
        if access == .read && appID == 0 { return false }
        if db.isReadOnly {
            throw .notPermitted("the database \(path) is read-only and needs its schema created or upgraded; open it once with write access")
        }
        // journal_mode cannot change inside a transaction; it is persistent, so this
        // runs once per database, before the first migration.
        if appID == 0 { try switchToWAL() }
        try migrate()
        try db.execute("PRAGMA foreign_keys = ON")
        return true
    }

    /// Switching to WAL needs the file to itself and, unlike a transaction, returns
    /// "busy" at once instead of calling the busy handler: processes creating a database
    /// at the same moment (CI jobs on a fresh machine) would fail with 75 in milliseconds.
    /// So it retries within the same 10 s; a file already switched by another process
    /// switches again as a no-op.
    private func switchToWAL() throws(TicketsError) {
        var waitedMilliseconds = 0
        while true {
            do {
                try db.execute("PRAGMA journal_mode = WAL")
                return
            } catch where error.kind == .busy && waitedMilliseconds < 10_000 {
                usleep(2_000)
                waitedMilliseconds += 2
            }
        }
    }

    private func readHeaderInt(_ pragma: String) throws(TicketsError) -> Int64 {
        do {
            return try db.intPragma(pragma)
        } catch where error.kind == .internalError || db.lastFailure & 0xFF == SQLITE_CORRUPT {
            // A header SQLite cannot make sense of is not ours, unless it carries our
            // application_id: then it is a damaged tickets database (74, with the advice
            // to check and restore it). A full disk or an I/O error stays 74 too.
            if error.kind == .io && headerCarriesOurID() { throw error }
            throw .config("\(path) is not a tickets database (\(error.message)); pass another --db")
        }
    }

    /// The SQLite magic and our `application_id` (big-endian at offset 68), read from
    /// the file itself since SQLite would not read a damaged one.
    private func headerCarriesOurID() -> Bool {
        guard let h = try? FileSystem.read(path: path, limit: 72), h.count >= 72,
              h.starts(with: Array("SQLite format 3\0".utf8)) else { return false }
        let id = h[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return id == UInt32(bitPattern: Schema.applicationID)
    }

    private func tableCount() throws(TicketsError) -> Int64 {
        let s = try db.prepare("SELECT count(*) FROM sqlite_schema")
        defer { s.reset() }
        _ = try s.step()
        return s.int(0)
    }

    /// Forward-only migrations inside the write lock; the version is re-read after the
    /// lock is taken, since another process may have migrated meanwhile.
    func migrate() throws(TicketsError) {
        try writeTransaction { () throws(TicketsError) in
            let current = try db.intPragma("user_version")
            guard current < Int64(Schema.currentVersion) else { return }
            db.registerMigrationFunctions()
            for step in Int(current)..<Schema.migrations.count {
                try db.execute(Schema.migrations[step])
            }
            try db.execute("PRAGMA application_id = \(Schema.applicationID)")
            try db.execute("PRAGMA user_version = \(Schema.currentVersion)")
        }
    }

    public func read<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        try readTransaction(body)
    }

    public func write<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        try writeTransaction(body)
    }

    public func bookkeeping<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        // In WAL mode NORMAL commits without syncing the log; the next full commit or
        // checkpoint makes it durable. Back to FULL (the default) for what follows.
        try db.execute("PRAGMA synchronous = NORMAL")
        defer { try? db.execute("PRAGMA synchronous = FULL") }
        return try writeTransaction(body)
    }

    /// One IMMEDIATE transaction around `body`; rolled back on any error.
    func writeTransaction<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        try db.execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try db.execute("COMMIT")
            return result
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Reads see one snapshot across their statements.
    func readTransaction<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        if readDepth > 0 || !db.isAutocommit { return try body() }
        try db.execute("BEGIN")
        readDepth += 1
        defer {
            readDepth -= 1
            try? db.execute("COMMIT")
        }
        return try body()
    }
}
