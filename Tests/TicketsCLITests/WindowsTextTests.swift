import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract D: files written on Windows. A config with CRLF line ends, comments, blank
/// lines or a UTF-8 byte-order mark reads exactly like the LF one; an editor that saves
/// CRLF works for `open` (subject from the first line, without its CR) and `reply`.
struct WindowsTextTests {
    static let lines = [
        "# tickets config, written on Windows",
        "db = DIR/win.db",
        "",
        "# routing",
        "departments = alpha, beta",
        "default_department = beta",
        "default_priority = high",
        "   # an indented comment",
        "role = agent",
        "name = Win User",
        "email = win@example.com",
    ]

    /// How the same lines are written to the file.
    static let variants: [Labeled<[UInt8]>] = {
        func text(_ eol: String, final: Bool = true, trailing: String = "") -> String {
            lines.map { $0.isEmpty || $0.hasPrefix("#") || $0.hasPrefix(" ") ? $0 : $0 + trailing }
                .joined(separator: eol) + (final ? eol : "")
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        return [
            Labeled("LF", Array(text("\n").utf8)),
            Labeled("CRLF", Array(text("\r\n").utf8)),
            Labeled("CRLF, no final line end", Array(text("\r\n", final: false).utf8)),
            Labeled("CRLF, blanks before the CR", Array(text("\r\n", trailing: " \t ").utf8)),
            Labeled("BOM + LF", bom + Array(text("\n").utf8)),
            Labeled("BOM + CRLF", bom + Array(text("\r\n").utf8)),
            Labeled("BOM + CRLF, no final line end", bom + Array(text("\r\n", final: false).utf8)),
            Labeled("CRLF with blank CRLF lines between", Array(text("\r\n\r\n").utf8)),
        ]
    }()

    /// A harness whose identity, database and role come only from the config file.
    static func configured(_ bytes: [UInt8]) -> (Harness, [String: String]) {
        let h = Harness()
        h.env["TICKETS_DB"] = nil
        h.env["TICKETS_NAME"] = nil
        h.env["TICKETS_EMAIL"] = nil
        let text = String(decoding: bytes, as: UTF8.self).replacing("DIR", with: h.dir)
        var raw = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) && !raw.starts(with: [0xEF, 0xBB, 0xBF]) { raw = [0xEF, 0xBB, 0xBF] + raw }
        let path = h.file("config.txt", raw)
        return (h, ["TICKETS_CONFIG": path])
    }

    @Test(arguments: variants)
    func everyKeyTakesEffect(variant: Labeled<[UInt8]>) throws {
        let (h, env) = Self.configured(variant.value)
        let r = h.run(["open", "-s", "From Windows", "-m", "Hello", "--json"], env: env)
        try #require(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "no warning: \(r.stderr)")
        let t = try r.jsonObject()
        #expect(t["priority"] as? String == "high", "default_priority")
        #expect(t["department"] as? String == "beta", "default_department")
        let requester = t["requester"] as? [String: Any]
        #expect(requester?["name"] as? String == "Win User", "name")
        #expect(requester?["email"] as? String == "win@example.com", "email")
        #expect(FileManager.default.fileExists(atPath: h.dir + "/win.db"), "db")
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/tickets.db"))
        // role = agent: internal notes and assign are allowed.
        let note = h.run(["reply", "1", "--internal", "-m", "agent only"], env: env)
        #expect(note.code == 0, "role: \(note.stderr)")
        #expect(h.run(["assign", "1"], env: env).code == 0)
        // departments: alpha is one, technical no longer.
        #expect(h.run(["open", "-s", "A", "-m", "x", "-d", "alpha", "-q"], env: env).code == 0)
        let refused = h.run(["open", "-s", "T", "-m", "x", "-d", "technical", "-q"], env: env)
        #expect(refused.code == 65)
        #expect(refused.stderr.contains("alpha, beta"), "\(refused.stderr)")
        // An agent's table shows ASSIGNEE: the role holds for reads too.
        #expect(h.run(["list"], env: env.merging(["COLUMNS": "200"]) { $1 }).stdout.contains("ASSIGNEE"))
    }

    /// A config's SLA and attachment keys with CRLF too.
    @Test func durationsAndSizesWithCRLF() throws {
        let h = Harness(now: "2026-11-01T00:00:00Z")
        let path = h.file("config.txt", [0xEF, 0xBB, 0xBF] + Array("sla_medium = 2h\r\nattachment_max_count = 0\r\n".utf8))
        _ = h.open("slow")
        let row = try #require(try h.run(["list", "--json"], env: ["TICKETS_CONFIG": path, "TICKETS_NOW": "2026-11-01T02:00:01Z"]).jsonArray().first)
        #expect(row["due_at"] as? String == "2026-11-01T02:00:00Z")
        let note = h.write("note.txt", "hello\n")
        let r = h.run(["reply", "1", "-m", "x", "-a", note], env: ["TICKETS_CONFIG": path])
        #expect(r.code == 65, "attachment_max_count = 0 took effect: \(r.stderr)")
    }

