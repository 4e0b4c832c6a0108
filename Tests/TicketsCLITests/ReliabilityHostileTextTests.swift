import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Hostile text in every displayed field (issue #7): terminal control sequences never reach
/// a table or `show`, JSON keeps the exact text and always parses (Foundation, jq, Python),
/// CSV injection vectors read back exactly with Python's strict csv reader.
struct ReliabilityHostileTextTests {
    static let controls: [String] = [
        "\u{1B}[31mred\u{1B}[0m",                           // CSI colour
        "\u{1B}[2J\u{1B}[H",                                // CSI clear screen, cursor home
        "\u{1B}]52;c;ZXZpbA==\u{07}",                       // OSC 52: write the clipboard
        "\u{1B}]8;;https://evil.example\u{1B}\\click\u{1B}]8;;\u{1B}\\", // OSC 8 hyperlink
        "\u{9B}31mC1 CSI\u{9D}0;title\u{9C}",               // C1 CSI, OSC, ST
        "visible\rhidden",                                  // bare CR rewrites the line
        "bell\u{07}back\u{08}space\u{7F}del\u{0}nul\u{0B}\u{0C}",
        "invoice\u{202E}gnp.exe\u{2066}\u{2069}\u{200E}\u{200F}\u{061C}", // bidi overrides and marks
        "zero\u{200B}width\u{200D}joiner\u{FEFF}",          // zero-width: visible text, kept
        "line\u{2028}separator\u{2029}",
    ]

    /// Scalars a terminal would obey: C0 (but newline), DEL, C1, the bidi controls.
    static func obeyed(_ s: Unicode.Scalar, tabOK: Bool) -> Bool {
        let v = s.value
        if v == 0x0A || (tabOK && v == 0x09) { return false }
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || [0x061C, 0x200E, 0x200F].contains(v)
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// By index: the test log must not carry the sequences to the terminal either.
    @Test(.enabled(if: TestStore.isSQLite, "SQLite-only: fields written behind the store's back with sqlite3"), arguments: controls.indices)
    func controlsNeverReachTheTerminalInAnyField(corpusIndex: Int) throws {
        let hostile = Self.controls[corpusIndex]
        let h = Harness()
        let note = h.file("note.txt", Array("hello\n".utf8))
        let body = h.write("body.md", "body " + hostile + "\nsecond\tline")
        let name = "Name " + hostile
        // Subjects and services are one line (SPEC §8): their copy loses the line breaks.
        let oneLine = String(String.UnicodeScalarView(hostile.unicodeScalars.filter { !TextRules.isLineBreak($0) }))
        // Emails refuse C0 and DEL but allow C1, bidi and zero-width scalars.
        let email = "x" + String(String.UnicodeScalarView(hostile.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F && !"<>,;\"\\".unicodeScalars.contains($0) })).prefix(20) + "@example.com"
        try #require(Email.isValid(email))
        let open = h.run(["open", "-s", "Subject " + oneLine, "-F", body, "--service", "svc " + oneLine, "-a", note,
                          "--cc", email], env: ["TICKETS_NAME": name, "TICKETS_EMAIL": email])
        try #require(open.code == 0, "\(open.stderr)")
        try #require(h.agent(["reply", "1", "-m", "agent " + hostile]).code == 0)
        try #require(h.agent(["close", "1"]).code == 0)
        let rated = h.run(["rate", "1", "4", "--review", "review " + hostile], env: ["TICKETS_EMAIL": email])
        try #require(rated.code == 0, "\(rated.stderr)")
        // Fields the commands refuse to store controls in, written behind the tool's back.
        let hex = Array(hostile.utf8).map { String(format: "%02X", $0) }.joined()
        try h.sqlite("""
            UPDATE tickets SET department = CAST(X'\(hex)' AS TEXT), assignee = 'a' || CAST(X'\(hex)' AS TEXT),
                dedupe_key = CAST(X'\(hex)' AS TEXT);
            UPDATE attachments SET name = CAST(X'\(hex)' AS TEXT) || '.txt', content_type = CAST(X'\(hex)' AS TEXT);
            UPDATE events SET action = CAST(X'\(hex)' AS TEXT) WHERE id = 1;
            """)
        for args in [["list", "--status", "all"], ["list", "--status", "all", "--fields", "id,subject,service,cc,assignee,rating,department,requester"],
                     ["show", "1"], ["show", "1", "--history"], ["reopen", "1"]] {
            let r = h.agent(args)
            #expect(r.code == 0, "\(args): \(r.stderr)")
            let bodyLines = args[0] == "show"
            for s in r.stdout.unicodeScalars where Self.obeyed(s, tabOK: bodyLines) {
                Issue.record("U+\(String(s.value, radix: 16)) reached the terminal in \(args): \(r.stdout.debugDescription)")
            }
            for s in r.stderr.unicodeScalars where Self.obeyed(s, tabOK: false) {
                Issue.record("U+\(String(s.value, radix: 16)) reached stderr in \(args): \(r.stderr.debugDescription)")
            }
        }
        // JSON keeps every field exactly.
        let t = try h.agent(["show", "1", "--json", "--history"]).jsonObject()
        #expect(t["subject"] as? String == "Subject " + oneLine)
        #expect(t["service"] as? String == "svc " + oneLine)
        #expect(t["department"] as? String == hostile)
        #expect(t["dedupe_key"] as? String == hostile)
        #expect(t["assignee"] as? String == "a" + hostile)
        #expect((t["requester"] as? [String: String]) == ["name": name, "email": email])
        #expect((t["rating"] as? [String: Any])?["review"] as? String == "review " + hostile)
        let messages = try #require(t["messages"] as? [[String: Any]])
        // NUL read from a file is stored as U+FFFD (no store keeps U+0000), the rest exactly.
        #expect(messages.first?["body"] as? String == "body " + hostile.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") + "\nsecond\tline")
        #expect(messages.dropFirst().first?["body"] as? String == "agent " + hostile.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"))
        let attachment = try #require((messages.first?["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["name"] as? String == hostile + ".txt")
        #expect((t["events"] as? [[String: Any]])?.first?["action"] as? String == hostile)
    }

    /// Bytes that are not UTF-8, surrogate-shaped and overlong sequences, written with the
    /// sqlite3 shell: every JSON form still parses in three independent readers.
    @Test(.enabled(if: TestStore.isSQLite, "SQLite-only: bytes no PostgreSQL text can hold"))
    func jsonAlwaysParsesWhateverTheDatabaseHolds() throws {
        let h = Harness()
        try #require(h.run(["open", "-s", "s", "-m", "literal \\ud800 \\u0000 \" \u{2028}"]).code == 0)
        try #require(h.run(["open", "-s", "t", "-m", "m"]).code == 0)
        let bad = "FF FE C0 80 ED A0 80 ED BF BF F4 90 80 80 E2 80 41 00 42 1B 5B 33 31 6D".replacingOccurrences(of: " ", with: "")
        try h.sqlite("""
            UPDATE tickets SET subject = CAST(X'\(bad)' AS TEXT), requester_name = CAST(X'\(bad)' AS TEXT) WHERE id = 2;
            UPDATE messages SET body = CAST(X'\(bad)' AS TEXT), author_email = CAST(X'\(bad)' AS TEXT) WHERE ticket_id = 2;
            """)
        let forms: [[String]] = [["list", "--json", "--status", "all"], ["show", "2", "--json", "--history"],
                                 ["export"], ["export", "--format", "ndjson"], ["list", "--format", "ndjson"]]
        for args in forms {
            let r = h.agent(args)
            try #require(r.code == 0, "\(args): \(r.stderr)")
            #expect(String(validating: r.stdoutBytes, as: UTF8.self) != nil, "\(args) wrote invalid UTF-8")
            let docs = args.contains("ndjson") ? r.stdout.split(separator: "\n").map(String.init) : [r.stdout]
            for doc in docs {
                _ = try JSONSerialization.jsonObject(with: Data(doc.utf8))
                #expect(try run(["jq", "-e", "."], stdin: Array(doc.utf8)).code == 0, "jq refused \(args)")
                let py = try run(["python3", "-c", "import json,sys; json.loads(sys.stdin.buffer.read().decode('utf-8', 'strict'))"],
                                 stdin: Array(doc.utf8))
                #expect(py.code == 0, "python refused \(args): \(py.stderr)")
            }
        }
        let first = try h.agent(["show", "1", "--json"]).jsonObject()
        #expect((first["messages"] as? [[String: Any]])?.first?["body"] as? String == "literal \\ud800 \\u0000 \" \u{2028}")
        let second = try h.agent(["show", "2", "--json"]).jsonObject()
        #expect((second["subject"] as? String)?.contains("\u{FFFD}") == true)
        #expect((second["subject"] as? String)?.contains("\u{0}B\u{1B}[31m") == true, "NUL and ESC kept, escaped")
    }

    /// OWASP CSV injection vectors and RFC 4180 edge cases, in several columns.
    @Test func csvCellsReadBackExactlyWithPythonsStrictReader() throws {
        let h = Harness()
        let vectors = ["=1+2\";=1+2", "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-5", "+1", "-2+3",
                       "\tTAB", "\rCR", "=HYPERLINK(\"http://evil.example\",\"x\")", "a,b", "\"", "\"\"",
                       "line\r\nbreak", "lf\nonly", " lead and trail ", "'already quoted", "plain"]
        // Reviews and names keep their text exactly (subjects and services are trimmed, one line).
        for (i, v) in vectors.enumerated() {
            let r = h.run(["open", "-s", "s", "-m", "m"], env: ["TICKETS_NAME": v])
            try #require(r.code == 0, "\(v): \(r.stderr)")
            try #require(h.agent(["close", "\(i + 1)"]).code == 0)
            try #require(h.run(["rate", "\(i + 1)", "3", "--review", v]).code == 0)
        }
        for args in [["list", "--csv", "--status", "all", "--sort", "id", "--reverse", "--fields", "id,rating,requester"],
                     ["export", "--format", "csv"]] {
            let out = h.agent(args)
            try #require(out.code == 0)
            let py = try run(["python3", "-c", """
                import csv, io, json, sys
                rows = list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8'), newline=''), strict=True))
                print(json.dumps(rows))
                """], stdin: out.stdoutBytes)
            try #require(py.code == 0, "python refused \(args): \(py.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as? [[String]])
            let header = rows[0]
            let review = try #require(header.firstIndex(of: "rating_review"))
            let name = try #require(header.firstIndex(of: "requester_name"))
            #expect(rows.count == vectors.count + 1)
            for (row, v) in zip(rows.dropFirst().sorted { Int($0[0])! < Int($1[0])! }, vectors) {
                let shown = ["=", "+", "-", "@", "\t", "\r"].contains { v.hasPrefix($0) } ? "'" + v : v
                #expect(row[review] == shown, "\(args) review \(v.debugDescription)")
                #expect(row[name] == shown, "\(args) name \(v.debugDescription)")
            }
        }
    }

    struct ToolOutput { let code: Int32; let stdout: String; let stderr: String }

    func run(_ argv: [String], stdin: [UInt8]) throws -> ToolOutput {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return ToolOutput(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                          stderr: String(decoding: e, as: UTF8.self))
    }
}
