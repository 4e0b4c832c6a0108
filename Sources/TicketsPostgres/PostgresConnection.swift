import CLibPQ
import Glibc
import TicketsCore

/// One libpq connection. Like the SQLite one, used from one thread only.
///
/// Every statement goes through `PQexecParams` (an unnamed statement, parsed each time):
/// no session-level prepared statement and no session state between transactions, so a
/// PgBouncer in transaction pooling mode in front of the server works (SPEC §9).
final class PostgresConnection {
    let handle: OpaquePointer
    /// The URI without its password, for messages.
    let shown: String

    /// Connects with libpq's own rules for the URI, the `PG*` variables and `~/.pgpass`.
    /// A connect timeout of 10 s applies unless the URI or `PGCONNECT_TIMEOUT` gives one:
    /// libpq's default is to wait for ever, and cron must never hang.
    init(uri: String, environment: [String: String]) throws(TicketsError) {
        shown = DatabaseLocation.redacted(uri)
        // Tickets text is UTF-8 whatever the server's default; as a connection keyword
        // it rides in the startup packet instead of costing a query after it.
        var keys = ["fallback_application_name", "client_encoding"]
        var values = ["tickets", "UTF8"]
        if environment["PGCONNECT_TIMEOUT"] == nil && !uri.contains("connect_timeout=") {
            keys.append("connect_timeout")
            values.append("10")
        }
        // Parameters after the expanded dbname override it; these come before, so the
        // URI's own values win.
        keys.append("dbname")
        values.append(uri)
        // An address libpq cannot read at all (an unknown parameter, a malformed URI) is
        // the user's to fix (78), not a server to wait for.
        var parseError: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(uri, &parseError) {
            PQconninfoFree(options)
        } else {
            let message = parseError.map { DatabaseLocation.scrub(Self.oneLine($0), of: uri) } ?? "out of memory"
            if let parseError { PQfreemem(parseError) }
            throw .config("the database address \(shown) is not valid: \(message)")
        }
        let cKeys = keys.map { strdup($0) } + [nil]
        let cValues = values.map { strdup($0) } + [nil]
        defer {
            cKeys.forEach { free($0) }
            cValues.forEach { free($0) }
        }
        let conn = cKeys.withUnsafeBufferPointer { kp in
            cValues.withUnsafeBufferPointer { vp in
                kp.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: kp.count) { k in
                    vp.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: vp.count) { v in
                        PQconnectdbParams(k, v, 1)
                    }
                }
            }
        }
        guard let conn else { throw .unavailable("cannot connect to \(DatabaseLocation.redacted(uri)): out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = DatabaseLocation.scrub(Self.oneLine(PQerrorMessage(conn)), of: uri)
            PQfinish(conn)
            throw Self.connectError(message, shown: shown)
        }
        handle = conn
        // libpq prints the server's NOTICEs on stderr ("schema already exists, skipping"):
        // what tickets says there is tickets' own, one line an error.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// libpq's message as one line: its lines (and the tabs that indent them) joined
    /// by single spaces.
    static func oneLine(_ text: UnsafePointer<CChar>) -> String {
        String(cString: text).split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == " " || $0 == "\r" })
            .joined(separator: " ")
    }

    /// libpq reports a failed connection as text only (no SQLSTATE yet), in English: the
    /// process never sets a locale, so its messages are not translated. The login
    /// refused is 77; a missing database or a value libpq refuses before it tries any
    /// server (a port that is not a number, an unknown sslmode: "invalid ...", "could
    /// not match ...") is 78; anything else means the server could not be reached (69),
    /// which a retry may cure.
    static func connectError(_ message: String, shown: String) -> TicketsError {
        let m = message.lowercased()
        let setting = ["invalid integer value", "invalid port number", "could not match ", "invalid connection option",
                       "invalid uri", "invalid percent-encoded", "value: \""]
        if m.hasPrefix("invalid ") || setting.contains(where: m.contains) {
            return .config("the database address \(shown) is not valid: \(message)")
        }
        let login = ["password authentication failed", "no pg_hba.conf entry", "authentication failed",
                     "no password supplied", "permission denied", "pg_hba.conf rejects"]
        if login.contains(where: m.contains) || (m.contains("role \"") && m.contains("does not exist")) {
            return .notPermitted("the server refused the login to \(shown): \(message)")
        }
        if m.contains("database \"") && m.contains("does not exist") {
            return .config("\(shown): \(message); create it (createdb) or fix the URI")
        }
        return .unavailable("cannot reach the database server \(shown): \(message); retrying later may work")
    }

    /// A parameter: text (libpq's text format) or binary bytes (bytea).
    enum Param {
        case text(String)
        case bytes([UInt8])
        case null

        static func optional(_ s: String?) -> Param { s.map { .text($0) } ?? .null }
        static func int(_ n: Int64) -> Param { .text(String(n)) }
        static func bool(_ b: Bool) -> Param { .text(b ? "true" : "false") }
    }

    /// Runs one statement with `$1`... parameters; `binary` asks for binary results
    /// (bytea columns come as their bytes).
    @discardableResult
    func run(_ sql: String, _ params: [Param] = [], binary: Bool = false) throws(TicketsError) -> PostgresResult {
        var cValues = [UnsafeMutablePointer<CChar>?]()
        var lengths = [Int32]()
        var formats = [Int32]()
        for p in params {
            switch p {
            case .text(let s):
                cValues.append(strdup(s))
                lengths.append(0)
                formats.append(0)
            case .bytes(let b):
                let buf = UnsafeMutablePointer<CChar>.allocate(capacity: max(b.count, 1))
                b.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { UnsafeMutableRawPointer(buf).copyMemory(from: base, byteCount: b.count) }
                }
                cValues.append(buf)
                lengths.append(Int32(b.count))
                formats.append(1)
            case .null:
                cValues.append(nil)
                lengths.append(0)
                formats.append(0)
            }
        }
        defer {
            for (i, v) in cValues.enumerated() {
                guard let v else { continue }
                if formats[i] == 1 { v.deallocate() } else { free(v) }
            }
        }
        let result = cValues.withUnsafeBufferPointer { values in
            values.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(values.count, 1)) { v in
                PQexecParams(handle, sql, Int32(params.count), nil, params.isEmpty ? nil : v, lengths, formats, binary ? 1 : 0)
            }
        }
        return try checked(result)
    }

    /// A statement without parameters, possibly several (BEGIN, COMMIT, the schema).
    func execute(_ sql: String) throws(TicketsError) {
        _ = try checked(PQexec(handle, sql))
    }

    func checked(_ result: OpaquePointer?) throws(TicketsError) -> PostgresResult {
        guard let result else { throw lost() }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = Self.oneLine(PQresultErrorMessage(result))
            PQclear(result)
            if PQstatus(handle) != CONNECTION_OK { throw lost() }
            throw Self.error(sqlstate: state, message: message, shown: shown)
        }
    }

    /// The connection went away mid-command (the server stopped, the network failed):
    /// the transaction is gone with it, nothing half-written stays.
    func lost() -> TicketsError {
        let message = Self.oneLine(PQerrorMessage(handle))
        return .unavailable("lost the connection to \(shown) (\(message)); nothing of this change was written; retrying later may work")
    }

    /// The one place where SQLSTATEs become the contract's error kinds (SPEC §7).
    static func error(sqlstate: String, message: String, shown: String) -> TicketsError {
        switch sqlstate {
        case "40001", "40P01", "55P03", "57014":
            return TicketsError(.busy, "the database \(shown) stayed locked by another writer past the 10 s lock timeout (\(message)); retrying may work")
        case "25006":
            return .notPermitted("the database \(shown) refused the change: \(message); writing needs a role with write access to the tickets schema")
        case "42501":
            // A read as well as a write: a role may lack USAGE on the schema altogether.
            return .notPermitted("the database \(shown) refused access: \(message); reading needs USAGE on the tickets schema and SELECT on its tables, writing INSERT, UPDATE and DELETE too")
        case "53100", "53200", "53300":
            return .io("the database server \(shown) is out of resources: \(message)")
        case "22P05", "22021":
            // The database's encoding cannot hold the text (a LATIN1 database and an emoji).
            return .config("the database \(shown) cannot store this text: \(message); tickets needs a database created with ENCODING 'UTF8'")
        case "42P01", "42703", "42883":
            return .io("the tickets schema on \(shown) does not match this tickets (\(message)); check it, or restore it from a tickets export")
        default:
            if sqlstate.hasPrefix("08") || sqlstate.hasPrefix("57P") {
                return .unavailable("the database server \(shown) cannot be used now: \(message); retrying later may work")
            }
            if sqlstate.hasPrefix("23") { return .invalid("the database refused the change: \(message)") }
            return .bug("PostgreSQL error \(sqlstate) on \(shown): \(message)")
        }
    }

    // MARK: COPY, for import

    /// `COPY ... FROM STDIN` in text format: `produce` hands over rows (tab-separated
    /// lines already escaped, see `copyField`) through `send`, which passes them to the
    /// server a megabyte at a time. A failure ends the COPY, which fails the transaction.
    func copy(_ sql: String, _ produce: (_ send: ([UInt8]) throws(TicketsError) -> Void) throws(TicketsError) -> Void) throws(TicketsError) {
        _ = try checked(PQexec(handle, sql))
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        func flush() throws(TicketsError) {
            guard !buffer.isEmpty else { return }
            let rc = buffer.withUnsafeBytes { PQputCopyData(handle, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count)) }
            guard rc == 1 else { throw lost() }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            try produce { (row) throws(TicketsError) in
                buffer += row
                if buffer.count >= 1 << 20 { try flush() }
            }
            try flush()
        } catch {
            _ = PQputCopyEnd(handle, "the import stopped")
            while let r = PQgetResult(handle) { PQclear(r) }
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw lost() }
        while let r = PQgetResult(handle) { _ = try checked(r) }
    }

    /// One field of a COPY text row: `\N` for null, backslash escapes for the rest.
    static func copyField(_ value: String?, into out: inout [UInt8]) {
        guard let value else {
            out += [0x5C, 0x4E]
            return
        }
        for b in value.utf8 {
            switch b {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            default: out.append(b)
            }
        }
    }

    /// A bytea field of a COPY text row: `\\x` and hex.
    static func copyBytes(_ bytes: [UInt8], into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out += [0x5C, 0x5C, 0x78]
        for b in bytes {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
    }
}

