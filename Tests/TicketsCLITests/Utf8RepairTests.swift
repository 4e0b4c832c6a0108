import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract G: bytes that are not UTF-8. Names, subjects and services are stored with
/// U+FFFD and a warning on stderr; an email with bad bytes is not an address: 65 from a
/// flag, 78 from the environment or the config.
struct Utf8RepairTests {
    /// Bad byte sequences: a stray continuation byte, 0xFF, a truncated euro sign, an
    /// overlong encoding, a UTF-16 surrogate.
    static let badBytes: [Labeled<[UInt8]>] = [
        Labeled("0xFF", [0xFF]),
        Labeled("lone continuation 0x80", [0x80]),
        Labeled("truncated E2 82", [0xE2, 0x82]),
        Labeled("overlong C0 AF", [0xC0, 0xAF]),
        Labeled("surrogate ED A0 80", [0xED, 0xA0, 0x80]),
    ]

    static func arg(_ s: String) -> Argument { Argument(s) }
    static func bad(_ before: String, _ bytes: [UInt8], _ after: String) -> Argument {
        Argument(raw: Array(before.utf8) + bytes + Array(after.utf8))
    }
    static func repaired(_ before: String, _ bytes: [UInt8], _ after: String) -> String {
        String(decoding: Array(before.utf8) + bytes + Array(after.utf8), as: UTF8.self)
    }

    enum Field: String, Sendable { case subject, name, service }

    struct Repair: Sendable, CustomTestStringConvertible {
        let label: String
        let args: @Sendable ([UInt8]) -> [Argument]
        let agent: Bool
        let field: Field
        let value: @Sendable ([UInt8]) -> String
        /// What the warning names.
        let source: String
        var testDescription: String { label }
    }

    static let repairs: [Repair] = [
        Repair(label: "open --subject", args: { ["open", "-s"].map(arg) + [bad("Bad", $0, "!")] + ["-m", "x"].map(arg) },
               agent: false, field: .subject, value: { repaired("Bad", $0, "!") }, source: "--subject"),
        Repair(label: "open --name", args: { ["open", "-s", "S", "-m", "x", "--name"].map(arg) + [bad("Ann", $0, "e")] },
               agent: false, field: .name, value: { repaired("Ann", $0, "e") }, source: "--name"),
        Repair(label: "open --service", args: { ["open", "-s", "S", "-m", "x", "--service"].map(arg) + [bad("vpn", $0, "-eu")] },
               agent: false, field: .service, value: { repaired("vpn", $0, "-eu") }, source: "--service"),
        Repair(label: "edit -s (requester)", args: { ["edit", "1", "-s"].map(arg) + [bad("New", $0, "")] },
               agent: false, field: .subject, value: { repaired("New", $0, "") }, source: "--subject"),
        Repair(label: "edit --service (agent)", args: { ["edit", "1", "--service"].map(arg) + [bad("mail", $0, "")] },
               agent: true, field: .service, value: { repaired("mail", $0, "") }, source: "--service"),
    ]

    static func value(_ h: Harness, _ id: Int, _ field: Field) throws -> String? {
        let t = try h.agent(["show", "\(id)", "--json"]).jsonObject()
        switch field {
        case .subject: return t["subject"] as? String
        case .service: return t["service"] as? String
        case .name: return (t["requester"] as? [String: Any])?["name"] as? String
        }
    }

    @Test(arguments: repairs, badBytes)
    func storedWithReplacementAndAWarning(c: Repair, bytes: Labeled<[UInt8]>) throws {
        let h = Harness()
        _ = h.open("Before")
        var env = [String: String]()
        if c.agent { env = ["TICKETS_ROLE": "agent", "TICKETS_EMAIL": "bob@support.example"] }
        let r = h.runRaw(c.args(bytes.value), env: env)
        try #require(r.code == 0, "\(r.stderr)")
        let id = c.args(bytes.value)[0].text == "open" ? 2 : 1
        let stored = try Self.value(h, id, c.field)
        #expect(stored == c.value(bytes.value))
        #expect(stored?.unicodeScalars.contains("\u{FFFD}") == true)
        #expect(r.stderr.contains("warning") && r.stderr.contains(c.source) && r.stderr.contains("U+FFFD"), "\(r.stderr)")
    }

