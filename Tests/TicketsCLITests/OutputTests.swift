import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Output formats read back by independent parsers, and terminal sanitizing.
struct OutputTests {
    static let hostile = "A\u{1B}[31mred\u{1B}]52;c;ZXZpbA==\u{07}\u{9B}2J\rover\u{202E}txt.exe\u{7F}\n=1+2"
    /// The same on one line, as a subject must be (SPEC §8).
    static let hostileLine = "A\u{1B}[31mred\u{1B}]52;c;ZXZpbA==\u{07}\u{9B}2J\u{8}over\u{202E}txt.exe\u{7F}=1+2"

    @Test func jsonFieldsAreStableSnakeCaseWithRealNumbers() throws {
        let h = Harness()
        h.run(["open", "-s", "Subject", "-m", "body", "--service", "mail", "--cc", "c@example.com", "-p", "urgent",
               "-d", "billing", "--dedupe-key", "k1"])
        let t = try #require(try h.run(["list", "--json"]).jsonArray().first)
        #expect(Set(t.keys) == ["id", "subject", "status", "priority", "department", "service", "requester", "cc",
                                "assignee", "dedupe_key", "created_at", "updated_at", "closed_at", "rating",
                                "due_at", "overdue"])
        #expect(t["id"] as? Int == 1)
        #expect(t["requester"] as? [String: String] == ["name": "Alice Example", "email": "alice@example.com"])
        #expect(t["cc"] as? [String] == ["c@example.com"])
        #expect(t["assignee"] is NSNull)
        #expect(t["rating"] is NSNull)
        #expect(t["created_at"] as? String == "2026-11-22T10:00:00Z")
        #expect(t["priority"] as? String == "urgent")
        #expect(t["dedupe_key"] as? String == "k1")
        let opened = try h.run(["open", "-s", "x", "-m", "y", "--json"]).jsonObject()
        #expect(opened["deduplicated"] as? Bool == false)
        let show = try h.agent(["show", "1", "--json", "--history"]).jsonObject()
        let m = try #require((show["messages"] as? [[String: Any]])?.first)
        #expect(Set(m.keys) == ["id", "author", "role", "internal", "body", "created_at", "attachments"])
        #expect(m["internal"] as? Bool == false)
        let e = try #require((show["events"] as? [[String: Any]])?.first)
        #expect(Array(e.keys).sorted() == ["action", "actor", "created_at", "field", "from_status", "id", "message_id",
                                           "new_value", "old_value", "to_status"])
        #expect(e["field"] is NSNull && e["old_value"] is NSNull && e["new_value"] is NSNull)
        // The open event names the ticket's first message.
        #expect(e["message_id"] as? Int == m["id"] as? Int)
        #expect(e["from_status"] is NSNull)
    }

    @Test func jsonKeepsExactTextAndIsValidUTF8() throws {
        let h = Harness()
        let body = Self.hostile + "\u{2028}\u{1}end \"quoted\" \\ 中文 🎫"
        let path = h.write("body.md", body + "\u{0}")
        let opened = h.run(["open", "-s", Self.hostileLine, "-F", path])
        #expect(opened.code == 0)
        // NUL is the one character no store keeps (a PostgreSQL text cannot): U+FFFD and a word.
        #expect(opened.stderr.contains("NUL") && opened.stderr.contains("U+FFFD"), "\(opened.stderr)")
        let r = h.agent(["show", "1", "--json"])
        let obj = try r.jsonObject()
        #expect(obj["subject"] as? String == Self.hostileLine)
        #expect((obj["messages"] as? [[String: Any]])?.first?["body"] as? String == body + "\u{FFFD}")
        #expect(!r.stdoutBytes.contains(0x1B), "controls are escaped in JSON")
        #expect(String(validating: r.stdoutBytes, as: UTF8.self) != nil)
        let nd = h.agent(["list", "--format", "ndjson"])
        #expect(nd.stdout.split(separator: "\n").count == 1)
        for line in nd.stdout.split(separator: "\n") {
            _ = try JSONSerialization.jsonObject(with: Data(line.utf8))
        }
    }

    @Test func tableAndShowNeverPassTerminalControls() throws {
        let h = Harness()
        let path = h.write("body.md", Self.hostile + "\r\nline two\tTabbed")
        h.run(["open", "-s", Self.hostileLine, "-F", path, "--service", "\u{1B}[2J"])
        for args in [["list"], ["show", "1"], ["show", "1", "--history"], ["close", "1"], ["list", "--status", "all"]] {
            let r = h.run(args)
            #expect(r.code == 0, "\(r.stderr)")
            for b in r.stdoutBytes {
                #expect(b >= 0x20 || b == 0x0A || b == 0x09, "control byte \(b) in \(args)")
                #expect(b != 0x7F)
            }
            #expect(!r.stdout.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) })
        }
        let show = h.run(["show", "1"]).stdout
        #expect(show.contains("A␛[31mred␛]52;c;ZXZpbA==␇<U+009B>2J␈over<U+202E>txt.exe␡"))
        #expect(show.contains("␍over"), "a bare CR in a body is shown")
        #expect(show.contains("line two\tTabbed"), "tabs and CRLF newlines survive in bodies")
    }

    @Test func csvIsRFC4180WithFormulaPrefixReadBackByPython() throws {
        let h = Harness()
        // (value, the cell a strict CSV reader must get back). Reviews are stored as
        // given, so leading tabs and CRs reach the CSV writer; subjects are trimmed.
        let vectors: [(String, String)] = [
            ("=1+2\";=1+2", "'=1+2\";=1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("-5", "'-5"), ("+1", "'+1"),
            ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("plain, with comma", "plain, with comma"),
            ("multi\nline", "multi\nline"), ("\"quoted\"", "\"quoted\""), ("a=b", "a=b"),
        ]
        for (i, (v, _)) in vectors.enumerated() {
            let subject = v.filter { $0 != "\n" && $0 != "\r" }
            #expect(h.run(["open", "-s", subject, "-m", "x"]).code == 0)
            #expect(h.agent(["close", "\(i + 1)"]).code == 0)
            #expect(h.run(["rate", "\(i + 1)", "2", "--review", v]).code == 0)
        }
        let r = h.run(["list", "--csv", "--status", "all", "--sort", "id", "--reverse", "--fields", "id,subject,rating,requester"])
        #expect(r.stdout.hasPrefix("id,subject,rating_stars,rating_review,rated_at,requester_name,requester_email\r\n"))
        // Every record ends in CRLF, and no field holds one: header + rows + the empty tail.
        #expect(r.stdout.components(separatedBy: "\r\n").count == vectors.count + 2)
        let csvPath = h.write("out.csv", r.stdout)
        let py = Process()
        py.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        py.arguments = ["python3", "-c", """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                rows = list(csv.reader(f, strict=True))
            print(json.dumps(rows))
            """, csvPath]
        let out = Pipe()
        py.standardOutput = out
        try py.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        py.waitUntilExit()
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String]])
        #expect(rows.count == 1 + vectors.count)
        #expect(rows.dropFirst().map { $0[3] } == vectors.map { $0.1 })
        #expect(rows.dropFirst().map { $0[1] }.prefix(4) == ["'=1+2\";=1+2", "'@SUM(A1)", "'-5", "'+1"])
        #expect(rows.dropFirst().allSatisfy { $0.count == 7 && $0[5] == "Alice Example" })
    }

    @Test func tableWidthFollowsColumnsAndCountsWideCharacters() throws {
        let h = Harness()
        h.run(["open", "-s", "中文标题很长很长很长很长很长很长很长很长很长很长很长很长很长很长", "-m", "x"])
        for width in [60, 80, 120] {
            let r = h.run(["list"], env: ["COLUMNS": "\(width)"])
            for line in r.stdout.split(separator: "\n") {
                #expect(CellWidth.of(String(line)) <= width, "\(line)")
            }
        }
        let narrow = h.run(["list"], columns: 70)
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { CellWidth.of(String($0)) <= 70 })
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() {
        let h = Harness()
        h.open()
        #expect(!h.run(["list"]).stdout.contains("\u{1B}["), "not a terminal")
        #expect(h.run(["list"], terminal: true).stdout.contains("\u{1B}["))
        #expect(!h.run(["list"], env: ["NO_COLOR": "1"], terminal: true).stdout.contains("\u{1B}["))
        #expect(!h.run(["list", "--no-color"], terminal: true).stdout.contains("\u{1B}["))
    }

    @Test func listLimitsSortsAndCounts() throws {
        let h = Harness()
        for i in 1...35 {
            h.run(["open", "-s", "T\(i)", "-m", "x", "-p", i % 2 == 0 ? "high" : "low"],
                  env: ["TICKETS_NOW": "2026-11-22T10:\(String(format: "%02d", i)):00Z"])
        }
        let table = h.run(["list"])
        #expect(table.stdout.split(separator: "\n").count == 31)
        #expect(table.stderr.contains("-L 0"))
        #expect(h.run(["list", "-L", "0"]).stdout.split(separator: "\n").count == 36)
        #expect(try h.run(["list", "--json"]).jsonArray().count == 35)
        #expect(try h.run(["list", "--json", "-L", "3"]).jsonArray().map { $0["id"] as? Int } == [35, 34, 33])
        #expect(try h.run(["list", "--json", "--sort", "id", "--reverse", "-L", "2"]).jsonArray().map { $0["id"] as? Int } == [1, 2])
        let byPriority = try h.run(["list", "--json", "--sort", "priority"]).jsonArray().map { $0["priority"] as? String }
        #expect(byPriority.prefix(17).allSatisfy { $0 == "high" } && byPriority.suffix(18).allSatisfy { $0 == "low" })
        #expect(h.run(["list", "--count"]).stdout == "35\n")
        #expect(h.run(["list", "--count", "-p", "high"]).stdout == "17\n")
        #expect(h.run(["list", "-q", "-L", "2"]).stdout == "35\n34\n")
        #expect(try h.run(["list", "--json", "--fields", "id,status"]).jsonArray().first.map { Set($0.keys) } == ["id", "status"])
    }

    @Test func listFilters() throws {
        let h = Harness()
        h.run(["open", "-s", "Invoice wrong", "-m", "billed twice", "-d", "billing"], env: ["TICKETS_NOW": "2026-11-01T00:00:00Z"])
        h.carol(["open", "-s", "Login broken", "-m", "password reset loops", "-d", "account", "--service", "sso"])
        h.agent(["assign", "2"])
        h.run(["open", "-s", "Café menu", "-m", "accents", "-p", "low"], env: ["TICKETS_NOW": "2026-11-22T12:00:00Z"])
        h.run(["close", "3"], env: ["TICKETS_NOW": "2026-11-22T12:00:00Z"])
        func ids(_ args: [String]) throws -> [Int] {
            try h.agent(["list", "--json", "--sort", "id", "--reverse"] + args).jsonArray().compactMap { $0["id"] as? Int }
        }
        #expect(try ids([]) == [1, 2])
        #expect(try ids(["--status", "all"]) == [1, 2, 3])
        #expect(try ids(["--status", "closed", "--status", "open"]) == [1, 3])
        #expect(try ids(["--status", "in-progress"]) == [2])
        #expect(try ids(["-d", "billing"]) == [1])
        #expect(try ids(["--service", "sso"]) == [2])
        #expect(try ids(["--requester", "CAROL@example.com"]) == [2])
        #expect(try ids(["--mine"]) == [2], "assigned to the agent")
        #expect(try ids(["-S", "password loops"]) == [2])
        #expect(try ids(["-S", "invoice"]) == [1])
        #expect(try ids(["-S", "cafe", "--status", "all"]) == [3], "diacritics are folded")
        #expect(try ids(["-S", "\"unbalanced AND ("]) == [])
        #expect(try ids(["--created-since", "2026-11-20", "--status", "all"]) == [2, 3])
        #expect(try ids(["--created-before", "2026-11-20"]) == [1])
        #expect(try ids(["--updated-since", "1h", "--status", "all"]) == [2, 3], "since 09:00: ticket 1 is older")
        #expect(try ids(["--updated-before", "2026-11-22T11:00:00+01:00"]) == [1])
    }
}