/// A result set, cleared when it goes.
final class PostgresResult {
    let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    var rows: Int { Int(PQntuples(result)) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    func text(_ row: Int, _ column: Int) -> String {
        guard let p = PQgetvalue(result, Int32(row), Int32(column)) else { return "" }
        let n = Int(PQgetlength(result, Int32(row), Int32(column)))
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
    }

    func optionalText(_ row: Int, _ column: Int) -> String? { isNull(row, column) ? nil : text(row, column) }
    func int(_ row: Int, _ column: Int) -> Int64 { Int64(text(row, column)) ?? 0 }
    func optionalInt(_ row: Int, _ column: Int) -> Int64? { isNull(row, column) ? nil : int(row, column) }
    func bool(_ row: Int, _ column: Int) -> Bool { text(row, column) == "t" }

    /// A bytea column of a binary result.
    func bytes(_ row: Int, _ column: Int) -> [UInt8] {
        guard let p = PQgetvalue(result, Int32(row), Int32(column)) else { return [] }
        let n = Int(PQgetlength(result, Int32(row), Int32(column)))
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
    }
}

public enum PostgresLibrary {
    /// libpq's version, `15.18` for 150018.
    public static var version: String {
        let v = PQlibVersion()
        return "\(v / 10000).\(v % 10000)"
    }
}
