import TicketsCore
import TicketsSQLite

/// The PostgreSQL store (SPEC §9): a team's tickets on a server, with the rules of the
/// SQLite store written once above the store boundary.
///
/// Locking: a write is one READ COMMITTED transaction that locks the rows it reads
/// (`SELECT ... FOR UPDATE` through `ticket(_:forUpdate:)`) and takes a transaction-scoped
/// advisory lock for what has no row yet (a new dedupe key; migrations), so it also works
/// through PgBouncer in transaction pooling mode. `lock_timeout` of 10 s plays SQLite's
/// busy timeout: past it, exit 75.
public final class PostgresStore: TicketStore {
    let pg: PostgresConnection
    public let location: String
    public let feed = ChangeFeed()
    private var readDepth = 0
    private var writing = false
    private var cursors = 0

    private init(_ pg: PostgresConnection) {
        self.pg = pg
        location = pg.shown
    }

    /// Connects to the server a `postgres://` URI names. A read of a database whose
    /// tickets schema does not exist yet sees an empty one and creates nothing (as with a
    /// missing SQLite file); a write creates or migrates the schema first. A schema newer
    /// than this program is refused (78), untouched.
    public static func open(uri: String, access: StoreAccess, environment: [String: String]) throws(TicketsError) -> any TicketStore {
        let store = PostgresStore(try PostgresConnection(uri: uri, environment: environment))
        let version = try store.schemaVersion()
        if let version, version > PostgresSchema.currentVersion {
            throw .config("the tickets schema on \(store.location) has version \(version), newer than this tickets understands (\(PostgresSchema.currentVersion)); upgrade tickets")
        }
        if version == PostgresSchema.currentVersion { return store }
        if access == .read && version == nil { return try SQLiteStore.empty(location: store.location) }
        try store.migrate()
        return store
    }

    /// nil when the schema has not been created.
    func schemaVersion() throws(TicketsError) -> Int? {
        let exists = try pg.run("SELECT to_regclass('tickets.schema_version') IS NOT NULL")
        guard exists.bool(0, 0) else { return nil }
        let r = try pg.run("SELECT max(version) FROM tickets.schema_version")
        return r.rows > 0 ? r.optionalInt(0, 0).map(Int.init) : nil
    }

    /// Forward-only, under the migration lock, so eight first-time `open`s at once all
    /// succeed: the first creates the schema, the others find it done.
    func migrate() throws(TicketsError) {
        try write { () throws(TicketsError) in
            try pg.run("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.migrationLock)])
            // Another process may have finished the work while this one waited for the lock.
            if try schemaVersion() == PostgresSchema.currentVersion { return }
            try pg.execute("""
                CREATE SCHEMA IF NOT EXISTS tickets;
                CREATE TABLE IF NOT EXISTS tickets.schema_version (version integer NOT NULL);
                INSERT INTO tickets.schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM tickets.schema_version);
                """)
            let current = Int(try pg.run("SELECT max(version) FROM tickets.schema_version").int(0, 0))
            guard current < PostgresSchema.currentVersion else { return }
            for step in current..<PostgresSchema.currentVersion { try pg.execute(PostgresSchema.migrations[step]) }
            try pg.run("UPDATE tickets.schema_version SET version = $1", [.int(Int64(PostgresSchema.currentVersion))])
        }
    }

    public func read<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        if readDepth > 0 || writing { return try body() }
        // One snapshot for the whole read (an export sees one state of every ticket).
        try pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        readDepth += 1
        defer { readDepth -= 1 }
        do {
            let result = try body()
            try pg.execute("COMMIT")
            return result
        } catch {
            try? pg.execute("ROLLBACK")
            throw error
        }
    }

    public func bookkeeping<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        try write { () throws(TicketsError) -> T in
            try pg.execute("SET LOCAL synchronous_commit = off")
            return try body()
        }
    }

    public func write<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        try pg.execute("BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '10s'")
        writing = true
        defer { writing = false }
        do {
            let result = try body()
            try pg.execute("COMMIT")
            return result
        } catch {
            try? pg.execute("ROLLBACK")
            throw error
        }
    }

    /// A server-side cursor's name, unique while it is open (an export reads each
    /// ticket's messages between fetches of the list).
    func nextCursor() -> String {
        cursors += 1
        return "tickets_cursor_\(cursors)"
    }
}

/// Databases on a server, for the tests and the benchmarks: each gets a fresh one.
public enum PostgresAdmin {
    /// Creates database `name` on the server `uri` names and returns its URI.
    public static func createDatabase(_ name: String, on uri: String) throws(TicketsError) -> String {
        let admin = try PostgresConnection(uri: uri, environment: [:])
        try admin.execute("CREATE DATABASE \(name)")
        return withDatabase(name, uri)
    }

    public static func dropDatabase(_ name: String, on uri: String) throws(TicketsError) {
        let admin = try PostgresConnection(uri: uri, environment: [:])
        try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs SQL on a database (tests that look under the store, or break it).
    public static func execute(_ sql: String, on uri: String) throws(TicketsError) {
        try PostgresConnection(uri: uri, environment: [:]).execute(sql)
    }

    /// `uri` with its database name replaced: `postgresql://host/old?x` → `postgresql://host/name?x`.
    public static func withDatabase(_ name: String, _ uri: String) -> String {
        guard let scheme = uri.firstRange(of: "://") else { return uri }
        let rest = uri[scheme.upperBound...]
        let query = rest.firstIndex(of: "?") ?? rest.endIndex
        let authorityEnd = rest[..<query].firstIndex(of: "/") ?? query
        return String(uri[..<scheme.upperBound]) + rest[..<authorityEnd] + "/" + name + rest[query...]
    }
}
