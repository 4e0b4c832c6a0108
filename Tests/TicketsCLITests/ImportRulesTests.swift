import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// One hostile import file: the fixture's export with one thing changed, and the words
/// the refusal must contain (the ticket and the field).
struct HostileImport: Sendable, CustomTestStringConvertible {
    let label: String
    let edit: ImportFixture.Edit
    let words: [String]
    var config: String?
    var testDescription: String { label }
}

/// SPEC §5 import (issue "Files, streams and a strict, streaming import"): `import` holds
/// to the rules of the commands. Each file below breaks one rule in a real export of a
/// database made with the commands; each is refused with 65 naming the ticket and the
/// field, and nothing is imported: a new database is not even created, an existing one
/// is unchanged.
@Suite struct ImportRulesTests {
    static func json(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    static func set(_ label: String, _ index: Int, _ path: [String], _ value: String?, _ words: [String],
                    config: String? = nil) -> HostileImport {
        HostileImport(label: label, edit: .set(index, path, value), words: words, config: config)
    }

    /// Attachment 1 (`build.log` on message 1 of #1) replaced by one with this name and these bytes.
    static func attach(_ label: String, name: String, bytes: [UInt8] = ImportFixture.log,
                       type: String = "text/plain; charset=utf-8", _ words: [String], config: String? = nil) -> HostileImport {
        set(label, 0, ["messages", "0", "attachments", "0"], ImportFixture.attachment(id: 1, name: name, bytes: bytes, type: type),
            words, config: config)
    }

    static let combining = repeated("e" + repeated("\u{301}", 10), 100) // 100 characters, 2,100 bytes
    static let long201 = repeated("a", 201)
    static let email201 = repeated("a", 189) + "@example.com"
    static let system = #"{"name":"tickets","email":"system"}"#
    static let rating = #"{"stars":3,"review":null,"rated_at":"2026-11-01T00:00:00Z"}"#

    // MARK: - Ids: 1 to 2^53-1, exact integers only

    static let badIDs = ["0", "-1", "-0", "9007199254740992", "9223372036854775808", "18446744073709551616", "1e3", "1E3",
                         "1.0", "2.5", "\"2\"", "null", "true", "[2]"]

    static let idCases: [HostileImport] = badIDs.flatMap { v in [
        HostileImport(label: "ticket id \(v)", edit: .text(#"{"id":2,"subject":"Second""#, #"{"id":\#(v),"subject":"Second""#),
                      words: ["object 2 of the input: 'id' must be a whole number from 1 to 9007199254740991"]),
        HostileImport(label: "message id \(v)", edit: .text(#"{"id":7,"author""#, #"{"id":\#(v),"author""#),
                      words: ["ticket #2, message: 'id' must be a whole number from 1 to 9007199254740991"]),
        HostileImport(label: "attachment id \(v)", edit: .text(#"{"id":2,"name":"shot.png""#, #"{"id":\#(v),"name":"shot.png""#),
                      words: ["ticket #1, message 1, attachment: 'id' must be a whole number from 1 to 9007199254740991"]),
        HostileImport(label: "event id \(v)", edit: .text(#"{"id":10,"actor""#, #"{"id":\#(v),"actor""#),
                      words: ["ticket #2, event: 'id' must be a whole number from 1 to 9007199254740991"]),
    ] }

    // MARK: - Each id once in a file

    static let onceCases: [HostileImport] = [
        HostileImport(label: "ticket id twice", edit: .text(#"{"id":2,"subject":"Second""#, #"{"id":1,"subject":"Second""#),
                      words: ["ticket #1 appears twice in the input"]),
        set("message id of another ticket", 1, ["messages", "0", "id"], "1",
            ["ticket #2: message id 1 is also used by ticket #1 in the input"]),
        set("message id twice in one ticket", 0, ["messages", "1", "id"], "1",
            ["ticket #1: message id 1 is also used by ticket #1 in the input"]),
        set("attachment id twice in one message", 0, ["messages", "0", "attachments", "1", "id"], "1",
            ["ticket #1: attachment id 1 is also used by ticket #1 in the input"]),
        set("attachment id of another ticket", 1, ["messages", "0", "attachments"],
            "[" + ImportFixture.attachment(id: 1, name: "other.log", bytes: ImportFixture.log) + "]",
            ["ticket #2: attachment id 1 is also used by ticket #1 in the input"]),
        set("event id of another ticket", 3, ["events", "0", "id"], "1",
            ["ticket #4: event id 1 is also used by ticket #1 in the input"]),
        set("event id twice in one ticket", 1, ["events", "1", "id"], "2",
            ["ticket #2: event id 2 is also used by ticket #2 in the input"]),
    ]

    // MARK: - Attachments: names, extensions, size, count, content

    static let attachmentCases: [HostileImport] = [
        attach("extension not allowed", name: "build.exe", ["ticket #1, message 1, attachment 1: 'name'", ".exe"]),
        attach("no extension", name: "build", ["ticket #1, message 1, attachment 1: 'name'", "no extension"]),
        attach("extension not in the configured list", name: "build.log", ["ticket #1, message 1, attachment 1: 'name'", ".log"],
               config: "attachment_extensions = png txt\n"),
        attach("name with /", name: "logs/build.log", ["ticket #1, message 1, attachment 1: 'name'"]),
        attach("name with \\", name: "logs\\build.log", ["ticket #1, message 1, attachment 1: 'name'"]),
        attach("name ..", name: "..", ["ticket #1, message 1, attachment 1: 'name'"]),
        attach("empty name", name: "", ["ticket #1, message 1, attachment 1: 'name'"]),
        attach("name with BEL", name: "build\u{7}.log", ["ticket #1, message 1, attachment 1: 'name'", "U+0007"]),
        attach("name with NUL", name: "build\u{0}.log", ["ticket #1, message 1, attachment 1: 'name'", "U+0000"]),
        attach("name with a newline", name: "build\n.log", ["ticket #1, message 1, attachment 1: 'name'", "U+000A"]),
        attach("name with DEL", name: "build\u{7F}.log", ["ticket #1, message 1, attachment 1: 'name'", "U+007F"]),
        attach("name with C1 CSI", name: "build\u{9B}.log", ["ticket #1, message 1, attachment 1: 'name'", "U+009B"]),
        attach("name with RLO", name: "build\u{202E}gol.txt", ["ticket #1, message 1, attachment 1: 'name'", "U+202E"]),
        attach("name with RLI", name: "\u{2067}build.log", ["ticket #1, message 1, attachment 1: 'name'", "U+2067"]),
        attach("name with RLM", name: "build\u{200F}.log", ["ticket #1, message 1, attachment 1: 'name'", "U+200F"]),
        attach("name with ALM", name: "build\u{61C}.log", ["ticket #1, message 1, attachment 1: 'name'", "U+061C"]),
        attach("PNG bytes named .jpg", name: "shot.jpg", bytes: onePixelPNG, type: "image/png",
               ["ticket #1, message 1, attachment 1: 'name'", "does not match its extension"]),
        attach("text named .png", name: "build.png", type: "image/png",
               ["ticket #1, message 1, attachment 1: 'name'", "does not match its extension"]),
        attach("text named .pdf", name: "build.pdf", type: "application/pdf",
               ["ticket #1, message 1, attachment 1: 'name'", "does not match its extension"]),
        attach("content_type not what the bytes are", name: "build.log", type: "image/png",
               ["ticket #1, message 1, attachment 1: 'name'", "content_type 'image/png'"]),
        attach("PNG with a text content_type", name: "shot.png", bytes: onePixelPNG,
               ["ticket #1, message 1, attachment 1: 'name'", "content_type"]),
        HostileImport(label: "larger than the configured attachment_max_size", edit: .none,
                      words: ["ticket #1, message 1, attachment 2: 'name'", "attachment_max_size"],
                      config: "attachment_max_size = 32\n"),
        set("six attachments on one message", 0, ["messages", "0", "attachments"],
            "[" + (1...6).map { ImportFixture.attachment(id: 100 + $0, name: "build\($0).log", bytes: ImportFixture.log) }
                .joined(separator: ",") + "]",
            ["ticket #1, message 1: 'attachments' holds 6 files; at most 5"]),
        HostileImport(label: "more than the configured attachment_max_count", edit: .none,
                      words: ["ticket #1, message 1: 'attachments' holds 2 files; at most 1"],
                      config: "attachment_max_count = 1\n"),
    ]

    // MARK: - Emails (the system's own author and actor excepted)

    static let emailCases: [HostileImport] = [
        set("requester email not an address", 0, ["requester", "email"], json("alice"), ["ticket #1, requester: 'email' 'alice'"]),
        set("requester email with a space", 0, ["requester", "email"], json("alice @example.com"), ["ticket #1, requester: 'email'"]),
        set("requester email with two @", 0, ["requester", "email"], json("alice@b@example.com"), ["ticket #1, requester: 'email'"]),
        set("requester is the system", 0, ["requester"], system, ["ticket #1, requester: 'email' 'system'"]),
        set("requester email 201 characters", 0, ["requester", "email"], json(email201),
            ["ticket #1, requester: 'email' is 201 characters"]),
        set("cc not an address", 0, ["cc"], #"["carol"]"#, ["ticket #1: 'cc' holds 'carol'"]),
        set("cc not a string", 0, ["cc"], "[42]", ["ticket #1: 'cc' must be a list of emails"]),
        set("cc 201 characters", 0, ["cc"], "[" + json(email201) + "]", ["ticket #1: 'cc' holds", "within 200 characters"]),
        set("author not an address", 0, ["messages", "1", "author", "email"], json("alice@"),
            ["ticket #1, message 3, author: 'email' 'alice@'"]),
        set("author email 201 characters", 0, ["messages", "1", "author", "email"], json(email201),
            ["ticket #1, message 3, author: 'email' is 201 characters"]),
        set("system author on a requester message", 0, ["messages", "0", "author"], system,
            ["ticket #1, message 1, author: 'email' 'system'"]),
        set("system author on an agent note", 0, ["messages", "2", "author"], system,
            ["ticket #1, message 5, author: 'email' 'system'"]),
        set("actor not an address", 0, ["events", "1", "actor", "email"], json("bob at support"),
            ["ticket #1, event 5, actor: 'email' 'bob at support'"]),
        set("actor email 201 characters", 0, ["events", "1", "actor", "email"], json(email201),
            ["ticket #1, event 5, actor: 'email' is 201 characters"]),
        set("assignee not an address", 0, ["assignee"], json("bob"), ["ticket #1: 'assignee' 'bob'"]),
        set("assignee is the system", 0, ["assignee"], json("system"), ["ticket #1: 'assignee' 'system'"]),
        set("assignee 201 characters", 0, ["assignee"], json(email201), ["ticket #1: 'assignee'", "within 200 characters"]),
    ]

    // MARK: - Text limits: subject 500 characters / 2,000 bytes, one line; the rest 200 / 800

    static let textCases: [HostileImport] = [
        set("subject 501 characters", 0, ["subject"], json(repeated("a", 501)), ["ticket #1: 'subject'", "501 characters"]),
        set("subject 2,100 bytes in 100 characters", 0, ["subject"], json(combining), ["ticket #1: 'subject'", "2100 bytes"]),
        set("subject with a newline", 0, ["subject"], json("Printer\non fire"), ["ticket #1: 'subject'", "one line"]),
        set("subject with a carriage return", 0, ["subject"], json("Printer\ron fire"), ["ticket #1: 'subject'", "one line"]),
        set("subject with U+2028", 0, ["subject"], json("Printer\u{2028}on fire"), ["ticket #1: 'subject'", "one line"]),
        set("subject with spaces around", 0, ["subject"], json(" Printer on fire "), ["ticket #1: 'subject'", "spaces around"]),
        set("empty subject", 0, ["subject"], json(""), ["ticket #1: 'subject'", "empty"]),
        set("requester name 201 characters", 0, ["requester", "name"], json(long201),
            ["ticket #1, requester: 'name' is 201 characters"]),
        set("requester name 2,100 bytes", 0, ["requester", "name"], json(combining), ["ticket #1, requester: 'name' is 2100 bytes"]),
        set("author name 201 characters", 0, ["messages", "1", "author", "name"], json(long201),
            ["ticket #1, message 3, author: 'name' is 201 characters"]),
        set("actor name 201 characters", 0, ["events", "1", "actor", "name"], json(long201),
            ["ticket #1, event 5, actor: 'name' is 201 characters"]),
        set("department 201 characters", 0, ["department"], json(long201), ["ticket #1: 'department' is 201 characters"]),
        set("department 2,100 bytes", 0, ["department"], json(combining), ["ticket #1: 'department' is 2100 bytes"]),
        set("department on two lines", 0, ["department"], json("billing\nsales"), ["ticket #1: 'department' must be one line"]),
        set("service 201 characters", 0, ["service"], json(long201), ["ticket #1: 'service' is 201 characters"]),
        set("service 2,100 bytes", 0, ["service"], json(combining), ["ticket #1: 'service' is 2100 bytes"]),
        set("service on two lines", 0, ["service"], json("web\u{2029}mail"), ["ticket #1: 'service' must be one line"]),
    ]

    // MARK: - States the lifecycle can reach

    static let stateCases: [HostileImport] = [
        set("closed without closed_at", 1, ["closed_at"], "null", ["ticket #2: 'closed_at' is missing"]),
        set("canceled without closed_at", 3, ["closed_at"], "null", ["ticket #4: 'closed_at' is missing"]),
        set("in-progress with closed_at", 0, ["closed_at"], json("2026-11-01T00:00:00Z"), ["ticket #1: 'closed_at' is set"]),
        set("answered with the closed ticket's closed_at", 1, ["status"], json("answered"), ["ticket #2: 'closed_at' is set"]),
        set("rating on a canceled ticket", 3, ["rating"], rating, ["ticket #4: 'rating' is set, but the ticket is canceled"]),
        set("rating on an in-progress ticket", 0, ["rating"], rating, ["ticket #1: 'rating' is set"]),
        set("internal requester message", 0, ["messages", "0", "internal"], "true", ["ticket #1, message 1: 'internal' is true"]),
        set("internal system message", 2, ["messages", "0", "internal"], "true", ["ticket #3, message 6: 'internal' is true"]),
    ]

    static let cases = idCases + onceCases + attachmentCases + emailCases + textCases + stateCases

    static func harness(config: String?) -> Harness {
        let h = Harness()
        if let config {
            try? FileManager.default.createDirectory(atPath: h.dir + "/config/tickets", withIntermediateDirectories: true)
            _ = h.write("config/tickets/config", config)
        }
        return h
    }

    @Test(arguments: cases)
    func aHostileFileIsRefusedWholeNamingTicketAndField(_ c: HostileImport) throws {
        let file = try ImportFixture.applying(c.edit)
        if c.config == nil { #expect(file != ImportFixture.export, "the edit changed nothing") }
        // Into a new database: 65, one line naming ticket and field, and no database file.
        let fresh = Self.harness(config: c.config)
        let r = fresh.agent(["import", fresh.write("hostile.json", file)])
        #expect(r.code == 65, "\(c.label): exit \(r.code) \(r.stderr)")
        for w in c.words { #expect(r.stderr.contains(w), "\(c.label): no \"\(w)\" in \(r.stderr)") }
        #expect(r.stderr.hasPrefix("tickets: error: import: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fresh.dbPath), "\(c.label): a failed import left a database file")
        // Into a database with a ticket: the same refusal, and not a byte of it changes.
        let existing = Self.harness(config: c.config)
        _ = existing.open("Already here")
        let before = ImportFixture.snapshot(existing)
        let again = existing.agent(["import", existing.write("hostile.json", file)])
        #expect(again.code == 65 && again.stderr == r.stderr, "\(again.stderr)")
        #expect(ImportFixture.snapshot(existing) == before)
    }

    /// The edges of the same rules are accepted, so the refusals above are about the rule.
    @Test(arguments: [
        HostileImport(label: "the export itself", edit: .none, words: []),
        HostileImport(label: "ticket id 2^53-1", edit: .text(#"{"id":2,"subject":"Second""#, #"{"id":9007199254740991,"subject":"Second""#), words: []),
        // The reply event names its message (message_id): both change together.
        HostileImport(label: "message id 2^53-1", edit: .each([.text(#"{"id":7,"author""#, #"{"id":9007199254740991,"author""#),
                                                              .text(#""message_id":7,"#, #""message_id":9007199254740991,"#)]),
                      words: []),
        HostileImport(label: "attachment id 2^53-1", edit: .text(#"{"id":2,"name":"shot.png""#, #"{"id":9007199254740991,"name":"shot.png""#), words: []),
        HostileImport(label: "event id 2^53-1", edit: .text(#"{"id":10,"actor""#, #"{"id":9007199254740991,"actor""#), words: []),
        set("subject of 500 characters", 0, ["subject"], json(repeated("a", 500)), []),
        set("subject of 500 characters in 2,000 bytes", 0, ["subject"], json(repeated("😀", 500)), []),
        set("name of 200 characters", 0, ["requester", "name"], json(repeated("a", 200)), []),
        set("email of 200 characters", 0, ["requester", "email"], json(repeated("a", 188) + "@example.com"), []),
        set("department of 200 characters", 0, ["department"], json(repeated("d", 200)), []),
        set("an event by the system", 0, ["events", "1", "actor"], system, []),
        set("five attachments", 0, ["messages", "0", "attachments"],
            "[" + (1...5).map { ImportFixture.attachment(id: 100 + $0, name: "build\($0).log", bytes: ImportFixture.log) }
                .joined(separator: ",") + "]", []),
        attach("a Chinese file name", name: "日志.log", []),
        set("an old event without field, old_value and new_value", 0, ["events", "3", "field"], nil, []),
    ])
    func theEdgesOfTheRulesImport(_ c: HostileImport) throws {
        let file = try ImportFixture.applying(c.edit)
        let h = Harness()
        let r = h.agent(["import", h.write("edge.json", file)])
        #expect(r.code == 0, "\(c.label): \(r.stderr)")
        #expect(r.stdout == "imported 4 tickets, skipped 0 existing\n")
        #expect(h.ticketCount() == 4)
    }

    // MARK: - Each key once, at every depth

    struct DuplicateKey: Sendable, CustomTestStringConvertible {
        let label: String
        let anchor: String
        let insert: String
        let key: String
        let ticket: Int
        var testDescription: String { label }
    }

    static let duplicateKeys: [DuplicateKey] = [
        .init(label: "ticket: subject", anchor: #""subject":"Second","#, insert: #""subject":"Other","#, key: "subject", ticket: 2),
        .init(label: "ticket: id with the same value", anchor: #""subject":"Second","#, insert: #""id":2,"#, key: "id", ticket: 2),
        .init(label: "ticket: subject spelled with an escape", anchor: #""subject":"Second","#,
              insert: #""\u0073ubject":"Second","#, key: "subject", ticket: 2),
        .init(label: "ticket: the 41st member (hashed keys)", anchor: #""subject":"Second","#,
              insert: (0..<40).map { "\"k\($0)\":0," }.joined() + #""k3":1,"#, key: "k3", ticket: 2),
        .init(label: "requester: name", anchor: #""requester":{"name":"Alice Example","#, insert: #""name":"Eve","#,
              key: "name", ticket: 1),
        .init(label: "rating: stars", anchor: #""stars":4,"#, insert: #""stars":5,"#, key: "stars", ticket: 2),
        .init(label: "message: body", anchor: #""body":"Done","#, insert: #""body":"Done","#, key: "body", ticket: 2),
        .init(label: "message author: name", anchor: #""author":{"name":"tickets","#, insert: #""name":"tickets","#,
              key: "name", ticket: 3),
        .init(label: "attachment: name", anchor: #""name":"shot.png","#, insert: #""name":"shot.png","#, key: "name", ticket: 1),
        .init(label: "attachment: data", anchor: "\"data\":\"" + Data(onePixelPNG).base64EncodedString() + "\"",
              insert: #","data":"""#, key: "data", ticket: 1),
        .init(label: "event: action", anchor: #""action":"cancel","#, insert: #""action":"cancel","#, key: "action", ticket: 4),
        .init(label: "event actor: name", anchor: #"{"id":13,"actor":{"name":"Alice Example","#, insert: #""name":"Alice","#,
              key: "name", ticket: 4),
    ]

    /// The file with the key inserted, and where the second copy's opening quote is.
    static func duplicated(_ d: DuplicateKey) throws -> (file: String, line: Int, column: Int) {
        let file = try ImportFixture.applying(.insert(after: d.anchor, d.insert))
        let anchor = try #require(ImportFixture.export.range(of: d.anchor))
        let before = ImportFixture.export[..<anchor.upperBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        let inInsert = d.insert.range(of: "\"\(d.key)\"", options: .backwards).map { d.insert.distance(from: d.insert.startIndex, to: $0.lowerBound) } ?? 0
        return (file, line, before[lineStart...].unicodeScalars.count + inInsert + 1)
    }

    @Test(arguments: duplicateKeys)
    func aKeyTwiceInOneObjectIsRefusedWhereItIs(_ d: DuplicateKey) throws {
        let (file, line, column) = try Self.duplicated(d)
        let h = Harness()
        let r = h.agent(["import", h.write("twice.json", file)])
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr.contains("duplicate key '\(d.key)'"), "\(r.stderr)")
        #expect(r.stderr.contains("at line \(line), column \(column)"), "expected line \(line), column \(column): \(r.stderr)")
        #expect(r.stderr.contains("nothing was imported"))
        #expect(!FileManager.default.fileExists(atPath: h.dbPath))
        // The same object without the copy imports: the key is the only fault.
        #expect(Harness().agent(["import", h.write("once.json", ImportFixture.export)]).code == 0)
    }

    /// SPEC §5: "anything else is refused (65) naming the ticket". A duplicate key is
    /// reported by line and column only; the ticket whose object holds it (its id came
    /// first) is not named.
    @Test(arguments: duplicateKeys)
    func aKeyTwiceNamesItsTicket(_ d: DuplicateKey) throws {
        let (file, _, _) = try Self.duplicated(d)
        let h = Harness()
        let r = h.agent(["import", h.write("twice.json", file)])
        #expect(r.code == 65)
        #expect(r.stderr.contains("ticket #\(d.ticket)"), "the ticket is not named: \(r.stderr)")
    }

    /// Keys that a lookup cannot tell apart are one key: é written precomposed and decomposed.
    @Test func canonicallyEqualKeysAreOneKey() throws {
        let file = try ImportFixture.applying(.insert(after: #""subject":"Second","#, "\"caf\u{E9}\":1,\"cafe\u{301}\":2,"))
        let h = Harness()
        let r = h.agent(["import", h.write("nfc.json", file)])
        #expect(r.code == 65)
        #expect(r.stderr.contains("duplicate key"), "\(r.stderr)")
        #expect(r.stderr.contains("line 3,"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: h.dbPath))
    }

    // MARK: - Collisions with the database

    /// New tickets #50, #51 and #52 made from #1 of the export, every id moved out of the
    /// way and no dedupe key; `change` then spoils the last one.
    static func newTickets(_ change: ([String: Any]) -> [String: Any]) throws -> String {
        let tickets = try #require(try JSONSerialization.jsonObject(with: Data(ImportFixture.export.utf8)) as? [[String: Any]])
        var lines = [String]()
        for n in 0..<3 {
            var t = tickets[0]
            t["id"] = 50 + n
            t["dedupe_key"] = NSNull()
            let shift = 1000 * (n + 1)
            t["messages"] = (t["messages"] as! [[String: Any]]).map { m in
                var m = m
                m["id"] = (m["id"] as! Int) + shift
                m["attachments"] = (m["attachments"] as! [[String: Any]]).map { a in
                    var a = a
                    a["id"] = (a["id"] as! Int) + shift
                    return a
                }
                return m
            }
            t["events"] = (t["events"] as! [[String: Any]]).map { e in
                var e = e
                e["id"] = (e["id"] as! Int) + shift
                return e
            }
            if n == 2 { t = change(t) }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: t), as: UTF8.self))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [
        ("message id of #1", ["messages", "1", "id"], 3, "ticket #52: message id 3 is already used by ticket #1 in the database"),
        ("message id of #2", ["messages", "1", "id"], 7, "ticket #52: message id 7 is already used by ticket #2 in the database"),
        ("the system message of #3", ["messages", "0", "id"], 6, "ticket #52: message id 6 is already used by ticket #3 in the database"),
        ("attachment id of #1", ["messages", "0", "attachments", "1", "id"], 2,
         "ticket #52: attachment id 2 is already used by ticket #1 in the database"),
        ("event id of #4", ["events", "0", "id"], 13, "ticket #52: event id 13 is already used by ticket #4 in the database"),
        ("event id of #2", ["events", "2", "id"], 10, "ticket #52: event id 10 is already used by ticket #2 in the database"),
        ("dedupe key of active #1", ["dedupe_key"], "ci:1",
         "ticket #52: its dedupe key 'ci:1' is carried by active ticket #1 of the same requester in the database"),
        ("dedupe key of #1, requester in capitals", ["requester", "email"], "ALICE@Example.COM",
         "ticket #52: its dedupe key 'ci:1' is carried by active ticket #1 of the same requester in the database"),
    ] as [(String, [String], any Sendable, String)])
    func aCollisionWithTheDatabaseNamesTheExactTicket(label: String, path: [String], value: any Sendable, words: String) throws {
        let file = try Self.newTickets { t in
            var t = ImportFixture.setting(t, path[...], to: value) as! [String: Any]
            if path == ["requester", "email"] { t["dedupe_key"] = "ci:1" }
            return t
        }
        let h = ImportFixture.database()
        let before = ImportFixture.snapshot(h)
        let r = h.agent(["import", h.write("new.ndjson", file)])
        #expect(r.code == 65, "\(label): \(r.stderr)")
        #expect(r.stderr.contains(words), "\(label): \(r.stderr)")
        #expect(r.stderr.contains("nothing was imported"))
        #expect(ImportFixture.snapshot(h) == before, "\(label): the database changed")
        #expect(h.agent(["show", "50"]).code == 66, "the clean tickets before it came in")
    }

    /// A dedupe key is taken only by an active ticket of the same requester.
    @Test(arguments: [("closed", "carol@example.com"), ("open", "carol@example.com"), ("closed", "alice@example.com")])
    func aDedupeKeyOfAClosedTicketOrAnotherRequesterImports(status: String, requester: String) throws {
        let file = try Self.newTickets { t in
            var t = t
            t["dedupe_key"] = "ci:1"
            t["status"] = status
            t["closed_at"] = status == "closed" ? "2026-11-01T00:00:00Z" : NSNull()
            t["assignee"] = NSNull()
            t["requester"] = ["name": "Someone", "email": requester]
            return t
        }
        let h = ImportFixture.database()
        let r = h.agent(["import", h.write("new.ndjson", file)])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "imported 3 tickets, skipped 0 existing\n")
        #expect(try h.field(52, "dedupe_key") as? String == "ci:1")
    }
}
