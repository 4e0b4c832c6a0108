import Foundation
import Glibc
import Testing
@testable import TicketsSQLite

/// `import` into a database that does not exist yet builds the whole database under a
/// hidden name beside it (`.NAME.import-XXXXXX`) and links it into place at the end; into
/// an existing one it stages in $TMPDIR and moves the tickets in one transaction. Both
/// paths must give the same database, refuse the same inputs with the same words, and
/// leave nothing behind when they fail or are interrupted, through the built binary.
@Suite(.hangGuard) final class ImportNewDatabaseTests {
    let dir: String
    let env: [String: String]
    var db: String { dir + "/t.db" }

    init() throws {
        dir = NSTemporaryDirectory() + "tickets-newdb-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        env = ["HOME": dir, "TICKETS_DB": dir + "/t.db", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example",
               "TICKETS_ROLE": "agent", "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": dir + "/state",
               "XDG_CONFIG_HOME": dir + "/config", "TMPDIR": dir]
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func with(db path: String) -> [String: String] {
        var e = env
        e["TICKETS_DB"] = path
        return e
    }

    /// No hidden database being built and no stage left in the folder (which is TMPDIR too).
    func noWorkFilesLeft() throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasPrefix("tickets-import-") || $0.contains(".import-") }
        #expect(left.isEmpty, "work files left: \(left)")
    }

    /// Whether the sqlite3 shell is there; without it the test says "skipped", and fails
    /// under CI=true.
    func hasSQLiteShell(_ test: String) -> Bool {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") { return true }
        print("skipped: \(test) needs the sqlite3 shell")
        #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI must install sqlite3")
        return false
    }

    /// The leaf pages of each segment of `table`'s search index, level by level, from its
    /// structure record (read by the sqlite3 shell, decoded by `FTS5Structure`, whose own
    /// tests pin the format byte by byte).
    func segmentPages(_ table: String) throws -> [[Int]] {
        let hex = Array(try sqlite(db, "SELECT hex(block) FROM \(table)_data WHERE id = 10")
            .trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let bytes = try stride(from: 0, to: hex.count - 1, by: 2).map { k in
            try #require(UInt8(String(decoding: hex[k...k + 1], as: UTF8.self), radix: 16), "\(table): not hex")
        }
        let structure = try #require(FTS5Structure(bytes), "\(table): structure record \(String(decoding: hex, as: UTF8.self))")
        return structure.levels.map { $0.segments.map { Int($0.pages) } }
    }

    func sqlite(_ path: String, _ sql: String) throws -> String {
        let r = try Shell.run("sqlite3 \"$D\" \"$Q\"", env: ["D": path, "Q": sql, "PATH": "/usr/bin:/bin"], dir: dir)
        try #require(r.code == 0, "sqlite3: \(r.stderr)")
        return r.stdout
    }

    /// The same export into a new file and into an existing (empty) one: the same tickets
    /// byte for byte, the same schema and planner statistics, WAL, mode 0600, both indexes
    /// sound, and search finds what it found.
    @Test func aNewDatabaseIsTheDatabaseTheOtherPathFills() throws {
        guard hasSQLiteShell("aNewDatabaseIsTheDatabaseTheOtherPathFills") else { return }
        let input = dir + "/export.json"
        _ = FileManager.default.createFile(atPath: input, contents: Data(ImportFixture.export.utf8))
        let empty = dir + "/empty.json"
        _ = FileManager.default.createFile(atPath: empty, contents: Data("[]\n".utf8))
        let built = dir + "/built.db", filled = dir + "/filled.db"
        let a = try BuiltBinary.run(["import", input], env: with(db: built))
        #expect(a.code == 0 && a.stdout == "imported 4 tickets, skipped 0 existing\n", "\(a.stderr)")
        // An empty import makes the file; the second import then takes the staged path.
        #expect(try BuiltBinary.run(["import", empty], env: with(db: filled)).code == 0)
        let b = try BuiltBinary.run(["import", input], env: with(db: filled))
        #expect(b.code == 0 && b.stdout == "imported 4 tickets, skipped 0 existing\n", "\(b.stderr)")
        for path in [built, filled] {
            let exported = try BuiltBinary.run(["export", "--with-attachments"], env: with(db: path))
            #expect(exported.stdout == ImportFixture.export, "export of \(path) differs")
            var st = stat()
            #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600, "mode \(String(st.st_mode & 0o777, radix: 8))")
            #expect(try sqlite(path, "PRAGMA journal_mode") == "wal\n")
            #expect(try sqlite(path, "PRAGMA integrity_check") == "ok\n")
            for fts in ["subject_fts", "message_fts"] {
                _ = try sqlite(path, "INSERT INTO \(fts)(\(fts)) VALUES('integrity-check')")
            }
            let found = try BuiltBinary.run(["list", "-S", "fire", "--status", "all", "--json"], env: with(db: path))
            #expect(found.code == 0 && found.stdout.contains("\"id\":1,"), "\(found.stdout)")
        }
        let schema = "SELECT type, name, sql FROM sqlite_schema ORDER BY name; SELECT * FROM sqlite_stat1 ORDER BY idx"
        #expect(try sqlite(built, schema) == (try sqlite(filled, schema)))
        #expect(try sqlite(built, "PRAGMA user_version; PRAGMA application_id")
                == (try sqlite(filled, "PRAGMA user_version; PRAGMA application_id")))
        try noWorkFilesLeft()
    }

    /// Two active tickets of one requester (in two spellings) with one dedupe key: refused
    /// on both paths, naming both tickets, and nothing imported.
    @Test(arguments: [false, true]) func aDedupeKeyTwiceInTheInputIsNamed(intoExisting: Bool) throws {
        func ticket(_ id: Int, _ email: String) -> String {
            let who = #"{"name":"Alice","email":"\#(email)"}"#
            let t0 = "\"2026-11-01T00:00:00Z\""
            return #"{"id":\#(id),"subject":"Build \#(id) failed","status":"open","priority":"medium","department":"other","service":null,"requester":\#(who),"cc":[],"assignee":null,"dedupe_key":"ci:7","created_at":\#(t0),"updated_at":\#(t0),"closed_at":null,"rating":null,"messages":[{"id":\#(id),"author":\#(who),"role":"requester","internal":false,"body":"log","created_at":\#(t0),"attachments":[]}],"events":[{"id":\#(id),"actor":\#(who),"action":"open","from_status":null,"to_status":"open","created_at":\#(t0)}]}"#
        }
        let input = dir + "/twice.ndjson"
        let text = ticket(1, "alice@example.com") + "\n" + ticket(2, "ALICE@Example.com") + "\n"
        _ = FileManager.default.createFile(atPath: input, contents: Data(text.utf8))
        if intoExisting {
            _ = FileManager.default.createFile(atPath: dir + "/empty.json", contents: Data("[]".utf8))
            #expect(try BuiltBinary.run(["import", dir + "/empty.json"], env: env).code == 0)
        }
        let r = try BuiltBinary.run(["import", input], env: env)
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr == "tickets: error: import: ticket #2: its dedupe key 'ci:7' is carried by active ticket #1 of the same requester in the input; nothing was imported\n")
        if intoExisting {
            #expect(try BuiltBinary.run(["list", "--count", "--status", "all"], env: env).stdout == "0\n")
        } else {
            #expect(!FileManager.default.fileExists(atPath: db), "a failed import left \(db)")
        }
        try noWorkFilesLeft()
    }

    /// Killed while it reads a FIFO (Ctrl-C, kill, a closed terminal): the import dies of
    /// the signal, as it would have, and its work files go with it.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP], [false, true])
    func anInterruptedImportLeavesNothing(signal: Int32, intoExisting: Bool) throws {
        if intoExisting {
            _ = FileManager.default.createFile(atPath: dir + "/empty.json", contents: Data("[]".utf8))
            #expect(try BuiltBinary.run(["import", dir + "/empty.json"], env: env).code == 0)
        }
        let fifo = dir + "/incoming"
        #expect(mkfifo(fifo, 0o600) == 0)
        let data = Array(ImportFixture.export.utf8)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY | O_CLOEXEC)  // no child spawned meanwhile by another test may hold it open: the import waits for EOF
            guard fd >= 0 else { return }
            _ = data[..<(data.count / 2)].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            Thread.sleep(forTimeInterval: 5)
            close(fd)
        }
        writer.start()
        // The test runner's threads block most signals and a child inherits its spawning
        // thread's mask: unblocked here, as in a shell, or the signal would stay pending.
        var unblock = sigset_t(), saved = sigset_t()
        sigemptyset(&unblock)
        for s in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, s) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        let r = try Watched.run(["import", fifo], env: env, timeout: 20) { pid in
            // The half was read and staged by now; the rest never comes.
            Thread.sleep(forTimeInterval: 1)
            kill(pid, signal)
        }
        #expect(r.signal == signal, "\(r)")
        if !intoExisting { #expect(!FileManager.default.fileExists(atPath: db)) }
        try noWorkFilesLeft()
    }

    /// Another command creates the database while the import reads its input: the import
    /// does not replace it (75, nothing imported) and the other command's ticket stays.
    @Test func aDatabaseCreatedMeanwhileIsNotReplaced() throws {
        let fifo = dir + "/incoming"
        #expect(mkfifo(fifo, 0o600) == 0)
        let data = Array(ImportFixture.export.utf8)
        let env = self.env
        let writer = Thread {
            let fd = open(fifo, O_WRONLY | O_CLOEXEC)  // no child spawned meanwhile by another test may hold it open: the import waits for EOF
            guard fd >= 0 else { return }
            Thread.sleep(forTimeInterval: 0.5)
            // The import is waiting on its input now: another command creates the file.
            // (posix_spawn, not a second Foundation Process beside Watched's, which hung.)
            _ = try? Spawn.run([BuiltBinary.path, "open", "-s", "Made meanwhile", "-m", "x", "-q"], env: env)
            _ = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let r = try Watched.run(["import", fifo], env: env, timeout: 20)
        #expect(r.code == 75, "\(r)")
        #expect(r.stderr.contains("was created by another command while the import ran; nothing was imported"), "\(r)")
        let list = try BuiltBinary.run(["list", "--status", "all", "--json"], env: env)
        #expect(list.stdout.contains("Made meanwhile") && !list.stdout.contains("Printer on fire"), "\(list.stdout)")
        try noWorkFilesLeft()
    }
    /// The search index a new database gets is shaped as ordinary writes shape it: no
    /// large segment on FTS5's level 0. A bulk load with an 8 MiB pending index left
    /// segments of 7 MB there, and the next writes merged them all at once, the lock held
    /// for 0.8 s at 100,000 tickets (bench/NOTES.md). A default flush writes about 160
    /// pages; merged segments go to level 1 and up. The import then merges each index
    /// into one segment, placed above the levels it used.
    @Test func theSearchIndexHasNoLargeSegmentOnLevelZero() throws {
        guard hasSQLiteShell("theSearchIndexHasNoLargeSegmentOnLevelZero") else { return }
        let input = dir + "/desk.ndjson"
        _ = try ImportMemoryTests.generate(tickets: 6_000, to: input)
        let r = try BuiltBinary.run(["import", input], env: env)
        #expect(r.code == 0, "\(r.stderr)")
        for table in ["message_fts", "subject_fts"] {
            let levels = try segmentPages(table)
            let levelZero = levels.first ?? []
            #expect(levelZero.allSatisfy { $0 <= 400 }, "\(table): level 0 holds segments of \(levelZero) pages")
            // Optimized at the end: one segment, for the fewest pages a search reads (above
            // level 0 when the load made several; a single small one may stay there).
            #expect(levels.joined().count == 1, "\(table): segments per level \(levels)")
            #expect(levels.joined().reduce(0, +) > 0, "\(table) is empty")
            // The segment sits where ordinary writes would have merged it to: one level
            // above log4 of its ~160-page flushes. Loaded without merging, the index had
            // climbed a level or two only, and the next writers merged with it there.
            let pages = UInt64(levels.joined().first ?? 0)
            let level = levels.firstIndex { !$0.isEmpty } ?? 0
            if pages > FTS5Structure.pagesPerFlush {
                let expected = FTS5Structure.level(forPages: UInt64(pages))
                #expect(level >= expected, "\(table): its \(pages)-page segment is on level \(level), not \(expected)")
            }
            // FTS5's own check of the index against its structure.
            _ = try sqlite(db, "INSERT INTO \(table) (\(table), rank) VALUES ('integrity-check', 0)")
        }
        #expect(try sqlite(db, "SELECT group_concat(k) FROM message_fts_config") == "version\n")
        // Later writes: their segments stay below the imported one, which keeps its pages,
        // and search finds old and new words alike.
        let before = try segmentPages("message_fts")
        for i in 0..<12 {
            let r = try BuiltBinary.run(["open", "-s", "Later \(i)", "-m", "zebrafinch \(i)", "-q"], env: env)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let after = try segmentPages("message_fts")
        let top = before.count - 1
        #expect(after.count == before.count && after[top] == before[top], "before \(before), after \(after)")
        let found = try BuiltBinary.run(["list", "-S", "zebrafinch", "--status", "all", "--count"], env: env)
        #expect(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "12", "\(found)")
        _ = try sqlite(db, "INSERT INTO message_fts (message_fts, rank) VALUES ('integrity-check', 0)")
    }
}
