import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Damaged database files found by the mutant run of Tests/reliability (issue #7): the
/// exit code must say "damaged, check and restore" (74) when the file is ours, and
/// "not a tickets database" (78) only when it is not.
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
}
