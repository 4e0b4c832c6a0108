import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// The lifecycle through the commands: statuses, roles, no-ops, refusals and the order
/// of checks (exists 66, may act 77, allowed in status 65), with data left unchanged.
struct LifecycleCommandTests {
    @Test func aWholeLifecycle() throws {
        let h = Harness()
        let id = h.open()
        #expect(try h.status(id) == "open")
        #expect(h.run(["reply", "\(id)", "-m", "More detail."]).code == 0)
        #expect(try h.status(id) == "open")
        #expect(h.agent(["assign", "\(id)"]).code == 0)
        #expect(try h.status(id) == "in-progress")
        #expect(h.agent(["reply", "\(id)", "-m", "Unplug it."]).code == 0)
        #expect(try h.status(id) == "answered")
        #expect(h.run(["reply", "\(id)", "-m", "Done, still smoking."]).code == 0)
        #expect(try h.status(id) == "customer-reply")
        #expect(h.agent(["reply", "\(id)", "--internal", "-m", "Fire brigade?"]).code == 0)
        #expect(try h.status(id) == "customer-reply")
        #expect(h.run(["close", "\(id)", "-m", "Thanks"]).code == 0)
        #expect(try h.status(id) == "closed")
        let rated = h.run(["rate", "\(id)", "4", "--review", "quick", "--json"])
        #expect(rated.code == 0)
        let rating = try #require(try rated.jsonObject()["rating"] as? [String: Any])
        #expect(rating["stars"] as? Int == 4)
        #expect(rating["review"] as? String == "quick")
        #expect(rating["rated_at"] as? String == "2026-11-22T10:00:00Z")
        #expect(h.run(["rate", "\(id)", "5"]).code == 0)
        #expect(try h.agent(["show", "\(id)", "--json"]).jsonObject()["rating"].flatMap { $0 as? [String: Any] }?["stars"] as? Int == 5)
        #expect(h.run(["reopen", "\(id)"]).code == 0)
        #expect(try h.status(id) == "open")
        let show = try h.agent(["show", "\(id)", "--json", "--history"]).jsonObject()
        let actions = try #require(show["events"] as? [[String: Any]]).map { $0["action"] as? String }
        #expect(actions == ["open", "reply", "assign", "reply", "reply", "note", "close", "rate", "rate", "reopen"])
        let messages = try #require(show["messages"] as? [[String: Any]])
        #expect(messages.count == 6)
        #expect(messages.map { $0["role"] as? String } == ["requester", "requester", "agent", "requester", "agent", "requester"])
        #expect(show["assignee"] as? String == "bob@support.example")
        #expect(show["closed_at"] is NSNull)
    }

    @Test func cancelOnlyBeforeAnAgentActs() throws {
        let h = Harness()
        let a = h.open()
        #expect(h.run(["cancel", "\(a)"]).code == 0)
        #expect(try h.status(a) == "canceled")
        let b = h.open()
        h.agent(["reply", "\(b)", "--internal", "-m", "note only"])
        #expect(h.run(["cancel", "\(b)"]).code == 0, "an internal note is not a public reply")
        let c = h.open()
        h.agent(["assign", "\(c)"])
        h.agent(["reply", "\(c)", "-m", "on it"])
        let r = h.run(["cancel", "\(c)"])
        #expect(r.code == 65)
        #expect(r.stderr.contains("answered"))
        #expect(try h.status(c) == "answered")
    }

    @Test func repeatingAnActionThatAlreadyHoldsIsANoop() throws {
        let h = Harness()
        let id = h.open()
        h.run(["close", "\(id)"])
        let before = try h.agent(["show", "\(id)", "--json", "--history"]).jsonObject()["events"] as? [Any]
        let again = h.run(["close", "\(id)"])
        #expect(again.code == 0)
        #expect(again.stderr == "tickets: ticket #\(id) is already closed\n")
        let after = try h.agent(["show", "\(id)", "--json", "--history"]).jsonObject()["events"] as? [Any]
        #expect(before?.count == after?.count, "no event for a no-op")
        h.run(["reopen", "\(id)"])
        #expect(h.run(["reopen", "\(id)"]).stderr.contains("already open"))
    }

    @Test func replyToAClosedTicketIsRefusedWithAHint() throws {
        let h = Harness()
        let id = h.open()
        h.run(["close", "\(id)"])
        let r = h.run(["reply", "\(id)", "-m", "hello?"])
        #expect(r.code == 65)
        #expect(r.stderr.contains("reopen"))
        #expect(try h.agent(["show", "\(id)", "--json"]).jsonObject()["messages"].flatMap { $0 as? [Any] }?.count == 1)
    }

