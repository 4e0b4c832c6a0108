import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `open --dedupe-key` (CI filing) and the SLA deadlines of `list`.
@Suite struct DedupeAndSLATests {
    func file(_ h: Harness, _ key: String) throws -> [String: Any] {
        try h.run(["open", "-s", "CI failed", "-m", "log", "--dedupe-key", key, "--json"]).jsonObject()
    }

    @Test func theSecondFilingRepliesToTheFirstTicket() throws {
        let h = Harness()
        let first = try file(h, "ci:main:build")
        #expect(first["deduplicated"] as? Bool == false)
        let second = try file(h, "ci:main:build")
        #expect(second["deduplicated"] as? Bool == true)
        #expect(second["id"] as? Int == first["id"] as? Int)
        let other = try file(h, "ci:main:test")
        #expect(other["deduplicated"] as? Bool == false)
        #expect(other["id"] as? Int != first["id"] as? Int)
        let id = try #require(first["id"] as? Int)
        let messages = try h.agent(["show", "\(id)", "--json"]).jsonObject()["messages"] as? [[String: Any]]
        #expect(messages?.count == 2)
        #expect(messages?.last?["role"] as? String == "requester")
    }

    @Test(arguments: [["close"], ["cancel"]])
    func aClosedOrCanceledTicketFreesItsKey(action: [String]) throws {
        let h = Harness()
        let first = try #require(try file(h, "nightly")["id"] as? Int)
        #expect(h.run(action + ["\(first)"]).code == 0)
        let again = try file(h, "nightly")
        #expect(again["deduplicated"] as? Bool == false)
        #expect(again["id"] as? Int != first)
    }

    static let opened = "2026-11-01T00:00:00Z"

    @Test(arguments: [
        // (priority, seconds after opening, due_at, overdue)
        ("urgent", 3600, "2026-11-01T01:00:00Z", false),
        ("urgent", 3601, "2026-11-01T01:00:00Z", true),
        ("high", 4 * 3600 + 1, "2026-11-01T04:00:00Z", true),
        ("medium", 24 * 3600 - 1, "2026-11-02T00:00:00Z", false),
        ("low", 48 * 3600 + 1, "2026-11-03T00:00:00Z", true),
    ] as [(String, Int64, String, Bool)])
    func listCarriesDueAtAndOverdue(priority: String, after: Int64, due: String, overdue: Bool) throws {
        let h = Harness(now: Self.opened)
        let id = h.open("slow", ["-p", priority])
        let now = try #require(Timestamp.parse(Self.opened)).adding(after).rfc3339
        let all = try h.run(["list", "--json", "--agent"], env: ["TICKETS_NOW": now]).jsonArray()
        #expect(all.first?["due_at"] as? String == due)
        #expect(all.first?["overdue"] as? Bool == overdue)
        let filtered = try h.run(["list", "--overdue", "--json", "--agent"], env: ["TICKETS_NOW": now]).jsonArray()
        #expect(filtered.compactMap { $0["id"] as? Int } == (overdue ? [id] : []))
        let table = h.run(["list", "--agent"], env: ["TICKETS_NOW": now]).stdout
        #expect(table.contains("#\(id)!") == overdue)
    }

    @Test func answeredTicketsHaveNoDeadlineAndARequesterReplyRestartsTheClock() throws {
        let h = Harness(now: Self.opened)
        let id = h.open("waiting", ["-p", "urgent"])
        h.agent(["reply", "\(id)", "-m", "on it"])
        let late = ["TICKETS_NOW": "2026-11-05T00:00:00Z"]
        var row = try #require(try h.run(["list", "--json"], env: late).jsonArray().first)
        #expect(row["due_at"] is NSNull)
        #expect(row["overdue"] as? Bool == false)
        h.run(["reply", "\(id)", "-m", "still broken"], env: ["TICKETS_NOW": "2026-11-04T23:30:00Z"])
        row = try #require(try h.run(["list", "--json"], env: late).jsonArray().first)
        #expect(row["due_at"] as? String == "2026-11-05T00:30:00Z")
        #expect(row["overdue"] as? Bool == false)
    }

    @Test func slaTargetsComeFromTheConfig() throws {
        let h = Harness(now: Self.opened)
        let config = h.write("config", "sla_medium = 2h\n")
        _ = h.open("medium")
        let row = try #require(try h.run(["list", "--json"], env: ["TICKETS_CONFIG": config,
                                                                   "TICKETS_NOW": "2026-11-01T02:00:01Z"]).jsonArray().first)
        #expect(row["due_at"] as? String == "2026-11-01T02:00:00Z")
        #expect(row["overdue"] as? Bool == true)
    }
}
