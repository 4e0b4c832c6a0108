import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Damaged database files found by the mutant run of Tests/reliability (issue #7): the
/// exit code must say "damaged, check and restore" (74) when the file is ours, and
/// "not a tickets database" (78) only when it is not.
@Suite(.enabled(if: TestStore.isSQLite, "SQLite-only: damaged and foreign database files"))
struct ReliabilityDatabaseFileTests {
    @Test(arguments: [4096, 20_000, 40_960])
    func aTruncatedTicketsDatabaseIsDamagedNotForeign(keep: Int) throws {
        let h = Harness()
        for i in 0..<30 { h.run(["open", "-s", "ticket \(i)", "-m", String(repeating: "text ", count: 300)]) }
        let full = try Data(contentsOf: URL(fileURLWithPath: h.dbPath))
        try #require(full.count > keep)
        try full.prefix(keep).write(to: URL(fileURLWithPath: h.dbPath))
        for args in [["list"], ["show", "1"], ["export"], ["open", "-s", "s", "-m", "m"]] {
            let r = h.agent(args)
            #expect(r.code == 74, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("is damaged") && r.stderr.contains("PRAGMA integrity_check"), "\(r.stderr)")
            #expect(!r.stderr.contains("not a tickets database"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.dbPath)) == full.prefix(keep), "reads left the file alone")
    }

    @Test func aTruncatedFileOfAnotherProgramIsForeign() throws {
        let h = Harness()
        for i in 0..<30 { h.run(["open", "-s", "ticket \(i)", "-m", String(repeating: "text ", count: 300)]) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: h.dbPath)).prefix(8192)
        bytes.replaceSubrange(68..<72, with: [0, 0, 0, 42]) // another program's application_id
        try bytes.write(to: URL(fileURLWithPath: h.dbPath))
        let r = h.agent(["list"])
        #expect(r.code == 78, "\(r.stderr)")
        #expect(r.stderr.contains("not a tickets database"))
    }

    /// Byte 18 of the header is the file format SQLite needs to write the file; a newer
    /// one makes SQLite open it read-only. A write must say so (78), not blame permissions.
    @Test func aHeaderAskingForANewerWriteFormatIsConfigurationNotPermission() throws {
        let h = Harness()
        h.open()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: h.dbPath))
        bytes[18] = 3
        try bytes.write(to: URL(fileURLWithPath: h.dbPath))
        #expect(h.run(["list"]).code == 0, "reading still works")
        let r = h.run(["open", "-s", "s", "-m", "m"])
        #expect(r.code == 78, "\(r.stderr)")
        #expect(r.stderr.contains("newer SQLite file format"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.dbPath)) == bytes)
    }

    /// A bit flip in the stored schema renamed a column (found by the mutant run): the
    /// statements that use it must report a damaged database (74), not an internal error.
    @Test func aSchemaChangedBehindOurBackIsDamagedNotABug() throws {
        let h = Harness()
        h.open()
        try h.sqlite("ALTER TABLE events RENAME COLUMN to_status TO to_statuz")
        let r = h.agent(["show", "1", "--history", "--json"])
        #expect(r.code == 74, "\(r.stderr)")
        let error = try #require(try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: [String: String]])
        #expect(error["error"]?["code"] == "io")
        #expect(error["error"]?["message"]?.contains("no such column: to_status") == true)
        #expect(error["error"]?["message"]?.contains("PRAGMA integrity_check") == true)
        let write = h.agent(["reply", "1", "-m", "an event is written too"])
        #expect(write.code == 74 && write.stderr.contains("has no column named to_status"), "\(write.stderr)")
    }

    /// A flipped high byte made `user_version` negative (found by the mutant run): the
    /// migration loop trapped on it, killing even `list` with SIGILL. Our application_id
    /// with a version no tickets writes is a damaged database: 74, file untouched.
    @Test(arguments: [[0xC8, 0, 0, 1], [0, 0, 0, 0], [0x80, 0, 0, 0]] as [[UInt8]])
    func ourIDWithAnImpossibleVersionIsDamaged(version: [UInt8]) throws {
        let h = Harness()
        h.open()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: h.dbPath))
        bytes.replaceSubrange(60..<64, with: version)
        try bytes.write(to: URL(fileURLWithPath: h.dbPath))
        for args in [["list"], ["show", "1"], ["export"], ["open", "-s", "s", "-m", "m"]] {
            let r = h.agent(args)
            #expect(r.code == 74, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("is damaged"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.dbPath)) == bytes)
    }

    /// Byte 44 is the schema format number; SQLite refuses one above 4 as "unsupported
    /// file format" when it first reads the schema (found by the mutant run: exit 70).
    @Test func aNewerSchemaFormatIsConfigurationNotABug() throws {
        let h = Harness()
        h.open()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: h.dbPath))
        bytes[47] = 9
        try bytes.write(to: URL(fileURLWithPath: h.dbPath))
        for args in [["list"], ["show", "1"], ["open", "-s", "s", "-m", "m"]] {
            let r = h.agent(args)
            #expect(r.code == 78, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("newer than this tickets reads"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.dbPath)) == bytes)
    }
}
