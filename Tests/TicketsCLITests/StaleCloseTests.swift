import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `close --stale` (cron): which tickets it closes, what it writes and prints, and that a
/// reply landing between the selection and the close wins.
@Suite struct StaleCloseTests {
    /// Alice opens at 2026-11-01 00:00, Bob answers at 01:00; the clock then moves on.
    static func answeredTicket(_ h: Harness, subject: String = "Printer on fire") -> Int {
        let id = h.open(subject, [])
        #expect(h.run(["reply", "\(id)", "-m", "Try turning it off.", "--agent"],
                      env: ["TICKETS_NOW": "2026-11-01T01:00:00Z"]).code == 0)
        return id
    }

    static func harness() -> Harness { Harness(now: "2026-11-01T00:00:00Z") }

    @Test(arguments: [
        // (now, --stale argument, closed?)
        ("2026-11-08T00:59:59Z", nil, false),      // 7d default, one second short
        ("2026-11-08T01:00:00Z", nil, true),       // exactly 7d: "at least DUR old"
        ("2026-11-01T12:59:59Z", "12h", false),
        ("2026-11-01T13:00:00Z", "12h", true),
        ("2026-11-01T02:30:00Z", "90m", true),
        ("2026-11-15T00:00:00Z", "2w", false),
        ("2026-11-15T01:00:00Z", "2w", true),
    ] as [(String, String?, Bool)])
    func closesAnsweredTicketsIdleForTheDuration(now: String, duration: String?, closed: Bool) throws {
        let h = Self.harness()
        let id = Self.answeredTicket(h)
        let r = h.run(["close", "--stale"] + (duration.map { [$0] } ?? []) + ["--json"], env: ["TICKETS_NOW": now])
        #expect(r.code == 0, "\(r.stderr)")
        let ids = try r.jsonArray().compactMap { $0["id"] as? Int }
        #expect(ids == (closed ? [id] : []))
        #expect(try h.status(id) == (closed ? "closed" : "answered"))
    }

    @Test func configAutoCloseAfterIsTheDefault() throws {
        let h = Self.harness()
        let config = h.write("config", "auto_close_after = 2d\n")
        let id = Self.answeredTicket(h)
        let r = h.run(["close", "--stale"], env: ["TICKETS_NOW": "2026-11-03T01:00:00Z", "TICKETS_CONFIG": config])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try h.status(id) == "closed")
    }

    @Test func onlyAnsweredTicketsAndAnyNewerMessageKeepsThemOpen() throws {
        let h = Self.harness()
        let open = h.open("still open")
        let assigned = h.open("taken")
        h.agent(["assign", "\(assigned)"])
        let customerReply = Self.answeredTicket(h, subject: "customer replied")
        h.run(["reply", "\(customerReply)", "-m", "Did not help."], env: ["TICKETS_NOW": "2026-11-01T02:00:00Z"])
        // An internal note is a message too: "newest message of any kind".
        let noted = Self.answeredTicket(h, subject: "noted")
        h.run(["reply", "\(noted)", "-m", "Call them tomorrow.", "--internal", "--agent"],
              env: ["TICKETS_NOW": "2026-11-20T00:00:00Z"])
        let stale = Self.answeredTicket(h, subject: "stale")
        let r = h.run(["close", "--stale", "--json"], env: ["TICKETS_NOW": "2026-11-22T00:00:00Z"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == [stale])
        #expect(try h.status(open) == "open")
        #expect(try h.status(assigned) == "in-progress")
        #expect(try h.status(customerReply) == "customer-reply")
        #expect(try h.status(noted) == "answered")
    }

    @Test func writesASystemMessageAndAnAutoCloseEventAsTheSystem() throws {
        let h = Self.harness()
        let id = Self.answeredTicket(h)
        // A requester may run it: the role is ignored (cron runs as whoever owns the crontab).
        let r = h.run(["close", "--stale"], env: ["TICKETS_NOW": "2026-11-09T00:00:00Z", "TICKETS_NAME": "Carol",
                                                 "TICKETS_EMAIL": "carol@example.com"])
        #expect(r.code == 0, "\(r.stderr)")
        let detail = try h.run(["show", "\(id)", "--history", "--json", "--agent"]).jsonObject()
        let last = try #require((detail["messages"] as? [[String: Any]])?.last)
        #expect(last["role"] as? String == "system")
        #expect((last["author"] as? [String: Any])?["email"] as? String == "system")
        #expect((last["body"] as? String)?.contains("no new message for 7d") == true)
        let event = try #require((detail["events"] as? [[String: Any]])?.last)
        #expect(event["action"] as? String == "auto-close")
        #expect((event["actor"] as? [String: Any])?["email"] as? String == "system")
        #expect(event["from_status"] as? String == "answered")
        #expect(event["to_status"] as? String == "closed")
        #expect(detail["closed_at"] as? String == "2026-11-09T00:00:00Z")
    }

    @Test func messageOptionReplacesTheDefaultReason() throws {
        let h = Self.harness()
        let id = Self.answeredTicket(h)
        h.run(["close", "--stale", "-m", "Closed by the weekly sweep."], env: ["TICKETS_NOW": "2026-11-09T00:00:00Z"])
        let detail = try h.agent(["show", "\(id)", "--json"]).jsonObject()
        #expect((detail["messages"] as? [[String: Any]])?.last?["body"] as? String == "Closed by the weekly sweep.")
    }

    @Test func printsLikeListAndTheSecondRunIsQuiet() throws {
        let h = Self.harness()
        let a = Self.answeredTicket(h, subject: "first")
        let b = Self.answeredTicket(h, subject: "second")
        let later = ["TICKETS_NOW": "2026-11-09T00:00:00Z"]
        let first = h.run(["close", "--stale", "--format", "ndjson"], env: later)
        #expect(first.code == 0)
        let lines = first.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.compactMap { $0?["id"] as? Int } == [a, b])
        #expect(lines.allSatisfy { $0?["status"] as? String == "closed" })
        let second = h.run(["close", "--stale"], env: later)
        #expect(second.code == 0)
        #expect(second.stdout.isEmpty)
        #expect(second.stderr.isEmpty)
    }

    @Test func tablePrintsOneRowPerClosedTicket() {
        let h = Self.harness()
        let a = Self.answeredTicket(h, subject: "first")
        let r = h.run(["close", "--stale"], env: ["TICKETS_NOW": "2026-11-09T00:00:00Z"])
        let rows = r.stdout.split(separator: "\n")
        #expect(rows.count == 2)
        #expect(rows.last?.hasPrefix("#\(a) ") == true)
        #expect(rows.last?.contains("closed") == true)
    }

    @Test func dryRunPrintsTheSameAndChangesNothing() throws {
        let h = Self.harness()
        let id = Self.answeredTicket(h)
        let later = ["TICKETS_NOW": "2026-11-09T00:00:00Z"]
        let dry = h.run(["close", "--stale", "--dry-run", "--json"], env: later)
        #expect(dry.code == 0)
        #expect(try dry.jsonArray().compactMap { $0["id"] as? Int } == [id])
        #expect(dry.stderr.contains("nothing was changed"))
        #expect(try h.status(id) == "answered")
        #expect(try h.run(["close", "--stale", "--json"], env: later).jsonArray().count == 1)
    }

    @Test(arguments: [["close", "--stale", "--requester", "alice@example.com"], ["close", "--stale", "--yes"],
                      ["close", "--stale", "1"], ["close", "--stale=soon"]])
    func refusesMixedForms(args: [String]) {
        let h = Self.harness()
        _ = Self.answeredTicket(h)
        #expect(h.run(args).code == 64)
    }

    /// The race the write transaction's re-check exists for: the job chose the ticket,
    /// then the requester replied before its close ran.
    @Test func aReplyBetweenSelectionAndCloseWins() throws {
        let h = Self.harness()
        let id = Self.answeredTicket(h)
        let now = try #require(Timestamp.parse("2026-11-09T00:00:00Z"))
        let cutoff = now.adding(-7 * 86_400)
        let store = try h.store(.write)
        #expect(try store.staleTickets(idleSince: cutoff).map(\.id) == [Int64(id)])
        #expect(h.run(["reply", "\(id)", "-m", "Still broken!"], env: ["TICKETS_NOW": "2026-11-08T23:00:00Z"]).code == 0)
        #expect(try store.closeStale(Int64(id), idleSince: cutoff, reason: "stale", now: now) == nil)
        #expect(try h.status(id) == "customer-reply")
    }
}