    @Test(arguments: badBytes)
    func ticketsNameIsRepairedWithAWarning(bytes: Labeled<[UInt8]>) throws {
        let h = Harness()
        let name = Self.repaired("Bad", bytes.value, "name")
        let r = h.runRaw(["open", "-s", "S", "-m", "x"].map(Self.arg), env: ["TICKETS_NAME": name], invalidUTF8: ["TICKETS_NAME"])
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try Self.value(h, 1, .name) == name)
        #expect(r.stderr.contains("warning") && r.stderr.contains("TICKETS_NAME"), "\(r.stderr)")
    }

    @Test(arguments: badBytes)
    func configNameIsRepairedWithAWarning(bytes: Labeled<[UInt8]>) throws {
        let h = Harness()
        h.env["TICKETS_NAME"] = nil
        let config = h.file("config", Array("# mine\nname = Bad".utf8) + bytes.value + Array("name\n".utf8))
        let r = h.run(["open", "-s", "S", "-m", "x"], env: ["TICKETS_CONFIG": config])
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try Self.value(h, 1, .name) == Self.repaired("Bad", bytes.value, "name"))
        #expect(r.stderr.contains("warning") && r.stderr.contains("line 2") && r.stderr.contains("U+FFFD"), "\(r.stderr)")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let args: @Sendable ([UInt8]) -> [Argument]
        let agent: Bool
        var testDescription: String { label }
    }

    static let emailRefusals: [Refusal] = [
        Refusal(label: "open --email", args: { ["open", "-s", "S", "-m", "x", "--email"].map(arg) + [bad("k", $0, "@example.com")] }, agent: false),
        Refusal(label: "open --cc", args: { ["open", "-s", "S", "-m", "x", "--cc"].map(arg) + [bad("k", $0, "@example.com")] }, agent: false),
        Refusal(label: "open --cc, the bad address second in a list", args: { ["open", "-s", "S", "-m", "x", "--cc"].map(arg) + [bad("good@example.com, k", $0, "@example.com")] }, agent: false),
        Refusal(label: "open --cc, the bad bytes in the domain", args: { ["open", "-s", "S", "-m", "x", "--cc"].map(arg) + [bad("k@ex", $0, "ample.com")] }, agent: false),
        Refusal(label: "reply --cc", args: { ["reply", "1", "-m", "x", "--cc"].map(arg) + [bad("k", $0, "@example.com")] }, agent: false),
        Refusal(label: "reply --cc (agent)", args: { ["reply", "1", "-m", "x", "--cc"].map(arg) + [bad("k", $0, "@example.com")] }, agent: true),
        Refusal(label: "edit --add-cc", args: { ["edit", "1", "--add-cc"].map(arg) + [bad("k", $0, "@example.com")] }, agent: false),
        Refusal(label: "edit --remove-cc", args: { ["edit", "1", "--remove-cc"].map(arg) + [bad("k", $0, "@example.com")] }, agent: true),
        Refusal(label: "assign --to", args: { ["assign", "1", "--to"].map(arg) + [bad("kim", $0, "@support.example")] }, agent: true),
        Refusal(label: "list --requester", args: { ["list", "--requester"].map(arg) + [bad("alice", $0, "@example.com")] }, agent: true),
    ]

    @Test(arguments: emailRefusals, badBytes)
    func anEmailFlagWithBadBytesIs65(c: Refusal, bytes: Labeled<[UInt8]>) throws {
        let h = Harness()
        _ = h.open("Before", ["--cc", "k@example.com"])
        let before = h.snapshot(1)
        var env = [String: String]()
        if c.agent { env = ["TICKETS_ROLE": "agent", "TICKETS_EMAIL": "bob@support.example"] }
        let r = h.runRaw(c.args(bytes.value), env: env)
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr.contains("not valid UTF-8"), "\(r.stderr)")
        #expect(h.snapshot(1) == before)
        #expect(h.ticketCount() == 1)
    }

    @Test(arguments: badBytes)
    func ticketsEmailWithBadBytesIs78(bytes: Labeled<[UInt8]>) throws {
        let h = Harness()
        let email = Self.repaired("alice", bytes.value, "@example.com")
        for args in [["open", "-s", "S", "-m", "x"], ["list"], ["show", "1"]] {
            let r = h.runRaw(args.map(Self.arg), env: ["TICKETS_EMAIL": email], invalidUTF8: ["TICKETS_EMAIL"])
            #expect(r.code == 78, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("TICKETS_EMAIL"), "\(r.stderr)")
        }
        #expect(h.ticketCount() == 0)
    }

    @Test(arguments: badBytes)
    func configEmailWithBadBytesIs78(bytes: Labeled<[UInt8]>) throws {
        let h = Harness()
        h.env["TICKETS_EMAIL"] = nil
        let config = h.file("config", Array("email = alice".utf8) + bytes.value + Array("@example.com\r\n".utf8))
        let r = h.run(["open", "-s", "S", "-m", "x"], env: ["TICKETS_CONFIG": config])
        #expect(r.code == 78, "\(r.stderr)")
        #expect(r.stderr.contains(config), "names the file: \(r.stderr)")
        #expect(h.ticketCount() == 0)
    }

    // MARK: - The built binary, raw bytes through /bin/sh

    static func binaryEnv(_ dir: String) -> [String: String] {
        ["HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state", "TICKETS_DB": dir + "/t.db",
         "TICKETS_NAME": "Alice", "TICKETS_EMAIL": "alice@example.com", "TICKETS_NOW": "2026-11-22T10:00:00Z",
         "PATH": "/usr/bin:/bin"]
    }

    @Test(arguments: [
        // (script, exit code, stdout fragment, stderr fragment)
        ("\"$BIN\" open -s \"$(printf 'Bad\\377!')\" -m x --json", 0, "\"subject\":\"Bad\u{FFFD}!\"", "--subject"),
        ("\"$BIN\" open -s S -m x --name \"$(printf 'Ann\\377e')\" --json", 0, "\"name\":\"Ann\u{FFFD}e\"", "--name"),
        ("\"$BIN\" open -s S -m x --service \"$(printf 'vpn\\300\\257')\" --json", 0, "\"service\":\"vpn\u{FFFD}\u{FFFD}\"", "--service"),
        ("TICKETS_NAME=\"$(printf 'Bad\\377name')\" \"$BIN\" open -s S -m x --json", 0, "\"name\":\"Bad\u{FFFD}name\"", "TICKETS_NAME"),
        ("\"$BIN\" open -s S -m x --email \"$(printf 'k\\377@example.com')\"", 65, "", "--email"),
        ("\"$BIN\" open -s S -m x --cc \"$(printf 'a@example.com,k\\377@example.com')\"", 65, "", "--cc"),
        ("TICKETS_EMAIL=\"$(printf 'k\\377@example.com')\" \"$BIN\" open -s S -m x", 78, "", "TICKETS_EMAIL"),
    ] as [(String, Int32, String, String)])
    func theBuiltBinaryWithRawBytes(script: String, code: Int32, out: String, err: String) throws {
        let dir = NSTemporaryDirectory() + "tickets-utf8-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Shell.run(script, env: Self.binaryEnv(dir), dir: dir)
        #expect(r.code == code, "\(r.stderr)")
        #expect(out.isEmpty || r.stdout.contains(out), "\(r.stdout)")
        #expect(r.stderr.contains(err), "\(r.stderr)")
        if code != 0 { #expect(r.stdout.isEmpty) }
    }
}
