import Foundation
import Testing

/// What the PostgreSQL tests need: the server of `Tests/postgres/cluster` (its URIs in
/// TICKETS_TEST_POSTGRES, TICKETS_TEST_POSTGRES_PASSWORD_ROLE and
/// TICKETS_TEST_POSTGRES_PASSWORD, TICKETS_TEST_PGBOUNCER), psql for what looks under
/// the store, and the built `tickets` run the way a user types it. Without a server the
/// tests are skipped (and say why) on a workstation, and fail under CI=true, like
/// ShellSupport's tools.
enum PostgresSupport {
    static func variable(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let server = variable("TICKETS_TEST_POSTGRES")

    /// For `.enabled(if:)`: run with a server, and always under CI.
    static var runs: Bool { ShellSupport.underCI || server != nil }

    static let howTo = "start a throwaway cluster with `Tests/postgres/cluster start DIR` and export what it prints"

    static func requireServer() throws -> String {
        try #require(server, "TICKETS_TEST_POSTGRES is not set: \(howTo)")
    }

    /// The role that must give a password, and its password.
    static func requirePasswordRole() throws -> (uri: String, password: String) {
        let uri = try #require(variable("TICKETS_TEST_POSTGRES_PASSWORD_ROLE"), "TICKETS_TEST_POSTGRES_PASSWORD_ROLE is not set: \(howTo)")
        let password = try #require(variable("TICKETS_TEST_POSTGRES_PASSWORD"), "TICKETS_TEST_POSTGRES_PASSWORD is not set: \(howTo)")
        return (uri, password)
    }

    /// The folder of the built `tickets` and `tickets-pg`.
    static let builtDirectory = URL(fileURLWithPath: BuiltBinary.path).deletingLastPathComponent().path

    static let clusterScript = ShellSupport.repository.appendingPathComponent("Tests/postgres/cluster").path

    static func psqlPath() throws -> String { try ShellSupport.require("psql") }

    /// Runs SQL through psql (unaligned, tuples only) and returns its output without the last newline.
    @discardableResult
    static func psql(_ uri: String, _ sql: String) throws -> String {
        let r = try ShellSupport.run(try psqlPath(), ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", uri, "-c", sql],
                                     env: ["PGCONNECT_TIMEOUT": "10"])
        guard r.code == 0 else { throw PostgresTestError("psql failed (\(r.code)) on \(sql): \(r.stderr)") }
        return r.stdout.hasSuffix("\n") ? String(r.stdout.dropLast()) : r.stdout
    }

    static func uniqueName(_ prefix: String = "pt") -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Polls `condition` until it holds or `seconds` pass.
    static func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try condition() { return true }
            usleep(50_000)
        } while Date() < deadline
        return try condition()
    }
}

struct PostgresTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A database of its own on a server, dropped when this goes. `uri` is what the commands
/// use: through the PgBouncer in pgbouncer mode (TICKETS_TEST_STORE=pgbouncer), else the
/// server's own; `admin` always reaches the server directly as the superuser.
final class ServerDatabase: @unchecked Sendable {
    let name: String
    let server: String
    let admin: String
    let uri: String

    /// How the commands reach it.
    enum Route {
        /// Through TICKETS_TEST_PGBOUNCER in pgbouncer mode, else directly.
        case asTheModeSays
        case direct
        case bouncer(String)
    }

    init(server: String, route: Route = .asTheModeSays, owner: String? = nil,
         name: String = PostgresSupport.uniqueName()) throws {
        var bouncer: String?
        switch route {
        case .asTheModeSays where TestStore.current == .pgbouncer:
            guard let b = TestStore.bouncer else { throw PostgresTestError("TICKETS_TEST_STORE=pgbouncer needs TICKETS_TEST_PGBOUNCER") }
            bouncer = b
        case .asTheModeSays, .direct: bouncer = nil
        case .bouncer(let b): bouncer = b
        }
        self.name = name
        self.server = server
        try PostgresSupport.psql(server, "CREATE DATABASE \(name)" + (owner.map { " OWNER \($0)" } ?? ""))
        admin = DatabaseURI.with(database: name, server)
        uri = bouncer.map { DatabaseURI.with(database: name, $0) } ?? admin
    }

