import Foundation
import Testing
import TicketsCore

/// `export` streams: one ticket at a time through the 64 KiB output buffer, never the whole
/// document. The built binary exports, under a data-segment limit (RLIMIT_DATA: heap and
/// private mappings) of 32 MiB, a database whose export is larger than that: building the
/// document in memory (a JSONEncoder over an array, one String) cannot fit and crashes.
/// A limit, not a measured peak RSS, because a child's ru_maxrss includes its parent's
/// memory from before exec (the test runner's), and a limit needs no timing.
@Suite(.enabled(if: TestStore.isSQLite, "SQLite-only: the rows are written with sqlite3; bench/ measures both stores"))
struct ExportMemoryTests {
    static let tickets = 10_000
    static let bodyBytes = 5_000
    static let limitMiB = 32

    @Test func exportRunsInBoundedMemoryWhateverItsSize() throws {
        let h = Harness()
        _ = h.open()
        // Bulk rows straight through sqlite3: the test is about export, not about import speed.
        let fill = """
            WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < \(Self.tickets + 1))
            INSERT INTO tickets (id, subject, status, priority, department, requester_name, requester_email,
                                 created_at, updated_at)
            SELECT i, 'Ticket ' || i, 'open', 'medium', 'other', 'Alice', 'alice@example.com',
                   '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z' FROM n;
            INSERT INTO messages (ticket_id, author_name, author_email, role, body, created_at)
            SELECT id, 'Alice', 'alice@example.com', 'requester',
                   substr(replace(hex(zeroblob(\(Self.bodyBytes))), '00', 'word '), 1, \(Self.bodyBytes)),
                   '2026-11-01T00:00:00Z' FROM tickets WHERE id > 1;
            """
        #expect(try Self.run(["sqlite3", "-cmd", ".timeout 10000", h.dbPath, fill], env: h.env) == 0)

        let out = h.dir + "/export.ndjson"
        let limited = "ulimit -d \(Self.limitMiB << 10) && exec \"$0\" export --format ndjson > \"$1\""
        let env = h.env.merging(["TICKETS_ROLE": "agent"]) { $1 }
        #expect(try Self.run(["sh", "-c", limited, BuiltBinary.path, out], env: env) == 0)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int)
        // The check means something only if the document is bigger than the limit.
        #expect(size > Self.limitMiB << 20, "export wrote \(size) bytes")
    }

    static func run(_ argv: [String], env: [String: String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
