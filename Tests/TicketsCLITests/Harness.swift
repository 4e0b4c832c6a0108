import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore
import TicketsSQLite
#if TICKETS_POSTGRES
import TicketsPostgres
#endif

/// Which store the behaviour tests run against: SQLite, or with `TICKETS_TEST_STORE=postgres`
/// a PostgreSQL server (`TICKETS_TEST_POSTGRES`, a URI of a database whose role may
/// create databases): each test then gets a database of its own. With
/// `TICKETS_TEST_STORE=pgbouncer` the database is created on that server the same way,
/// and the commands reach it through PgBouncer in transaction pooling mode
/// (`TICKETS_TEST_PGBOUNCER`, the bouncer's URI; only its database name is replaced).
/// `Tests/postgres/cluster start DIR` prints both URIs.
enum TestStore: String {
    case sqlite, postgres, pgbouncer

    static let current: TestStore = ProcessInfo.processInfo.environment["TICKETS_TEST_STORE"].flatMap(TestStore.init(rawValue:)) ?? .sqlite
    /// The server the PostgreSQL runs use (databases are made and dropped there).
    static let server = ProcessInfo.processInfo.environment["TICKETS_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    /// The PgBouncer in front of it.
    static let bouncer = ProcessInfo.processInfo.environment["TICKETS_TEST_PGBOUNCER"].flatMap { $0.isEmpty ? nil : $0 }

    /// For `.enabled(if:)` on tests about SQLite's own files, locks and plans.
    static var isSQLite: Bool { current == .sqlite }
    /// Whether the behaviour tests run on a server (directly or through PgBouncer).
    static var isServer: Bool { current != .sqlite }

    /// The URI the commands use for database `name` of the server: through PgBouncer in
    /// pgbouncer mode, else the server's own with that database name.
    static func commandURI(database name: String) -> String {
        if current == .pgbouncer {
            let bouncer = bouncer ?? { preconditionFailure("TICKETS_TEST_STORE=pgbouncer needs TICKETS_TEST_PGBOUNCER") }()
            return DatabaseURI.with(database: name, bouncer)
        }
        let server = server ?? { preconditionFailure("TICKETS_TEST_STORE=\(current.rawValue) needs TICKETS_TEST_POSTGRES") }()
        return DatabaseURI.with(database: name, server)
    }

    /// The server store, where the test build has it.
    static var serverOpener: TicketsCLI.Server? {
        #if TICKETS_POSTGRES
        TicketsCLI.Server(open: PostgresStore.open, about: "libpq")
        #else
        nil
        #endif
    }
}

/// Runs `tickets` in-process against a private temporary database: argv, environment and
/// standard input in; stdout, stderr and the exit code out.
final class Harness {
    let dir: String
    var env: [String: String]

    struct Result {
        let code: Int32
        let stdout: String
        let stderr: String
        let stdoutBytes: [UInt8]