    deinit { _ = try? PostgresSupport.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    @discardableResult
    func sql(_ statement: String) throws -> String { try PostgresSupport.psql(admin, statement) }

    /// The number of rows of a tickets table.
    func count(_ table: String) throws -> Int { Int(try sql("SELECT count(*) FROM tickets.\(table)")) ?? -1 }
}

/// A user's folder and environment, who types `tickets` (the built one first on PATH).
final class TicketsUser: @unchecked Sendable {
    let dir: String
    var env: [String: String]

    init(db: String?, now: String? = "2026-11-22T10:00:00Z") {
        dir = NSTemporaryDirectory() + "tickets-pg-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        env = ["HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state",
               "XDG_DATA_HOME": dir + "/data", "TICKETS_NAME": "Alice Example", "TICKETS_EMAIL": "alice@example.com"]
        if let db { env["TICKETS_DB"] = db }
        if let now { env["TICKETS_NOW"] = now }
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    static let agent = ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example"]
    static let carol = ["TICKETS_NAME": "Carol", "TICKETS_EMAIL": "carol@example.com"]

    /// `tickets ARGS` through /bin/sh, as typed.
    @discardableResult
    func tickets(_ args: [String], stdin: String = "", env extra: [String: String] = [:]) throws -> Timed {
        let start = Date()
        let r = try ShellSupport.run("/bin/sh", ["-c", #"exec tickets "$@""#, "sh"] + args,
                                     env: env.merging(extra) { $1 }, stdin: stdin)
        return Timed(code: r.code, stdout: r.stdout, stderr: r.stderr, seconds: Date().timeIntervalSince(start))
    }

    @discardableResult
    func agent(_ args: [String], stdin: String = "", env extra: [String: String] = [:]) throws -> Timed {
        try tickets(args, stdin: stdin, env: Self.agent.merging(extra) { $1 })
    }

    /// A shell script with `tickets` on PATH (bash, for pipefail).
    func shell(_ script: String, env extra: [String: String] = [:]) throws -> Timed {
        let start = Date()
        let r = try ShellSupport.run("/bin/bash", ["-c", "set -o pipefail; " + script], env: env.merging(extra) { $1 })
        return Timed(code: r.code, stdout: r.stdout, stderr: r.stderr, seconds: Date().timeIntervalSince(start))
    }

    /// `tickets ARGS` started and left running (see `Running.finish`).
    func start(_ args: [String], stdin: String = "", env extra: [String: String] = [:]) throws -> Running {
        try Running(args, env: env.merging(extra) { $1 }, stdin: stdin)
    }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    struct Timed {
        let code: Int32
        let stdout: String
        let stderr: String
        let seconds: Double

        /// The draft the error says the typed text was saved to.
        var draft: String? { stderr.firstMatch(of: /saved to (\S+):/).map { String($0.1) } }
        func contains(_ secret: String) -> Bool { stdout.contains(secret) || stderr.contains(secret) }
        /// One error line and nothing else.
        var isOneErrorLine: Bool {
            stdout.isEmpty && stderr.hasPrefix("tickets: error: ") && stderr.hasSuffix("\n")
                && stderr.filter { $0 == "\n" }.count == 1
        }
    }
}

/// A `tickets` process left running: the shell execs it, and it execs `tickets-pg` for a
/// server, so `pid` is the companion's own.
final class Running: @unchecked Sendable {
    let process = Process()
    private let out = Pipe(), err = Pipe()
    private let started = Date()

    init(_ args: [String], env: [String: String], stdin: String) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"exec tickets "$@""#, "sh"] + args
        var env = env
        env["PATH"] = PostgresSupport.builtDirectory + ":/usr/bin:/bin"
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        TestProcess.ignoreBrokenPipes()
        try process.run()
        try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
    }

    var pid: Int32 { process.processIdentifier }

    func finish() -> TicketsUser.Timed {
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return TicketsUser.Timed(code: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                 stderr: String(decoding: e, as: UTF8.self), seconds: Date().timeIntervalSince(started))
    }
}

/// A psql session kept open (a transaction that holds locks while a test runs commands).
final class PsqlSession: @unchecked Sendable {
    let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private var seen = ""

    init(_ uri: String) throws {
        process.executableURL = URL(fileURLWithPath: try PostgresSupport.psqlPath())
        process.arguments = ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", uri]
        process.environment = ["PATH": "/usr/bin:/bin", "PGCONNECT_TIMEOUT": "10"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        TestProcess.ignoreBrokenPipes()
        try process.run()
    }

    /// Sends SQL, then waits until psql has run it (it echoes a marker after it).
    func run(_ sql: String) throws {
        let marker = "done-" + UUID().uuidString
        try input.fileHandleForWriting.write(contentsOf: Data((sql + "\n\\echo \(marker)\n").utf8))
        while !seen.contains(marker) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty {
                let e = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw PostgresTestError("psql ended before running \(sql): \(e)")
            }
            seen += String(decoding: data, as: UTF8.self)
        }
    }

