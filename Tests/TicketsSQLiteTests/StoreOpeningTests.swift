import Foundation
import Testing
@testable import TicketsSQLite
import TicketsCore

/// Creating, checking and refusing database files (SPEC §8): the refusals leave the file
/// byte-for-byte as it was.
struct StoreOpeningTests {
    let dir: String

    init() {
        dir = NSTemporaryDirectory() + "tickets-store-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func sqlite(_ path: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, sql]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    func sqliteOutput(_ path: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", path, sql]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func expectRefused(_ path: String, kind: TicketsError.Kind, access: StoreAccess = .write,
                       message: String) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStore.open(path: path, access: access)
        } throws: { e in
            guard let e = e as? TicketsError else { return false }
            return e.kind == kind && e.message.contains(message)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the file must be untouched")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func freshDatabaseIsCurrentWALPrivateAndOurs() throws {
        let path = dir + "/sub/dir/t.db"
        _ = try SQLiteStore.open(path: path, access: .write)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let dirAttrs = try FileManager.default.attributesOfItem(atPath: dir + "/sub/dir")
        #expect((dirAttrs[.posixPermissions] as? Int) == 0o700)
        #expect(try sqliteOutput(path, "PRAGMA user_version") == "\(Schema.currentVersion)")
        #expect(try sqliteOutput(path, "PRAGMA application_id") == "\(Schema.applicationID)")
        #expect(try sqliteOutput(path, "PRAGMA journal_mode") == "wal")
    }

    @Test func readingAMissingDatabaseCreatesNothing() throws {
        let path = dir + "/missing/t.db"
        let store = try SQLiteStore.open(path: path, access: .read)
        let viewer = Actor(person: Person(name: "a", email: "a@x"), role: .agent)
        #expect(try store.list(TicketQuery(TicketFilter(), viewer: Viewer(viewer), now: Timestamp(seconds: 0))).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
    }

    @Test func reopeningACurrentDatabaseKeepsItsData() throws {
        let path = dir + "/t.db"
        let actor = Actor(person: Person(name: "A", email: "a@example.com"), role: .requester)
        let s1 = try SQLiteStore.open(path: path, access: .write)
        _ = try s1.openTicket(NewTicket(subject: "s", body: "b", department: "other", priority: .low, service: nil,
                                        cc: [], dedupeKey: nil), actor: actor, now: Timestamp(seconds: 100))
        let s2 = try SQLiteStore.open(path: path, access: .read)
        #expect(try s2.list(TicketQuery(TicketFilter(), viewer: Viewer(actor), now: Timestamp(seconds: 200))).map(\.subject) == ["s"])
    }

    @Test func aNewerSchemaIsRefusedUntouched() throws {
        let path = dir + "/t.db"
        _ = try SQLiteStore.open(path: path, access: .write)
        try sqlite(path, "PRAGMA journal_mode=DELETE; PRAGMA user_version = \(Schema.currentVersion + 1)")
        try expectRefused(path, kind: .config, message: "newer than this tickets understands")
        try expectRefused(path, kind: .config, access: .read, message: "newer")
    }

    @Test func anotherProgramsDatabaseIsRefusedUntouched() throws {
        let path = dir + "/other.db"
        try sqlite(path, "CREATE TABLE notes(x); INSERT INTO notes VALUES (1);")
        try expectRefused(path, kind: .config, message: "another program")
        let tagged = dir + "/tagged.db"
        try sqlite(tagged, "PRAGMA application_id = 1234; CREATE TABLE t(x);")
        try expectRefused(tagged, kind: .config, message: "another program")
    }

    @Test func aPictureIsNotADatabase() throws {
        let path = dir + "/picture.db"
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += Array(repeating: 0x42, count: 4096)
        FileManager.default.createFile(atPath: path, contents: Data(png))
        try expectRefused(path, kind: .config, message: "not a tickets database")
        try expectRefused(path, kind: .config, access: .read, message: "not a tickets database")
    }

    @Test func anEmptyFileReadsAsEmptyAndIsInitialisedOnlyByAWrite() throws {
        let path = dir + "/empty.db"
        FileManager.default.createFile(atPath: path, contents: Data())
        let viewer = Actor(person: Person(name: "a", email: "a@x"), role: .agent)
        let r = try SQLiteStore.open(path: path, access: .read)
        #expect(try r.list(TicketQuery(TicketFilter(), viewer: Viewer(viewer), now: Timestamp(seconds: 0))).isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        _ = try SQLiteStore.open(path: path, access: .write)
        #expect(try sqliteOutput(path, "PRAGMA user_version") == "\(Schema.currentVersion)")
    }

    @Test func anOlderSchemaIsMigratedForward() throws {
        // Version 0 with our id is a database created but not yet migrated (a crash at
        // the first write): the next write finishes the job.
        let path = dir + "/old.db"
        try sqlite(path, "PRAGMA application_id = \(Schema.applicationID);")
        _ = try SQLiteStore.open(path: path, access: .write)
        #expect(try sqliteOutput(path, "PRAGMA user_version") == "\(Schema.currentVersion)")
        #expect(try sqliteOutput(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'tickets'") == "1")
    }

    @Test func aDamagedDatabaseSaysHowToCheckIt() throws {
        let path = dir + "/t.db"
        let actor = Actor(person: Person(name: "A", email: "a@example.com"), role: .agent)
        do {
            let s = try SQLiteStore.open(path: path, access: .write)
            for i in 0..<200 {
                _ = try s.openTicket(NewTicket(subject: "s\(i)", body: String(repeating: "b", count: 2000), department: "other",
                                           priority: .low, service: nil, cc: [], dedupeKey: nil),
                                 actor: actor, now: Timestamp(seconds: 100))
            }
        }
        try sqlite(path, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Scribble over pages past the schema page.
        for i in 4096..<min(bytes.count, 4096 * 40) where i % 7 == 0 { bytes[i] = 0xFF }
        try bytes.write(to: URL(fileURLWithPath: path))
        let damaged = try SQLiteStore.open(path: path, access: .read)
        #expect {
            _ = try damaged.list(TicketQuery(TicketFilter(statuses: Status.allCases), viewer: Viewer(actor), now: Timestamp(seconds: 0)))
            for id in 1...200 { _ = try damaged.detail(Int64(id), viewer: Viewer(actor), history: true) }
        } throws: { e in
            guard let e = e as? TicketsError else { return false }
            return e.kind == .io && e.message.contains("integrity_check")
        }
    }
}

extension TicketFilter {
    init(statuses: [Status]) {
        self.init()
        self.statuses = statuses
    }
}
