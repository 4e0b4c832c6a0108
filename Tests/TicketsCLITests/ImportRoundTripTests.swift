import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// SPEC §5/§6: `export --with-attachments` → `import` into an empty database → `export
/// --with-attachments` is byte-identical, also for a database that has seen edits, merges
/// (with attachments moving), stale closes, reopens and ratings; and an export written
/// before events had field/old_value/new_value still imports, reading them as null.
@Suite struct ImportRoundTripTests {
    static let later = ["TICKETS_NOW": "2026-11-05T00:00:00Z"]
    static let latest = ["TICKETS_NOW": "2026-11-06T00:00:00Z"]

    /// #1 Alice's (edited every way, #2 merged into it with its PNG and Bob's zip), #2
    /// Carol's, #3 stale-closed by the system, reopened and assigned (#4 merged into it).
    static func editedAndMerged() -> Harness {
        let h = Harness(now: "2026-11-01T00:00:00Z")
        let log = h.file("build.log", ImportFixture.log)
        let png = h.file("截图.png", onePixelPNG)
        let zip = h.file("tools.zip", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x7F, count: 300))
        _ = h.open("Printer on fire", ["-a", log, "--cc", "carol@example.com", "--dedupe-key", "ci:7", "-p", "high"])
        precondition(h.carol(["open", "-s", "Printer still on fire", "-m", "Mine too", "-a", png, "-q"]).code == 0)
        _ = h.open("VPN down")
        _ = h.open("VPN down again")
        let steps: [(Harness) -> Harness.Result] = [
            { $0.agent(["reply", "2", "-m", "Logs, please", "-a", zip]) },
            { $0.agent(["edit", "1", "-s", "Printer on fire, floor 3", "-d", "technical", "-p", "urgent",
                        "--service", "print", "--add-cc", "dave@example.com"]) },
            { $0.run(["edit", "1", "--remove-cc", "carol@example.com", "-m", "Carol left"]) },
            { $0.agent(["edit", "1", "--no-service"]) },
            { $0.agent(["merge", "2", "--into", "1", "-m", "Same printer"]) },
            { $0.agent(["merge", "4", "--into", "3"]) },
            { $0.agent(["reply", "3", "-m", "Restarted the \"VPN\"\n\tsee ☃"]) },
            { $0.agent(["reply", "1", "-m", "Only for us.", "--internal"]) },
            { $0.run(["close", "--stale", "1d"], env: later) },
            { $0.run(["reopen", "3", "-m", "Down again"], env: latest) },
            { $0.agentEnv(["assign", "3", "--to", "dana@support.example"], env: latest) },
            { $0.run(["close", "1"], env: latest) },
            { $0.run(["rate", "1", "5", "--review", "Fast 🎉"], env: latest) },
        ]
        for (i, step) in steps.enumerated() {
            let r = step(h)
            precondition(r.code == 0, "step \(i): \(r.stderr)")
        }
        return h
    }

    /// The same further changes, for the original and the restored database.
    static func moreChanges(_ h: Harness) throws {
        let steps: [[String]] = [["open", "-s", "After the move", "-m", "Still here", "-q"]]
        for args in steps { try #require(h.run(args, env: latest).code == 0) }
        for args in [["edit", "3", "-p", "low", "-s", "VPN flaky"], ["merge", "5", "--into", "3"], ["reply", "3", "-m", "Merged"]] {
            let r = h.agentEnv(args, env: latest)
            try #require(r.code == 0, "\(args): \(r.stderr)")
        }
    }

    func export(_ h: Harness, _ format: String, db: String? = nil) -> Harness.Result {
        h.agentEnv(["export", "--with-attachments", "--format", format], env: db.map { ["TICKETS_DB": $0] } ?? [:])
    }

    @Test(arguments: ["json", "ndjson"])
    func exportImportExportIsByteIdenticalAfterEditsAndMerges(format: String) throws {
        let h = Self.editedAndMerged()
        let first = export(h, format)
        try #require(first.code == 0)
        // The database holds what the title says: edit and merge events with their fields,
        // attachments moved by the merge, the system's stale close.
        let events = try h.agent(["export", "--format", "ndjson"]).stdout.split(separator: "\n")
            .flatMap { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["events"] as! [[String: Any]] }
        #expect(Set(events.compactMap { $0["field"] as? String }).isSuperset(of: ["subject", "department", "priority", "service", "cc", "merged_into", "merged_from", "assignee"]))
        #expect(events.contains { ($0["actor"] as? [String: Any])?["email"] as? String == "system" })
        #expect(try h.attachmentsJSON(1).count == 3)

        let restored = Harness()
        let r = restored.agent(["import", restored.write("export.\(format)", first.stdout)])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "imported 4 tickets, skipped 0 existing\n")
        #expect(export(restored, format).stdoutBytes == first.stdoutBytes)
        // The restored database goes on as the original does: the same commands, the same ids.
        try Self.moreChanges(h)
        try Self.moreChanges(restored)
        #expect(export(restored, format).stdoutBytes == export(h, format).stdoutBytes)
        // And once more through an import of the changed database.
        let again = Harness()
        #expect(again.agent(["import", "-"], stdin: export(restored, format).stdoutBytes).code == 0)
        #expect(export(again, format).stdoutBytes == export(h, format).stdoutBytes)
    }

    /// The three members as an export before SPEC §6 named them, removed from the text.
    static var eventFields: Regex<AnyRegexOutput> { try! Regex(#","field":(?:null|"(?:[^"\\]|\\.)*"),"old_value":(?:null|"(?:[^"\\]|\\.)*"),"new_value":(?:null|"(?:[^"\\]|\\.)*")"#) }

    @Test(arguments: ["json", "ndjson"])
    func anExportWrittenBeforeEventsHadFieldsImports(format: String) throws {
        let h = Self.editedAndMerged()
        let current = export(h, format).stdout
        let old = current.replacing(Self.eventFields, with: "")
        #expect(!old.contains("\"field\"") && !old.contains("\"old_value\"") && !old.contains("\"new_value\""))
        let restored = Harness()
        let r = restored.agent(["import", restored.write("old.\(format)", old)])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "imported 4 tickets, skipped 0 existing\n")
        // Everything as before; the three read as null.
        let expected = current.replacing(Self.eventFields, with: #","field":null,"old_value":null,"new_value":null"#)
        #expect(export(restored, format).stdout == expected)
    }

    /// Old and new events side by side in one file, and present-but-null fields.
    @Test func oldAndNewEventsMixInOneFile() throws {
        let h = Self.editedAndMerged()
        let lines = export(h, "ndjson").stdout.split(separator: "\n").map(String.init)
        let mixed = [lines[0].replacing(Self.eventFields, with: "")] + lines.dropFirst()
        let restored = Harness()
        let r = restored.agent(["import", "-"], stdin: Array((mixed.joined(separator: "\n") + "\n").utf8))
        #expect(r.code == 0, "\(r.stderr)")
        let back = export(restored, "ndjson").stdout.split(separator: "\n").map(String.init)
        #expect(Array(back.dropFirst()) == Array(lines.dropFirst()))
        #expect(back[0] == lines[0].replacing(Self.eventFields, with: #","field":null,"old_value":null,"new_value":null"#))
    }
}