    /// Ends the session (its open transaction rolls back unless committed).
    func close() {
        try? input.fileHandleForWriting.write(contentsOf: Data("\\q\n".utf8))
        try? input.fileHandleForWriting.close()
        _ = output.fileHandleForReading.readDataToEndOfFile()
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
    }
}

/// A TCP socket on 127.0.0.1 that listens and never answers: the kernel completes the
/// handshake, so a client waits for the server's first byte until its own timeout.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && listen(fd, 64) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            close(fd)
            throw PostgresTestError("cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }

    /// A port on 127.0.0.1 that nobody listens on (one that was free a moment ago).
    static func unusedPort() throws -> Int {
        let l = try SilentListener()
        return l.port
    }
}

/// A cluster of a test's own (Tests/postgres/cluster in a folder under /tmp), for tests
/// that stop the server: the shared one stays up for the others.
final class PrivateCluster: @unchecked Sendable {
    let dir: String
    private(set) var server = ""
    private(set) var bouncer: String?

    init() throws {
        // Short: a Unix socket path has at most 107 bytes.
        dir = "/tmp/tpc-" + UUID().uuidString.prefix(8).lowercased()
        try start()
    }

    /// Starts it (again: the data stays).
    func start() throws {
        let r = try Spawn.run([PostgresSupport.clusterScript, "start", dir])
        guard r.code == 0 else { throw PostgresTestError("cluster start failed (\(r.code)): \(r.stderr)") }
        for line in r.stdout.split(separator: "\n") {
            guard let m = line.wholeMatch(of: /export ([A-Z_]+)='(.*)'/) else { continue }
            if m.1 == "TICKETS_TEST_POSTGRES" { server = String(m.2) }
            if m.1 == "TICKETS_TEST_PGBOUNCER" { bouncer = String(m.2) }
        }
        guard !server.isEmpty else { throw PostgresTestError("cluster start printed no TICKETS_TEST_POSTGRES: \(r.stdout)") }
    }

    /// pg_ctl stop -m immediate, as a crash: the clients lose their connections at once.
    func stop() throws {
        let r = try Spawn.run([PostgresSupport.clusterScript, "stop", dir])
        guard r.code == 0 else { throw PostgresTestError("cluster stop failed (\(r.code)): \(r.stderr)") }
    }

    deinit {
        try? stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Runs a program that leaves daemons behind (the cluster script: postgres, pgbouncer)
/// with posix_spawn and waitpid: its output goes to files, so no daemon keeps a pipe of
/// ours open, and it starts with no signal blocked or ignored, so the daemons stop when
/// told. (Foundation's Process was seen to wait for ever on such a script, its shell a
/// zombie, and the pgbouncer it started ignored SIGTERM.)
enum Spawn {
    static func run(_ argv: [String], env: [String: String] = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]) throws -> ShellSupport.Output {
        let base = NSTemporaryDirectory() + "spawn-" + UUID().uuidString
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let pid = try start(argv, env: env, stdout: base + ".out", stderr: base + ".err")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw PostgresTestError("waitpid \(argv): \(String(cString: strerror(errno)))") }
        }
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return ShellSupport.Output(code: code, stdout: text(base + ".out"), stderr: text(base + ".err"))
    }

    /// Starts `argv` as `run` does (no signal blocked or ignored, standard input
    /// /dev/null, output to the files named) and returns its pid without waiting: `exec`
    /// makes the shell the program, so the pid is the program's.
    static func start(_ argv: [String], env: [String: String], stdout: String, stderr: String) throws -> pid_t {
        let args = ["/bin/sh", "-c", #"exec "$@" </dev/null >"$OUT" 2>"$ERR""#, "sh"] + argv
        let environment = env.merging(["OUT": stdout, "ERR": stderr]) { $1 }
        let cArgs = args.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let rc = posix_spawn(&pid, "/bin/sh", nil, &attr, cArgs, cEnv)
        guard rc == 0 else { throw PostgresTestError("posix_spawn \(argv): \(String(cString: strerror(rc)))") }
        return pid
    }
}
