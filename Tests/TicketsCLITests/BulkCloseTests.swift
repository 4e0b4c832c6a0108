import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `close <filters> --yes`, its terminal confirmation, and `close ... --dry-run`.
@Suite struct BulkCloseTests {
    /// Alice's two tickets and Carol's one, all open.
    static func threeTickets() -> (Harness, alice: [Int], carol: Int) {
        let h = Harness()
        let a1 = h.open("first")
        let a2 = h.open("second")
        let c = Int(h.carol(["open", "-s", "carol's", "-m", "help", "-q"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
        return (h, [a1, a2], c)
    }

    @Test func offATerminalWithoutYesIsAUsageErrorNamingYesAndDryRun() throws {
        let (h, alice, _) = Self.threeTickets()
        let r = h.agent(["close", "--requester", "alice@example.com"])
        #expect(r.code == 64)
        #expect(r.stderr.contains("--yes") && r.stderr.contains("--dry-run"))
        #expect(try alice.allSatisfy { try h.status($0) == "open" })
    }

    @Test func yesClosesWhatTheFiltersMatchAndPrintsThemLikeList() throws {
        let (h, alice, carol) = Self.threeTickets()
        let r = h.run(["close", "--requester", "alice@example.com", "--yes", "--json", "--agent"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == alice)
        #expect(try alice.allSatisfy { try h.status($0) == "closed" })
        #expect(try h.status(carol) == "open")
    }

    @Test func aRequesterClosesOnlyTicketsTheyMaySee() throws {
        let (h, alice, carol) = Self.threeTickets()
        let r = h.run(["close", "--status", "open", "--yes"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try alice.allSatisfy { try h.status($0) == "closed" })
        #expect(try h.status(carol) == "open")
    }

    @Test(arguments: [("y\n", true), ("yes\n", true), ("Y\n", true), ("n\n", false), ("\n", false), ("", false)])
    func onATerminalItAsks(answer: String, closes: Bool) throws {
        let (h, alice, _) = Self.threeTickets()
        let r = h.run(["close", "--requester", "alice@example.com", "--agent"], stdin: Array(answer.utf8), terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Close 2 tickets? [y/N]"))
        #expect(try alice.allSatisfy { try h.status($0) == (closes ? "closed" : "open") })
    }

    @Test func updatedBeforeSelectsByAge() throws {
        let h = Harness(now: "2026-10-01T00:00:00Z")
        let old = h.open("old")
        h.agent(["reply", "\(old)", "-m", "done?"])
        let fresh = h.open("fresh", [])
        h.run(["reply", "\(fresh)", "-m", "x", "--agent"], env: ["TICKETS_NOW": "2026-11-20T00:00:00Z"])
        let r = h.run(["close", "--status", "answered", "--updated-before", "30d", "--yes", "--agent", "--json"],
                      env: ["TICKETS_NOW": "2026-11-22T00:00:00Z"])
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == [old])
        #expect(try h.status(fresh) == "answered")
    }

    @Test func matchingNothingSucceeds() throws {
        let (h, _, _) = Self.threeTickets()
        let table = h.agent(["close", "--requester", "nobody@example.com", "--yes"])
        #expect(table.code == 0)
        #expect(table.stdout.isEmpty)
        let json = h.run(["close", "--requester", "nobody@example.com", "--yes", "--json", "--agent"])
        #expect(json.code == 0)
        #expect(try json.jsonArray().isEmpty)
    }

    @Test func filterDryRunListsWithoutClosing() throws {
        let (h, alice, _) = Self.threeTickets()
        let r = h.run(["close", "--requester", "alice@example.com", "--dry-run", "--json", "--agent"])
        #expect(r.code == 0)
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == alice)
        #expect(try alice.allSatisfy { try h.status($0) == "open" })
    }

    @Test func idDryRunChecksLikeARealCloseAndWritesNothing() throws {
        let (h, alice, carol) = Self.threeTickets()
        h.agent(["close", "\(alice[1])"])
        // Alice: her open ticket would close; her closed one is a no-op; Carol's is refused (77);
        // a missing one is 66; the first failure's code is the exit code.
        let r = h.run(["close", "\(alice[0])", "\(alice[1])", "\(carol)", "999", "--dry-run", "--json"])
        #expect(r.code == 77)
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == [alice[0]])
        #expect(r.stderr.contains("already closed"))
        #expect(r.stderr.contains("not_found"))
        #expect(try h.status(alice[0]) == "open")
        let single = h.run(["close", "\(alice[0])", "--dry-run"])
        #expect(single.code == 0)
        #expect(single.stdout.contains("#\(alice[0])"))
        #expect(try h.status(alice[0]) == "open")
    }

    @Test func idsFromListQuietPipeIntoClose() throws {
        let (h, alice, _) = Self.threeTickets()
        let ids = h.run(["list", "-q"]).stdout
        let r = h.run(["close", "-", "--json"], stdin: Array(ids.utf8))
        #expect(r.code == 0, "\(r.stderr)")
        #expect(Set(try r.jsonArray().compactMap { $0["id"] as? Int }) == Set(alice))
    }
}