    @Test func checksRunInOrderExistsThenPermittedThenStatus() {
        let h = Harness()
        let id = h.open()
        h.run(["close", "\(id)"])
        // Missing beats everything.
        #expect(h.carol(["rate", "999", "5"]).code == 66)
        // Someone else's ticket: 77, even though rating it would also be allowed.
        #expect(h.carol(["rate", "\(id)", "5"]).code == 77)
        // Agent-only action by a requester on their own closed ticket: 77 before 65.
        #expect(h.run(["assign", "\(id)"]).code == 77)
        // Allowed role, wrong status: 65.
        #expect(h.agent(["assign", "\(id)"]).code == 65)
        #expect(h.agent(["rate", "\(id)", "3"]).code == 77)
    }

    @Test func requestersSeeOnlyTheirTicketsAndNeverInternalNotes() throws {
        let h = Harness()
        let mine = h.open("Mine")
        let cc = h.carol(["open", "-s", "Carol's, cc Alice", "-m", "x", "--cc", "ALICE@example.com", "-q"]).stdout
        let ccID = Int(cc.trimmingCharacters(in: .whitespacesAndNewlines))!
        let other = Int(h.carol(["open", "-s", "Carol only", "-m", "x", "-q"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
        h.agent(["reply", "\(mine)", "--internal", "-m", "secret plan"])
        let list = try h.run(["list", "--json"]).jsonArray().map { $0["id"] as? Int }
        #expect(Set(list.compactMap { $0 }) == [mine, ccID])
        #expect(h.run(["show", "\(other)"]).code == 77)
        #expect(h.run(["reply", "\(other)", "-m", "hi"]).code == 77)
        #expect(h.run(["reply", "\(ccID)", "-m", "from the cc"]).code == 0)
        let shown = h.run(["show", "\(mine)", "--json", "--history"])
        #expect(!shown.stdout.contains("secret plan"))
        #expect(!shown.stdout.contains("\"note\""), "not even the event of an internal note")
        #expect(h.agent(["show", "\(mine)", "--json"]).stdout.contains("secret plan"))
        #expect(try h.run(["list", "-S", "secret", "--json"]).jsonArray().isEmpty)
        #expect(try h.agent(["list", "-S", "secret", "--json"]).jsonArray().count == 1)
        let export = h.run(["export"])
        #expect(!export.stdout.contains("secret plan"))
        #expect(!export.stdout.contains("Carol only"))
    }

    @Test func refusedActionsLeaveTheDataUnchanged() throws {
        let h = Harness()
        let id = h.open()
        h.agent(["assign", "\(id)"])
        let before = h.agent(["export"]).stdout
        let attempts: [(Harness.Result, Int32)] = [
            (h.run(["cancel", "\(id)"]), 65),
            (h.run(["rate", "\(id)", "5"]), 65),
            (h.run(["reopen", "\(id)"]), 65),
            (h.carol(["close", "\(id)"]), 77),
            (h.run(["reply", "\(id)", "--internal", "-m", "x"]), 77),
            (h.agent(["close", "999"]), 66),
        ]
        for (r, code) in attempts { #expect(r.code == code, "\(r.stderr)") }
        #expect(h.agent(["export"]).stdout == before)
    }

    @Test func bulkVerbsGoOnPastFailuresAndExitWithTheFirst() throws {
        let h = Harness()
        let a = h.open(), b = h.open()
        h.run(["close", "\(b)"])
        let r = h.run(["reopen", "\(a)", "999", "\(b)", "--json"])
        // a is open already (no-op), 999 missing (66), b reopened.
        #expect(r.code == 66)
        #expect(r.stderr.contains("already open"))
        #expect(r.stderr.contains("no ticket #999"))
        #expect(try r.jsonArray().map { $0["id"] as? Int } == [b])
        #expect(try h.status(b) == "open")
    }

    @Test func idsFromStandardInput() throws {
        let h = Harness()
        let a = h.open(), b = h.open()
        let r = h.run(["close", "-", "--json"], stdin: Array("\(a)\n#\(b)\n\n".utf8))
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonArray().count == 2)
        #expect(try h.status(a) == "closed" && h.status(b) == "closed")
    }

    @Test func assignToAnotherAgentAndNoopForTheSame() throws {
        let h = Harness()
        let id = h.open()
        #expect(h.agent(["assign", "\(id)", "--to", "dana@support.example"]).code == 0)
        let same = h.agent(["assign", "\(id)", "--to", "dana@support.example"])
        #expect(same.code == 0)
        #expect(same.stderr.contains("already assigned"))
        #expect(h.agent(["assign", "\(id)", "--to", "not-an-email"]).code == 65)
    }
}
