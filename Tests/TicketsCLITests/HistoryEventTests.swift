import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Events of assign, edit and merge: their `field`, `old_value` and `new_value` in
/// `show --json --history`, in export (JSON and ndjson), and in the History table.
@Suite struct HistoryEventTests {
    /// T: open, reply, note, assign, reassign, edit department, edit service, close,
    /// reopen, then S merged into it; S's own events. Each step a minute apart.
    struct Story {
        let h = Harness()
        let t: Int, s: Int
        init() {
            func ok(_ r: Harness.Result) { precondition(r.code == 0, r.stderr) }
            t = EM.open(h, .requester, "Printer on fire", at: "2026-11-22T09:00:00Z")
            ok(EM.run(h, .requester, ["reply", "\(t)", "-m", "Now smoking."], at: "2026-11-22T09:01:00Z"))
            ok(EM.run(h, .agent, ["reply", "\(t)", "--internal", "-m", "Fire brigade?"], at: "2026-11-22T09:02:00Z"))
            ok(EM.run(h, .agent, ["assign", "\(t)"], at: "2026-11-22T09:03:00Z"))
            ok(EM.run(h, .agent, ["assign", "\(t)", "--to", "dana@support.example"], at: "2026-11-22T09:04:00Z"))
            ok(EM.run(h, .agent, ["edit", "\(t)", "-d", "technical"], at: "2026-11-22T09:05:00Z"))
            ok(EM.run(h, .agent, ["edit", "\(t)", "--service", "Printers"], at: "2026-11-22T09:06:00Z"))
            ok(EM.run(h, .requester, ["close", "\(t)"], at: "2026-11-22T09:07:00Z"))
            ok(EM.run(h, .requester, ["reopen", "\(t)"], at: "2026-11-22T09:08:00Z"))
            s = EM.open(h, .cc, "Printer smoking", at: "2026-11-22T09:09:00Z")
            ok(EM.run(h, .agent, ["merge", "\(s)", "--into", "\(t)"], at: "2026-11-22T09:10:00Z"))
        }

        static let targetRows = [
            "alice@example.com open null→open null: null → null",
            "alice@example.com reply open→open null: null → null",
            "bob@support.example note open→open null: null → null",
            "bob@support.example assign open→in-progress assignee: null → bob@support.example",
            "bob@support.example assign in-progress→in-progress assignee: bob@support.example → dana@support.example",
            "bob@support.example edit in-progress→in-progress department: other → technical",
            "bob@support.example edit in-progress→in-progress service: null → Printers",
            "alice@example.com close in-progress→closed null: null → null",
            "alice@example.com reopen closed→open null: null → null",
        ]
    }

