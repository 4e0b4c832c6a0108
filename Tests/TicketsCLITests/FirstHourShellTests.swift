import Foundation
import Glibc
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract J through the built binary and /bin/sh: identity from the password database,
/// output that cannot be written, closed pipes, the order of the "more" note.
struct FirstHourShellTests {
    // MARK: - Identity from the login name

    static var loginName: String {
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else { return "?" }
        return String(cString: name)
    }

    static var hostName: String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, 255)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// No identity anywhere: no TICKETS_*, no config, an empty HOME, no git configuration
    /// (global, system, or a repository around the working folder).
    static func bareEnvironment(_ dir: String, user: String?) -> [String: String] {
        var env = ["HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state",
                   "TICKETS_DB": dir + "/t.db", "TICKETS_NOW": "2026-11-22T10:00:00Z", "PATH": "/usr/bin:/bin",
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_CEILING_DIRECTORIES": dir]
        if let user {
            env["USER"] = user
            env["LOGNAME"] = user
        }
        return env
    }

    static func tempDir(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "tickets-\(name)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: [nil, "impostor"] as [String?])
    func aWriteWithoutIdentityUsesTheLoginNameAndSaysSo(user: String?) throws {
        let dir = try Self.tempDir("login")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = Self.bareEnvironment(dir, user: user)
        let login = Self.loginName, email = "\(Self.loginName)@\(Self.hostName)"
        func run(_ args: String) throws -> BuiltBinary.Output { try Shell.run("\"$BIN\" \(args)", env: env, dir: dir) }
        let opened = try run("open -s 'Who am I' -m x --json")
        try #require(opened.code == 0, "\(opened.stderr)")
        let t = try #require(try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
        let requester = t["requester"] as? [String: Any]
        #expect(requester?["name"] as? String == login)
        #expect(requester?["email"] as? String == email)
        let notes = opened.stderr.split(separator: "\n")
        #expect(notes.count == 1, "said once: \(opened.stderr)")
        #expect(opened.stderr.contains(email) && opened.stderr.contains("login name"), "\(opened.stderr)")
        #expect(opened.stderr.contains("TICKETS_EMAIL"), "how to set one: \(opened.stderr)")
        // The same person acts on their ticket; reads say nothing, writes say it once each.
        let listed = try run("list -q")
        #expect(listed.stdout == "1\n" && listed.stderr.isEmpty, "\(listed.stderr)")
        #expect(try run("show 1").code == 0)
        for args in ["reply 1 -m more", "edit 1 -s 'Who am I, really'", "close 1", "rate 1 5", "reopen 1", "cancel 1"] {
            let r = try run(args)
            #expect(r.code == 0, "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("login name"), "\(args): \(r.stderr)")
        }
    }

    // MARK: - Output that cannot be written after a commit

    static let devFull = FileManager.default.fileExists(atPath: "/dev/full")

    static func world() throws -> (dir: String, env: [String: String]) {
        let dir = try tempDir("full")
        let env = ["HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state",
                   "TICKETS_DB": dir + "/t.db", "TICKETS_NAME": "Alice", "TICKETS_EMAIL": "alice@example.com",
                   "TICKETS_NOW": "2026-11-22T10:00:00Z", "PATH": "/usr/bin:/bin"]
        return (dir, env)
    }

    @Test(.enabled(if: devFull), arguments: [
        // (setup, command, what the error names)
        ("", "open -s S -m x -q", "ticket #1 was opened"),
        ("", "open -s S -m x --json", "ticket #1 was opened"),
        ("", "open -s S -m x", "ticket #1 was opened"),
        ("\"$BIN\" open -s S -m x -q --dedupe-key k >/dev/null", "open -s S -m y -q --dedupe-key k", "ticket #1"),
        ("\"$BIN\" open -s S -m x -q >/dev/null", "reply 1 -m y", "ticket #1"),
        ("\"$BIN\" open -s S -m x -q >/dev/null", "close 1", "ticket #1 was closed"),
        ("\"$BIN\" open -s S -m x -q >/dev/null", "cancel 1 --json", "ticket #1 was canceled"),
        ("\"$BIN\" open -s S -m x -q >/dev/null", "edit 1 -s T", "ticket #1 was edited"),
        ("\"$BIN\" open -s S -m x -q >/dev/null && \"$BIN\" close 1 >/dev/null", "reopen 1", "ticket #1 was reopened"),
        ("\"$BIN\" open -s S -m x -q >/dev/null && \"$BIN\" close 1 >/dev/null", "rate 1 5", "ticket #1 was rated"),
        ("\"$BIN\" open -s S -m x -q >/dev/null", "assign 1 --agent", "ticket #1 was assigned"),
    ] as [(String, String, String)])
    func aFullOutputAfterACommitIs74NamingTheTicket(setup: String, command: String, names: String) throws {
        let (dir, env) = try Self.world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        if !setup.isEmpty { try #require(try Shell.run(setup, env: env, dir: dir).code == 0) }
        let r = try Shell.run("\"$BIN\" \(command) > /dev/full", env: env, dir: dir)
        #expect(r.code == 74, "\(r.stderr)")
        #expect(r.stderr.contains(names), "\(r.stderr)")
        #expect(r.stderr.contains("could not be written"), "\(r.stderr)")
        // It was committed all the same.
        let list = try Shell.run("\"$BIN\" list -q --status all", env: env, dir: dir)
        #expect(list.stdout == "1\n")
    }

    @Test(.enabled(if: devFull), arguments: ["--version", "help", "list", "show 1", "export", "__complete ids"])
    func aFullOutputWithoutACommitIsAnError(command: String) throws {
        let (dir, env) = try Self.world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(try Shell.run("\"$BIN\" open -s S -m x -q >/dev/null", env: env, dir: dir).code == 0)
        let r = try Shell.run("\"$BIN\" \(command) > /dev/full", env: env, dir: dir)
        #expect(r.code != 0, "\(command) > /dev/full exited 0")
        #expect(r.stderr.contains("error"), "\(r.stderr)")
    }

    // MARK: - A reader that goes away

    /// One ticket with a 2 MB message and 200 with long subjects: every output below is
    /// far larger than a pipe's buffer, so the writer meets the closed pipe.
    nonisolated(unsafe) static let bigWorld: (h: Harness, dir: String) = {
        let h = Harness()
        let body = h.write("big.txt", repeated("word ", 400_000))
        precondition(h.run(["open", "-s", "Big", "-F", body, "-q"]).code == 0)
        for i in 1...200 { _ = h.open("Subject number \(i) " + repeated("long ", 80)) }
        return (h, h.dir)
    }()

    @Test(arguments: ["export", "export --format ndjson", "export --csv", "list -L 0", "list --json", "list --format ndjson",
                      "list --csv", "list --fields id,subject,requester,cc -L 0", "show 1", "show 1 --json", "show 1 --history",
                      "export --status all --json", "list --agent -L 0"])
    func aClosedPipeIsQuiet(command: String) throws {
        let w = Self.bigWorld
        var env = w.h.env
        env["COLUMNS"] = "1000"
        let r = try Shell.run("{ \"$BIN\" \(command); echo $? > \"$DIR/rc-$$\"; } | head -c1 > /dev/null; cat \"$DIR/rc-$$\"; rm -f \"$DIR/rc-$$\"",
                              env: env, dir: w.dir)
        #expect(r.stderr.isEmpty, "\(command) | head -c1: \(r.stderr)")
        #expect(!r.stderr.contains("Broken pipe"))
        #expect(r.stdout == "0\n", "exit status of \(command): \(r.stdout)")
    }

    // MARK: - The "more" note after the rows

    @Test func theMoreNoteComesAfterTheRows() throws {
        let h = FirstHourTests.thirtyFive()
        let r = try Shell.run("\"$BIN\" list 2>&1", env: h.env, dir: h.dir)
        #expect(r.code == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 32)
        #expect(lines.last == "tickets: 30 of 35 shown; -L 0 for all", "\(r.stdout)")
        #expect(lines.dropLast().allSatisfy { !$0.hasPrefix("tickets:") })
    }

    // MARK: - An empty id list through a pipe

    @Test(arguments: ["close -", "reopen -", "cancel -", "close - --json", "cancel - -m why", "reopen - --json"])
    func anEmptyIDListThroughAPipeIsQuiet(command: String) throws {
        let (dir, env) = try Self.world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(try Shell.run("\"$BIN\" open -s S -m x -q >/dev/null", env: env, dir: dir).code == 0)
        for producer in ["printf ''", "true", "\"$BIN\" list -q --status canceled"] {
            let r = try Shell.run("\(producer) | \"$BIN\" \(command)", env: env, dir: dir)
            #expect(r.code == 0, "\(producer) | tickets \(command): \(r.stderr)")
            // Nothing matched: JSON says so with an empty array, as list --json does.
            #expect(r.stdout == (command.contains("--json") ? "[]\n" : "") && r.stderr.isEmpty,
                    "\(producer) | tickets \(command): \(r.stdout)\(r.stderr)")
        }
        #expect(try Shell.run("\"$BIN\" list -q", env: env, dir: dir).stdout == "1\n")
    }
}