    // MARK: - The editor saving CRLF

    /// A stored body with its line ends made LF (a last line's CR too, which `hasBareCR`
    /// checks on its own), and whether it holds a CR that does not end a CRLF pair (a
    /// stray CR left from a line end).
    static func lf(_ s: String) -> String {
        let t = s.replacing("\r\n", with: "\n")
        return t.hasSuffix("\r") ? String(t.unicodeScalars.dropLast()) : t
    }
    static func hasBareCR(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return u.indices.contains { u[$0] == 0x0D && ($0 + 1 == u.count || u[$0 + 1] != 0x0A) }
    }

    static let openCases: [Labeled<(script: String, subject: String, body: String)>] = [
        Labeled("the whole buffer replaced, CRLF", (
            "printf 'Mail is down\\r\\n\\r\\nSince 9:00.\\r\\nNo bounces.\\r\\n' > \"$1\"",
            "Mail is down", "Since 9:00.\nNo bounces.")),
        Labeled("typed above the template, then the file saved CRLF", (
            "{ printf 'VPN drops\\n\\nEvery hour.\\n'; cat \"$1\"; } > \"$1.new\" && sed 's/$/\\r/' \"$1.new\" > \"$1\"",
            "VPN drops", "Every hour.")),
        Labeled("typed below the template, then the file saved CRLF with a BOM", (
            "{ printf '\\357\\273\\277Disk full\\r\\n'; sed 's/$/\\r/' \"$1\"; printf 'Quota at 100%%.\\r\\n'; } > \"$1.new\" && mv \"$1.new\" \"$1\"",
            "Disk full", "Quota at 100%.")),
        Labeled("no final line end", (
            "printf 'Printer jam\\r\\n\\r\\nPaper stuck.' > \"$1\"",
            "Printer jam", "Paper stuck.")),
    ]

    @Test(arguments: openCases)
    func openWithACRLFEditor(c: Labeled<(script: String, subject: String, body: String)>) throws {
        let h = Harness()
        let ed = EditorTests.editor(h, c.value.script)
        let r = h.run(["open", "-e", "--json"], env: ["EDITOR": ed], terminal: true)
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["subject"] as? String == c.value.subject)
        let body = try #require(try h.bodies(1).first)
        #expect(Self.lf(body) == c.value.body)
        #expect(!Self.hasBareCR(body), "a stray CR is stored: \(body.debugDescription)")
        #expect(!body.contains("#"), "template lines are gone: \(body.debugDescription)")
    }

    static let replyCases: [Labeled<(script: String, body: String)>] = [
        Labeled("replaced, CRLF", ("printf 'Thanks\\r\\nIt works now.\\r\\n' > \"$1\"", "Thanks\nIt works now.")),
        Labeled("template kept, saved CRLF", ("{ printf 'Still broken.\\n'; cat \"$1\"; } | sed 's/$/\\r/' > \"$1.new\" && mv \"$1.new\" \"$1\"", "Still broken.")),
        Labeled("BOM and CRLF, typed below", ("{ printf '\\357\\273\\277'; sed 's/$/\\r/' \"$1\"; printf '## Steps\\r\\n1. boot\\r\\n'; } > \"$1.new\" && mv \"$1.new\" \"$1\"", "## Steps\n1. boot")),
        Labeled("blank CRLF lines around", ("printf '\\r\\n\\r\\nOK\\r\\n\\r\\n' > \"$1\"", "OK")),
    ]

    @Test(arguments: replyCases)
    func replyWithACRLFEditor(c: Labeled<(script: String, body: String)>) throws {
        let h = Harness()
        let id = h.open()
        let ed = EditorTests.editor(h, c.value.script)
        let r = h.run(["reply", "\(id)", "-e"], env: ["EDITOR": ed], terminal: true)
        try #require(r.code == 0, "\(r.stderr)")
        let body = try #require(try h.bodies(id).last)
        #expect(Self.lf(body) == c.value.body)
        #expect(!Self.hasBareCR(body), "a stray CR is stored: \(body.debugDescription)")
    }

    /// The template saved back untouched but with CRLF (and a BOM) is still "nothing typed".
    @Test(arguments: [["open", "-e"], ["open", "-s", "S", "-e"], ["reply", "1", "-e"], ["close", "1", "-e"]],
          ["sed 's/$/\\r/' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"",
           "{ printf '\\357\\273\\277'; sed 's/$/\\r/' \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\""])
    func aCRLFTemplateCancels(args: [String], script: String) throws {
        let h = Harness()
        let id = h.open()
        let before = h.snapshot(id)
        let r = h.run(args, env: ["EDITOR": EditorTests.editor(h, script)], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("nothing"), "\(r.stderr)")
        #expect(h.snapshot(id) == before)
        #expect(h.ticketCount() == 1)
    }
}