        /// stdout parsed by Foundation's JSON parser (a real, independent reader).
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdoutBytes), options: [.fragmentsAllowed])
        }
        func jsonObject() throws -> [String: Any] { try #require(try json() as? [String: Any]) }
        func jsonArray() throws -> [[String: Any]] { try #require(try json() as? [[String: Any]]) }
    }

    /// The PostgreSQL database of this test, dropped when the harness goes.
    private var serverDatabase: String?

    init(now: String = "2026-11-22T10:00:00Z") {
        dir = NSTemporaryDirectory() + "tickets-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var db = dir + "/tickets.db"
        #if TICKETS_POSTGRES
        if TestStore.isServer {
            let server = TestStore.server ?? { preconditionFailure("TICKETS_TEST_STORE=\(TestStore.current.rawValue) needs TICKETS_TEST_POSTGRES") }()
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            _ = try! PostgresAdmin.createDatabase(name, on: server)
            db = TestStore.commandURI(database: name)
            serverDatabase = name
        }
        #endif
        env = [
            "TICKETS_DB": db,
            "TICKETS_NAME": "Alice Example",
            "TICKETS_EMAIL": "alice@example.com",
            "XDG_CONFIG_HOME": dir + "/config",
            "TICKETS_NOW": now,
            "HOME": dir,
            "XDG_STATE_HOME": dir + "/state",
            "PATH": "/usr/bin:/bin",
        ]
    }

    deinit {
        try? FileManager.default.removeItem(atPath: dir)
        #if TICKETS_POSTGRES
        if let serverDatabase, let server = TestStore.server { try? PostgresAdmin.dropDatabase(serverDatabase, on: server) }
        #endif
    }

    var dbPath: String { env["TICKETS_DB"]! }

    /// The store the commands use, opened directly (for tests that race it or inspect it).
    func store(_ access: StoreAccess) throws -> any TicketStore {
        if DatabaseLocation.isServer(dbPath), let server = TestStore.serverOpener {
            return try server.open(dbPath, access, env)
        }
        return try SQLiteStore.open(path: dbPath, access: access)
    }

    @discardableResult
    func run(_ args: [String], stdin: [UInt8] = [], env extra: [String: String] = [:], terminal: Bool = false,
             columns: Int? = nil) -> Result {
        let io = TerminalIO.test(stdin: stdin, terminal: terminal, columns: columns)
        let code = TicketsCLI.run(args, environment: env.merging(extra) { $1 }, io: io, server: TestStore.serverOpener)
        return Result(code: code, stdout: io.stdout.text, stderr: io.stderr.text, stdoutBytes: io.stdout.captured)
    }

    /// The same as an agent (Bob).
    @discardableResult
    func agent(_ args: [String], stdin: [UInt8] = []) -> Result {
        run(args, stdin: stdin, env: ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example"])
    }

    /// As another requester (Carol).
    @discardableResult
    func carol(_ args: [String], stdin: [UInt8] = []) -> Result {
        run(args, stdin: stdin, env: ["TICKETS_NAME": "Carol", "TICKETS_EMAIL": "carol@example.com"])
    }

    /// Opens a ticket as Alice and returns its id.
    func open(_ subject: String = "Printer on fire", _ extra: [String] = []) -> Int {
        let r = run(["open", "-s", subject, "-m", "It is on fire.", "-q"] + extra)
        precondition(r.code == 0, "open failed: \(r.stderr)")
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The ticket's status as `show --json` reports it (as an agent, who sees everything).
    func status(_ id: Int) throws -> String {
        let r = agent(["show", "\(id)", "--json"])
        return try #require(try r.jsonObject()["status"] as? String)
    }
}

/// The built `tickets` executable, beside the test bundle in the build folder
/// (`swift build --build-tests` and `swift test` build it too).
enum BuiltBinary {
    static let path: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("tickets").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        // Fall back to the package's default debug build.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/tickets").path
    }()

    struct Output {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the binary with exactly this environment and standard input; `via` is a
    /// command line that runs it (setpriv for another user).
    static func run(_ args: [String], env: [String: String], stdin: Data = Data(), via: [String] = []) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: via.first ?? path)
        p.arguments = via.isEmpty ? args : Array(via.dropFirst()) + [path] + args
        p.environment = env
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        TestProcess.ignoreBrokenPipes()
        try p.run()
        try? input.fileHandleForWriting.write(contentsOf: stdin)
        try? input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}

/// `postgresql://host/old?x` → `postgresql://host/name?x` (PostgresAdmin.withDatabase's
/// rule, here so that tests that need no TicketsPostgres build without libpq-dev).
enum DatabaseURI {
    static func with(database name: String, _ uri: String) -> String {
        guard let scheme = uri.firstRange(of: "://") else { return uri }
        let rest = uri[scheme.upperBound...]
        let query = rest.firstIndex(of: "?") ?? rest.endIndex
        let authorityEnd = rest[..<query].firstIndex(of: "/") ?? query
        return String(uri[..<scheme.upperBound]) + rest[..<authorityEnd] + "/" + name + rest[query...]
    }
}

enum TestProcess {
    /// A child that exits before reading its standard input must give the writer EPIPE,
    /// not kill the whole test run with SIGPIPE.
    static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }
}
