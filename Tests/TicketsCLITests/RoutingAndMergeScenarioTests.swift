import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// As a new user would: a requester files a billing problem under `other`, files it again,
/// a colleague files it too; an agent routes it to billing, raises its priority, merges
/// the duplicates into it and answers; the requester sees one conversation and its history.
@Suite struct RoutingAndMergeScenarioTests {
    @Test func anAgentRoutesRaisesAndMergesAndTheRequesterFollows() throws {
        let h = Harness()
        @discardableResult
        func at(_ who: EM.Who, _ time: String, _ args: [String]) -> Harness.Result {
            let r = EM.run(h, who, args, at: "2026-11-22T\(time):00Z")
            #expect(r.code == 0, "\(args): \(r.stderr)")
            return r
        }
        // Alice does not know the departments: the default, other.
        let first = EM.id(at(.requester, "09:00", ["open", "-s", "Charged twice for November", "-m",
                                                   "My card was charged twice for the November invoice.", "-q"]))
        let again = EM.id(at(.requester, "09:05", ["open", "-s", "Double charge", "-m", "Please refund the second charge.", "-q"]))
        let carols = EM.id(at(.cc, "09:10", ["open", "-s", "November invoice charged twice", "-m",
                                            "Our company card shows two charges too.", "-q"]))
        #expect(try EM.detail(h, first)["department"] as? String == "other")

        // The agent's morning: three tickets under other.
        #expect(try EM.run(h, .agent, ["list", "--count", "--by", "department", "--json"]).jsonArray()
            .map { "\($0["value"] as? String ?? "null")=\($0["count"] as? Int ?? -1)" } == ["other=3"])

        // Route and raise, saying why (an internal note).
        let edited = at(.agent, "09:31", ["edit", "\(first)", "-d", "billing", "-p", "high", "-m", "Billing, and a refund is due."])
        #expect(edited.stdout.contains("Priority:   high\nDepartment: billing\n"), "\(edited.stdout)")
        #expect(try h.status(first) == "open", "routing does not change the status")

        // Merge both duplicates, from Alice and from Carol.
        let merged = at(.agent, "09:32", ["merge", "\(again)", "\(carols)", "--into", "\(first)", "-m", "Same charge; we continue on #\(first)."])
        #expect(merged.stdout.hasPrefix("#\(first) Charged twice for November\n"), "prints the target: \(merged.stdout)")
        at(.agent, "09:40", ["reply", "\(first)", "-m", "We refunded the second charge."])

        // Alice's view: one conversation, in time order, without the agent's note.
        let mine = try EM.detail(h, first, as: .requester)
        #expect(mine["department"] as? String == "billing")
        #expect(mine["priority"] as? String == "high")
        #expect(mine["status"] as? String == "answered")
        #expect(mine["subject"] as? String == "Charged twice for November")
        #expect(mine["cc"] as? [String] == ["carol@example.com"])
        let messages = try #require(mine["messages"] as? [[String: Any]])
        #expect(messages.map { $0["body"] as? String } == [
            "My card was charged twice for the November invoice.",
            "Please refund the second charge.",
            "Our company card shows two charges too.",
            "We refunded the second charge.",
        ])
        #expect(messages.map { $0["created_at"] as? String } == [
            "2026-11-22T09:00:00Z", "2026-11-22T09:05:00Z", "2026-11-22T09:10:00Z", "2026-11-22T09:40:00Z",
        ])
        #expect(messages.map { ($0["author"] as? [String: Any])?["name"] as? String } == ["Alice Example", "Alice Example", "Carol", "Bob Agent"])

        // The same in her terminal, with the history.
        let shown = EM.run(h, .requester, ["show", "\(first)", "--history"], at: nil).stdout
        let order = ["charged twice for the November invoice", "Please refund", "Our company card", "We refunded"]
            .compactMap { shown.range(of: $0)?.lowerBound }
        #expect(order.count == 4 && order == order.sorted(), "\(shown)")
        #expect(!shown.contains("a refund is due"), "the internal note stays internal")
        let history = EM.historyCells(EM.historyLines(h, first, as: .requester))
        #expect(history.map(\.what) == ["open", "edit", "edit", "merge", "merge", "reply"])
        #expect(history.map(\.change) == [
            "→ open",
            "department: other → billing",
            "priority: medium → high",
            "merged from #\(again)",
            "merged from #\(carols)",
            "open → answered",
        ])

        // Her duplicate is closed and points to the ticket.
        let dup = try EM.detail(h, again, as: .requester)
        #expect(dup["status"] as? String == "closed")
        let pointer = try #require((dup["messages"] as? [[String: Any]])?.first?["body"] as? String)
        #expect(pointer.contains("#\(first)") && pointer.contains("Same charge; we continue on #\(first)."), "\(pointer)")
        #expect(try EM.run(h, .requester, ["list", "--json"]).jsonArray().compactMap { $0["id"] as? Int } == [first])
        #expect(try EM.run(h, .requester, ["list", "--count", "--by", "status", "--status", "all", "--json"]).jsonArray()
            .map { $0["count"] as? Int ?? -1 } == [0, 0, 1, 0, 1, 0], "answered #\(first), closed #\(again)")

        // Carol follows on the ticket's cc list: she sees the conversation and may reply.
        let carolView = try EM.messages(h, first, as: .cc).map { $0["body"] as? String }
        #expect(carolView == messages.map { $0["body"] as? String })
        #expect(try EM.detail(h, carols, as: .cc)["status"] as? String == "closed")
        at(.cc, "09:50", ["reply", "\(first)", "-m", "Thanks, ours is refunded too."])
        #expect(try h.status(first) == "customer-reply")

        // The agent's count now: one billing ticket.
        #expect(try EM.run(h, .agent, ["list", "--count", "--by", "department", "--json"]).jsonArray()
            .map { "\($0["value"] as? String ?? "null")=\($0["count"] as? Int ?? -1)" } == ["billing=1"])
    }
}
