import Foundation
import Testing
@testable import TicketsCLI
@testable import TicketsCore
@testable import TicketsSQLite

/// The built binary under concurrent use: many writers, readers beside them, the dedupe
/// race, the stale-close race, and a lock held past the busy timeout.
@Suite(.serialized) struct ConcurrencyTests {
    /// A shell loop of `tickets` calls as one process; stdout and the exit status come back.
    static func spawn(_ script: String, _ args: [String], env: [String: String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script, "sh"] + args
        p.environment = env.merging(["T": BuiltBinary.path]) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    static func finish(_ job: (Process, Pipe, Pipe)) -> (code: Int32, stdout: String, stderr: String) {
        // Read before waiting: a full pipe would stall the child.
        let o = job.1.fileHandleForReading.readDataToEndOfFile()
        let e = job.2.fileHandleForReading.readDataToEndOfFile()
        job.0.waitUntilExit()
        return (job.0.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func sixteenWritersTimesTwoHundredOpensWithReadersBeside() throws {
        let h = Harness()
        var env = h.env
        env.removeValue(forKey: "TICKETS_NOW")
        let writer = #"i=0; while [ $i -lt 200 ]; do "$T" open -s "burst $1 $i" -m x -q || exit 1; i=$((i+1)); done"#
        // Readers run until the writers are done; any failure stops them with its status.
        let reader = #"while [ ! -e "$1" ]; do "$T" list -L 5 >/dev/null || exit 1; "$T" list --json --status all >/dev/null || exit 1; "$T" show 1 >/dev/null 2>&1; s=$?; [ $s -eq 0 ] || [ $s -eq 66 ] || exit $s; done"#
        let done = h.dir + "/writers-done"
        let readers = try (0..<2).map { _ in try Self.spawn(reader, [done], env: env) }
        let writers = try (0..<16).map { try Self.spawn(writer, ["\($0)"], env: env) }
        let results = writers.map(Self.finish)
        FileManager.default.createFile(atPath: done, contents: nil)
        for r in results {
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty)
        }
        for r in readers.map(Self.finish) { #expect(r.code == 0, "\(r.stderr)") }
        let ids = results.flatMap { $0.stdout.split(separator: "\n").compactMap { Int($0) } }
        #expect(ids.count == 3200)
        #expect(ids.sorted() == Array(1...3200))
        #expect(h.agent(["list", "--count", "--status", "all"]).stdout == "3200\n")
    }

    @Test func sixteenFilingsOfOneKeyMakeOneTicket() throws {
        let h = Harness()
        let script = #""$T" open -s "CI failed" -m "run $1" --dedupe-key "ci:main:build" -q"#
        let jobs = try (0..<16).map { try Self.spawn(script, ["\($0)"], env: h.env) }
        let results = jobs.map(Self.finish)
        for r in results { #expect(r.code == 0, "\(r.stderr)") }
        #expect(Set(results.map(\.stdout)) == ["1\n"])
        #expect(h.agent(["list", "--count", "--status", "all"]).stdout == "1\n")
        let messages = try h.agent(["show", "1", "--json"]).jsonObject()["messages"] as? [[String: Any]]
        #expect(messages?.count == 16)
    }

    /// The first use of a new database by eight commands at once: the schema is made once
    /// (on a server, migrated under its lock; in SQLite, under the file's), and every
    /// command succeeds with a ticket of its own.
    @Test func eightFirstTimeOpensAtOnceAllSucceed() throws {
        let h = Harness()
        let go = h.dir + "/go"
        // Each waits at the line until all eight have started.
        let script = #"while [ ! -e "$1" ]; do :; done; "$T" open -s "first use $2" -m x -q"#
        let jobs = try (0..<8).map { try Self.spawn(script, [go, "\($0)"], env: h.env) }
        usleep(300_000)
        FileManager.default.createFile(atPath: go, contents: nil)
        let results = jobs.map(Self.finish)
        for r in results {
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty)
        }
        let ids = results.compactMap { Int($0.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(ids.sorted() == Array(1...8))
        #expect(h.agent(["list", "--count", "--status", "all"]).stdout == "8\n")
    }

    /// `close --stale` and replies race over the same tickets: each ticket ends either
    /// auto-closed with its reply refused, or replied to and still active; never both.
    @Test func staleCloseAndRepliesRace() throws {
        let h = Harness(now: "2026-10-01T00:00:00Z")
        let count = 150
        for i in 1...count {
            _ = h.open("ticket \(i)")
            h.agent(["reply", "\(i)", "-m", "answer"])
        }
        var env = h.env
        env.removeValue(forKey: "TICKETS_NOW")
        // Replies walk the ids backwards while the job closes them forwards.
        let replier = #"i=$1; while [ $i -ge 1 ]; do "$T" reply $i -m "still broken" >/dev/null 2>&1; echo "$i $?"; i=$((i-1)); done"#
        let replies = try Self.spawn(replier, ["\(count)"], env: env)
        let closer = try Self.spawn(#""$T" close --stale --format ndjson"#, [], env: env)
        let r = Self.finish(replies)
        let c = Self.finish(closer)
        #expect(c.code == 0, "\(c.stderr)")
        var replied = Set<Int>()
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ").compactMap { Int($0) }
            #expect(parts[1] == 0 || parts[1] == 65, "reply \(parts[0]) exited \(parts[1])")
            if parts[1] == 0 { replied.insert(parts[0]) }
        }
        let closed = Set(c.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? Int
        })
        #expect(replied.isDisjoint(with: closed))
        #expect(replied.union(closed) == Set(1...count))
        for id in [1, count / 2, count] {
            #expect(try h.status(id) == (closed.contains(id) ? "closed" : "customer-reply"))
        }
    }

    /// The lock held past the 10 s busy timeout: exit 75, a message saying to retry, and the
    /// text typed on standard input kept as a draft that the retry can use.
    @Test(.enabled(if: TestStore.isSQLite, "SQLite-only: holds SQLite's write lock; PostgresTests holds a row lock"))
    func aLockHeldPastTheBusyTimeoutIs75AndKeepsTheDraft() throws {
        let h = Harness()
        let id = h.open()
        let holder = try SQLiteConnection(path: h.dbPath, flags: 0x2 /* SQLITE_OPEN_READWRITE */)
        try holder.execute("BEGIN IMMEDIATE")
        let r = h.run(["reply", "\(id)", "-F", "-"], stdin: Array("My long reply.\n".utf8))
        try holder.execute("ROLLBACK")
        #expect(r.code == 75)
        #expect(r.stderr.contains("retry"))
        let draft = try #require(r.stderr.firstMatch(of: /saved to (\S+):/)?.1).description
        #expect(try String(contentsOfFile: draft, encoding: .utf8) == "My long reply.\n")
        let mode = try FileManager.default.attributesOfItem(atPath: draft)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(h.run(["reply", "\(id)", "-F", draft]).code == 0)
    }
}
