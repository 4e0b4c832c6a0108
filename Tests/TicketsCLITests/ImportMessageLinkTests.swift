import Foundation
import Testing
import TicketsCore

/// Events name the message written with them (`message_id`), so `show` tells a close's
/// reason from a reply. Export carries the link and import restores it, into a new
/// database and into an existing one, and refuses a link that names no message; a link to
/// a message a merge moved to another ticket is kept as it is.
struct ImportMessageLinkTests {
    /// Alice's #1 closed with a reason and reopened with one, #2 canceled with one, #3
    /// closed and reopened with reasons and then merged into #1: its messages move there,
    /// and its events name them where they are now.
    static func database() -> (Harness, [Int]) {
        let h = Harness(now: "2026-11-01T00:00:00Z")
        let ids = [h.open("Printer on fire"), h.open("Wrong invoice"), h.open("Printer still on fire")]
        for args in [["close", "\(ids[0])", "-m", "Fixed by a restart"], ["reopen", "\(ids[0])", "-m", "Burning again"],
                     ["cancel", "\(ids[1])", "-m", "Filed twice"], ["close", "\(ids[2])", "-m", "Same as the first"],
                     ["reopen", "\(ids[2])", "-m", "Not the same after all"]] {
            let r = h.run(args)
            precondition(r.code == 0, "\(args): \(r.stderr)")
        }
        let merged = h.agent(["merge", "\(ids[2])", "--into", "\(ids[0])"])
        precondition(merged.code == 0, merged.stderr)
        return (h, ids)
    }

    func restoredDatabase(_ h: Harness, intoExisting: Bool) -> String {
        let target = h.dir + "/restored-\(UUID().uuidString).db"
        if intoExisting {
            let empty = h.write("empty.json", "[]\n")
            #expect(h.run(["import", empty, "--agent"], env: ["TICKETS_DB": target]).code == 0)
        }
        return target
    }

    @Test(arguments: [false, true])
    func reasonsSurviveExportAndImport(intoExisting: Bool) throws {
        let (h, ids) = Self.database()
        let exported = h.run(["export", "--with-attachments", "--agent"])
        try #require(exported.code == 0)
        #expect(exported.stdout.contains("\"message_id\":"), "export carries the link")
        let target = restoredDatabase(h, intoExisting: intoExisting)
        let r = h.run(["import", h.write("export.json", exported.stdout), "--agent"], env: ["TICKETS_DB": target])
        #expect(r.code == 0, "\(r.stderr)")
        for id in ids {
            let before = h.agent(["show", "\(id)"]).stdout
            let after = h.run(["show", "\(id)", "--agent"], env: ["TICKETS_DB": target]).stdout
            #expect(after == before, "show #\(id) after the import")
        }
        #expect(h.agent(["show", "\(ids[0])"]).stdout.contains("reason for closing"))
        #expect(h.agent(["show", "\(ids[1])"]).stdout.contains("reason for canceling"))
        let again = h.run(["export", "--with-attachments", "--agent"], env: ["TICKETS_DB": target])
        #expect(again.stdout == exported.stdout)
    }

    /// A link to a message that is in neither the input nor the database: 65, naming
    /// ticket, event and message, and nothing imported.
    @Test(arguments: [false, true])
    func aLinkToNoMessageIsRefused(intoExisting: Bool) throws {
        let (h, _) = Self.database()
        var tickets = try h.agent(["export", "--agent"]).jsonArray()
        var events = try #require(tickets[1]["events"] as? [[String: Any]])
        let index = try #require(events.firstIndex { $0["message_id"] is Int })
        events[index]["message_id"] = 999_999
        tickets[1]["events"] = events
        let eventID = try #require(events[index]["id"] as? Int)
        let file = h.dir + "/bad.json"
        try JSONSerialization.data(withJSONObject: tickets).write(to: URL(fileURLWithPath: file))
        let target = restoredDatabase(h, intoExisting: intoExisting)
        let r = h.run(["import", file, "--agent"], env: ["TICKETS_DB": target])
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr == "tickets: error: import: ticket #\(tickets[1]["id"] as? Int ?? 0): event \(eventID) names message 999999, which is neither in the input nor in the database; nothing was imported\n")
        if intoExisting {
            #expect(h.run(["list", "--count", "--status", "all", "--agent"], env: ["TICKETS_DB": target]).stdout == "0\n")
        } else {
            #expect(!FileManager.default.fileExists(atPath: target))
        }
    }

    /// `message_id` must be null or an id.
    @Test(arguments: ["\"7\"", "0", "-1", "1.5", "true", "9007199254740992"])
    func aLinkThatIsNotAnIdIsRefused(value: String) throws {
        let (h, _) = Self.database()
        let exported = h.agent(["export", "--agent", "--format", "ndjson"]).stdout
        let first = try #require(exported.split(separator: "\n").first)
        let broken = first.replacing(#/"message_id":\d+/#, with: "\"message_id\":\(value)", maxReplacements: 1)
        let r = h.run(["import", h.write("bad.ndjson", broken + "\n"), "--agent"], env: ["TICKETS_DB": h.dir + "/x.db"])
        #expect(r.code == 65, "\(value): \(r.stderr)")
        #expect(r.stderr.contains("'message_id' must be null or a whole number from 1 to 9007199254740991"), "\(r.stderr)")
    }
}