    @Test func showJSONHistoryCarriesFieldOldAndNew() throws {
        let st = Story()
        let events = try EM.events(st.h, st.t)
        #expect(events.map(EM.row) == Story.targetRows + ["bob@support.example merge open→open merged_from: null → \(st.s)"])
        #expect(events.map { $0["created_at"] as? String } == (0...10).filter { $0 != 9 }.map { String(format: "2026-11-22T09:%02d:00Z", $0) })
        #expect(try EM.rows(st.h, st.s) == [
            "carol@example.com open null→open null: null → null",
            "bob@support.example merge open→closed merged_into: null → \(st.t)",
        ])
        // Exactly the documented members, the actor as {name, email}, ids increasing.
        for e in events + (try EM.events(st.h, st.s)) {
            #expect(Set(e.keys) == EM.eventKeys, "\(e.keys)")
            let actor = try #require(e["actor"] as? [String: Any])
            #expect(Set(actor.keys) == ["name", "email"])
        }
        #expect(events.map { ($0["actor"] as? [String: Any])?["name"] as? String }.first == "Alice Example")
        #expect(events[3]["actor"].flatMap { ($0 as? [String: Any])?["name"] as? String } == "Bob Agent")
        let ids = events.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        // The values are strings: the merged ticket's id too.
        #expect(events.last?["new_value"] is String)
        #expect(events[0]["field"] is NSNull && events[0]["old_value"] is NSNull && events[0]["new_value"] is NSNull)
        #expect(events[0]["from_status"] is NSNull)
    }

    @Test func exportCarriesTheSameEvents() throws {
        let st = Story()
        for who in [EM.Who.agent, .requester] {
            let export = try #require(try EM.run(st.h, who, ["export"]).json() as? [[String: Any]])
            let ndjson = EM.run(st.h, who, ["export", "--format", "ndjson"]).stdout.split(separator: "\n").map {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
            }
            // Alice may not see S, Carol's ticket: it is not in her export.
            #expect(export.contains { $0["id"] as? Int == st.s } == (who == .agent))
            for id in who == .agent ? [st.t, st.s] : [st.t] {
                let shown = try EM.events(st.h, id, as: who)
                for (name, tickets) in [("json", export), ("ndjson", ndjson)] {
                    let exported = try #require(tickets.first { $0["id"] as? Int == id }?["events"] as? [[String: Any]], "\(name)")
                    #expect((exported as NSArray).isEqual(to: shown), "\(who) \(name) #\(id)")
                }
            }
        }
        // The requester's export has no note event, and the agent's has it.
        let mine = try #require(try EM.run(st.h, .requester, ["export"]).json() as? [[String: Any]])
        let t = try #require(mine.first { $0["id"] as? Int == st.t }?["events"] as? [[String: Any]])
        #expect(t.map(EM.row) == Story.targetRows.filter { !$0.contains(" note ") } +
                ["bob@support.example merge open→open merged_from: null → \(st.s)"])
    }

    @Test func theHistoryTableSaysWhatChanged() throws {
        let st = Story()
        let lines = EM.historyLines(st.h, st.t)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["WHEN", "WHO", "WHAT", "CHANGE"])
        let cells = EM.historyCells(lines)
        #expect(cells.map(\.what) == ["open", "reply", "note", "assign", "assign", "edit", "edit", "close", "reopen", "merge"])
        #expect(cells.map(\.change) == [
            "→ open",
            "",
            "",
            "open → in-progress; assignee: - → bob@support.example",
            "assignee: bob@support.example → dana@support.example",
            "department: other → technical",
            "service: - → Printers",
            "in-progress → closed",
            "closed → open",
            "merged from #\(st.s)",
        ])
        #expect(lines.dropFirst().first?.hasPrefix("2026-11-22 09:00 UTC  alice@example.com  ") == true, "\(lines)")
        #expect(lines.dropFirst(4).first?.hasPrefix("2026-11-22 09:03 UTC  bob@support.example  ") == true, "\(lines)")
        let source = EM.historyCells(EM.historyLines(st.h, st.s))
        #expect(source.map(\.change) == ["→ open", "open → closed; merged into #\(st.t)"])
        // The requester's table has the same rows but the note's.
        let mine = EM.historyCells(EM.historyLines(st.h, st.t, as: .requester))
        #expect(mine.map(\.what) == ["open", "reply", "assign", "assign", "edit", "edit", "close", "reopen", "merge"])
    }

    /// Without --history, `show --json` has no events member; the table no History section.
    @Test func historyOnlyWhenAsked() throws {
        let st = Story()
        let plain = try st.h.agent(["show", "\(st.t)", "--json"]).jsonObject()
        #expect(plain["events"] == nil)
        #expect(!st.h.agent(["show", "\(st.t)"]).stdout.contains("\nHistory\n"))
    }

    /// An edit of a cc list and a clear: old and new are the lists, "-" in the table for none.
    @Test func clearedValuesAreNullInJSONAndADashInTheTable() throws {
        let h = Harness()
        let id = h.open("x", ["--cc", "carol@example.com", "--service", "VPN"])
        #expect(h.agent(["edit", "\(id)", "--remove-cc", "carol@example.com", "--no-service"]).code == 0)
        #expect(try EM.rows(h, id).suffix(2) == [
            "bob@support.example edit open→open service: VPN → null",
            "bob@support.example edit open→open cc: carol@example.com → null",
        ])
        #expect(EM.historyCells(EM.historyLines(h, id)).map(\.change).suffix(2) == ["service: VPN → -", "cc: carol@example.com → -"])
    }
}
