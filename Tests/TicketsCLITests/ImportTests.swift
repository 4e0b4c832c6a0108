import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `import`: the export round trip, skipping, all-or-nothing, and strict input checks.
@Suite struct ImportTests {
    /// A database with every status, ratings, replies, internal notes, cc, events and an attachment.
    static func everything() -> Harness {
        let h = Harness(now: "2026-11-01T00:00:00Z")
        let log = h.write("build.log", "line 1\nline 2\n")
        _ = h.open("open one", ["--cc", "carol@example.com", "-p", "urgent", "-d", "billing", "--service", "web"])
        let taken = h.open("taken")
        h.agent(["assign", "\(taken)"])
        let answered = h.open("answered", ["-a", log, "--dedupe-key", "ci:build"])
        h.agent(["reply", "\(answered)", "-m", "Fixed?"])
        h.agent(["reply", "\(answered)", "-m", "Customer is VIP.", "--internal"])
        let replied = h.open("replied")
        h.agent(["reply", "\(replied)", "-m", "Try again"])
        h.run(["reply", "\(replied)", "-m", "Still \"broken\"\n\tsee ☃"])
        let closed = h.open("closed")
        h.agent(["reply", "\(closed)", "-m", "Done"])
        h.run(["close", "\(closed)", "-m", "Thanks"])
        h.run(["rate", "\(closed)", "4", "--review", "quick"])
        let canceled = h.open("canceled")
        h.run(["cancel", "\(canceled)"])
        return h
    }

    func export(_ h: Harness, db: String? = nil) -> Harness.Result {
        h.run(["export", "--with-attachments", "--agent"], env: db.map { ["TICKETS_DB": $0] } ?? [:])
    }

    @Test(arguments: ["json", "ndjson"])
    func exportImportExportIsByteIdentical(format: String) throws {
        let h = Self.everything()
        let before = h.run(["export", "--with-attachments", "--agent", "--format", format])
        #expect(before.code == 0)
        let statuses = try h.agent(["list", "--status", "all", "--json"]).jsonArray().compactMap { $0["status"] as? String }
        #expect(Set(statuses) == Set(Status.allCases.map(\.rawValue)))
        let file = h.write("export.\(format)", before.stdout)
        let other = h.dir + "/restored.db"
        let r = h.run(["import", file, "--agent"], env: ["TICKETS_DB": other])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "imported 6 tickets, skipped 0 existing\n")
        let after = h.run(["export", "--with-attachments", "--agent", "--format", format], env: ["TICKETS_DB": other])
        #expect(after.stdoutBytes == before.stdoutBytes)
        // New tickets continue after the imported ids.
        let next = h.run(["open", "-s", "new", "-m", "x", "-q"], env: ["TICKETS_DB": other])
        #expect(next.stdout == "7\n")
    }

    @Test func existingIdsAreSkippedAndCountedAndStdinWorks() throws {
        let h = Self.everything()
        let exported = export(h).stdoutBytes
        let r = h.run(["import", "-", "--agent", "--json"], stdin: exported)
        #expect(r.code == 0)
        let summary = try r.jsonObject()
        #expect(summary["imported"] as? Int == 0)
        #expect(summary["skipped"] as? Int == 6)
    }

    @Test func onlyAgentsImport() {
        let h = Self.everything()
        let file = h.write("e.json", export(h).stdout)
        let r = h.run(["import", file], env: ["TICKETS_DB": h.dir + "/other.db"])
        #expect(r.code == 77)
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/other.db"))
    }

    @Test func missingFileIs66() {
        #expect(Harness().agent(["import", "/nonexistent/export.json"]).code == 66)
    }

    /// One ticket object of a real export, to break field by field.
    static func sample() throws -> [[String: Any]] {
        let h = Self.everything()
        return try h.run(["export", "--with-attachments", "--agent"]).jsonArray()
    }

    @Test(arguments: [
        // (ticket index, key path, new value as JSON, words the error must contain)
        (0, ["status"], #""pending""#, ["ticket #1", "'status'", "pending"]),
        (1, ["priority"], #""asap""#, ["ticket #2", "'priority'"]),
        (1, ["created_at"], #""yesterday""#, ["ticket #2", "'created_at'"]),
        (1, ["updated_at"], #""2026-11-01""#, ["ticket #2", "'updated_at'"]),
        (1, ["id"], "-3", ["'id'"]),
        (1, ["subject"], "42", ["ticket #2", "'subject'"]),
        (1, ["colour"], #""red""#, ["ticket #2", "unknown field 'colour'"]),
        (1, ["messages", "0", "role"], #""bot""#, ["ticket #2", "message", "'role'"]),
        (1, ["events", "0", "to_status"], #""done""#, ["ticket #2", "event", "'to_status'"]),
        (2, ["messages", "0", "attachments", "0", "data"], #""aGVsbG8=""#, ["ticket #3", "sha256"]),
        (4, ["rating", "stars"], "6", ["ticket #5", "'stars'"]),
    ] as [(Int, [String], String, [String])])
    func badInputIsRefusedWholeNamingTicketAndField(index: Int, path: [String], json: String, words: [String]) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        var tickets = try Self.sample()
        tickets[index] = Self.setting(tickets[index], path[...], to: value) as! [String: Any]
        let h = Harness()
        let file = h.dir + "/bad.json"
        try JSONSerialization.data(withJSONObject: tickets).write(to: URL(fileURLWithPath: file))
        let r = h.agent(["import", file])
        #expect(r.code == 65)
        for w in words { #expect(r.stderr.contains(w), "\(r.stderr)") }
        // All or nothing: the valid tickets before the bad one are not there either.
        #expect(try h.agent(["list", "--status", "all", "--json"]).jsonArray().isEmpty)
    }

    static func setting(_ node: Any, _ path: ArraySlice<String>, to value: Any) -> Any {
        guard let key = path.first else { return value }
        if var array = node as? [Any], let i = Int(key) {
            array[i] = setting(array[i], path.dropFirst(), to: value)
            return array
        }
        var object = node as! [String: Any]
        object[key] = path.count == 1 ? value : setting(object[key]!, path.dropFirst(), to: value)
        return object
    }

    @Test func attachmentsWithoutBytesAreRefused() throws {
        let h = Self.everything()
        let file = h.write("e.json", h.run(["export", "--agent"]).stdout)
        let r = h.run(["import", file, "--agent"], env: ["TICKETS_DB": h.dir + "/other.db"])
        #expect(r.code == 65)
        #expect(r.stderr.contains("--with-attachments"))
    }

    @Test(arguments: ["[{\"id\": 1,}]", "{\"id\": 1}{\"id\": 2}", "[1, 2]", "\u{FEFF}[]"])
    func syntaxErrorsAre65(text: String) {
        let h = Harness()
        let r = h.agent(["import", h.write("bad.json", text)])
        #expect(r.code == 65)
        #expect(r.stderr.contains("bad.json"))
    }

    /// SPEC §5: each id once in a file. The second copy is refused, naming the ticket, and
    /// nothing is imported (no database file is left behind either).
    @Test func aTicketIdUsedTwiceInOneFileIsRefused() throws {
        let h = Self.everything()
        let one = try #require(export(h).stdout.split(separator: "\n").dropFirst().first)
        let line = one.hasSuffix(",") ? String(one.dropLast()) : String(one)
        let file = h.write("twice.ndjson", line + "\n" + line + "\n")
        let r = h.run(["import", file, "--agent"], env: ["TICKETS_DB": h.dir + "/other.db"])
        #expect(r.code == 65)
        #expect(r.stderr.contains("ticket #1 appears twice in the input"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/other.db"))
    }
}
