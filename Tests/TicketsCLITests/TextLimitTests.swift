import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract F: limits in characters AND bytes. A subject is one line of at most 500
/// characters and 2,000 bytes; a name, department, service or email at most 200
/// characters and 800 bytes; on open, reply (--cc) and edit. Too long from a flag is 65;
/// TICKETS_NAME/TICKETS_EMAIL (or the config) too long is 78. Nothing is stored.
struct TextLimitTests {
    static let zalgo = "Z" + repeated("\u{301}", 40_000)

    /// (subject, accepted)
    static let subjects: [Labeled<(text: String, ok: Bool)>] = [
        Labeled("500 ASCII characters", (repeated("a", 500), true)),
        Labeled("501 ASCII characters", (repeated("a", 501), false)),
        Labeled("500 CJK characters (1,500 bytes)", (repeated("打", 500), true)),
        Labeled("501 CJK characters", (repeated("打", 501), false)),
        Labeled("500 emoji of 4 bytes (2,000 bytes)", (repeated("😀", 500), true)),
        Labeled("501 emoji of 4 bytes", (repeated("😀", 501), false)),
        Labeled("250 skin-toned emoji (2,000 bytes)", (repeated("👍🏽", 250), true)),
        Labeled("251 skin-toned emoji (2,008 bytes, 251 characters)", (repeated("👍🏽", 251), false)),
        Labeled("500 e + combining acute (1,500 bytes)", (repeated("e\u{301}", 500), true)),
        Labeled("501 e + combining acute", (repeated("e\u{301}", 501), false)),
        Labeled("Z + 40,000 combining accents (one character)", (zalgo, false)),
        Labeled("a + 700 combining accents (one character, 1,401 bytes)", ("a" + repeated("\u{301}", 700), true)),
        Labeled("a + 1,000 combining accents (one character, 2,001 bytes)", ("a" + repeated("\u{301}", 1000), false)),
        Labeled("80 family emoji ZWJ sequences (80 characters, 2,000 bytes)", (repeated("👨‍👩‍👧‍👦", 80), true)),
        Labeled("81 family emoji ZWJ sequences (81 characters, 2,025 bytes)", (repeated("👨‍👩‍👧‍👦", 81), false)),
        Labeled("LF inside", ("Printer\non fire", false)),
        Labeled("CR inside", ("Printer\ron fire", false)),
        Labeled("CRLF inside", ("Printer\r\non fire", false)),
        Labeled("U+2028 LINE SEPARATOR", ("Printer\u{2028}on fire", false)),
        Labeled("U+2029 PARAGRAPH SEPARATOR", ("Printer\u{2029}on fire", false)),
        Labeled("U+0085 NEXT LINE", ("Printer\u{85}on fire", false)),
        Labeled("vertical tab", ("Printer\u{0B}on fire", false)),
        Labeled("form feed", ("Printer\u{0C}on fire", false)),
        Labeled("trailing LF", ("Printer on fire\n", false)),
    ]

    static func subjectCommands(_ subject: String) -> [(args: [String], agent: Bool)] {
        [(["open", "-s", subject, "-m", "x", "-q"], false),
         (["edit", "1", "-s", subject], false),
         (["edit", "1", "-s", subject], true)]
    }

    @Test(arguments: subjects)
    func subjectLimits(c: Labeled<(text: String, ok: Bool)>) throws {
        for (args, agent) in Self.subjectCommands(c.value.text) {
            let h = Harness()
            _ = h.open("Before")
            let before = h.snapshot(1)
            let r = agent ? h.agent(args) : h.run(args)
            if c.value.ok {
                #expect(r.code == 0, "\(args[0]): \(r.stderr.prefix(300))")
            } else {
                #expect(r.code == 65, "\(args[0]) \(agent ? "(agent)" : ""): \(r.stderr.prefix(300))")
                #expect(r.stderr.contains("subject"), "\(r.stderr.prefix(300))")
                #expect(h.snapshot(1) == before)
                #expect(h.ticketCount() == 1)
            }
        }
    }

    static let email200 = repeated("a", 188) + "@example.com"
    static let email201 = repeated("a", 189) + "@example.com"

    /// (the value of a short field, accepted)
    static let shortValues: [Labeled<(text: String, ok: Bool)>] = [
        Labeled("200 ASCII characters", (repeated("n", 200), true)),
        Labeled("201 ASCII characters", (repeated("n", 201), false)),
        Labeled("200 é (400 bytes)", (repeated("é", 200), true)),
        Labeled("201 é", (repeated("é", 201), false)),
        Labeled("200 emoji (800 bytes)", (repeated("😀", 200), true)),
        Labeled("201 emoji", (repeated("😀", 201), false)),
        Labeled("150 skin-toned emoji (1,200 bytes)", (repeated("👍🏽", 150), false)),
        Labeled("N + 500 combining accents (one character, 1,001 bytes)", ("N" + repeated("\u{301}", 500), false)),
        Labeled("Z + 40,000 combining accents", (zalgo, false)),
    ]

    /// --name on open and --service on open and edit.
    @Test(arguments: shortValues)
    func nameAndServiceLimits(c: Labeled<(text: String, ok: Bool)>) throws {
        let cases: [(args: [String], agent: Bool, what: String)] = [
            (["open", "-s", "S", "-m", "x", "--name", c.value.text, "-q"], false, "name"),
            (["open", "-s", "S", "-m", "x", "--service", c.value.text, "-q"], false, "service"),
            (["edit", "1", "--service", c.value.text], true, "service"),
        ]
        for (args, agent, what) in cases {
            let h = Harness()
            _ = h.open("Before")
            let before = h.snapshot(1)
            let r = agent ? h.agent(args) : h.run(args)
            if c.value.ok {
                #expect(r.code == 0, "\(args[0]) --\(what): \(r.stderr.prefix(300))")
            } else {
                #expect(r.code == 65, "\(args[0]) --\(what): \(r.stderr.prefix(300))")
                #expect(r.stderr.contains(what), "\(r.stderr.prefix(300))")
                #expect(h.snapshot(1) == before)
                #expect(h.ticketCount() == 1)
            }
        }
    }

    /// TICKETS_NAME too long is configuration (78) naming the variable; so is the config's name.
    @Test(arguments: shortValues)
    func nameFromTheEnvironmentOrConfig(c: Labeled<(text: String, ok: Bool)>) throws {
        let h = Harness()
        let r = h.run(["open", "-s", "S", "-m", "x", "-q"], env: ["TICKETS_NAME": c.value.text])
        #expect(r.code == (c.value.ok ? 0 : 78), "\(r.stderr.prefix(300))")
        if !c.value.ok { #expect(r.stderr.contains("TICKETS_NAME"), "\(r.stderr.prefix(300))") }
        let config = h.write("config", "name = \(c.value.text)\n")
        h.env["TICKETS_NAME"] = nil
        let fromConfig = h.run(["open", "-s", "S", "-m", "x", "-q"], env: ["TICKETS_CONFIG": config])
        #expect(fromConfig.code == (c.value.ok ? 0 : 78), "\(fromConfig.stderr.prefix(300))")
        #expect(h.ticketCount() == (c.value.ok ? 2 : 0))
    }

    /// Emails: 200 characters pass, 201 are refused everywhere an address is stored.
    static let emailCases: [Labeled<(args: [String], agent: Bool)>] = [
        Labeled("open --email", (["open", "-s", "S", "-m", "x", "--email", "EMAIL", "-q"], false)),
        Labeled("open --cc", (["open", "-s", "S", "-m", "x", "--cc", "EMAIL", "-q"], false)),
        Labeled("open --cc in a comma list", (["open", "-s", "S", "-m", "x", "--cc", "b@example.com, EMAIL", "-q"], false)),
        Labeled("reply --cc (requester)", (["reply", "1", "-m", "x", "--cc", "EMAIL"], false)),
        Labeled("reply --cc (agent)", (["reply", "1", "-m", "x", "--cc", "EMAIL"], true)),
        Labeled("edit --add-cc (requester)", (["edit", "1", "--add-cc", "EMAIL"], false)),
        Labeled("edit --add-cc (agent)", (["edit", "1", "--add-cc", "EMAIL"], true)),
        Labeled("assign --to", (["assign", "1", "--to", "EMAIL"], true)),
    ]

    @Test(arguments: emailCases, [true, false])
    func emailLimits(c: Labeled<(args: [String], agent: Bool)>, fits: Bool) throws {
        let h = Harness()
        _ = h.open("Before")
        let before = h.snapshot(1)
        let email = fits ? Self.email200 : Self.email201
        let args = c.value.args.map { $0.replacing("EMAIL", with: email) }
        let r = c.value.agent ? h.agent(args) : h.run(args)
        if fits {
            #expect(r.code == 0, "\(r.stderr)")
        } else {
            #expect(r.code == 65, "\(email.count) characters accepted: \(r.stderr)")
            #expect(h.snapshot(1) == before, "the ticket changed")
            #expect(h.ticketCount() == 1, "a ticket was opened")
        }
    }

    @Test(arguments: [true, false])
    func emailFromTheEnvironmentOrConfig(fits: Bool) throws {
        let h = Harness()
        let email = fits ? Self.email200 : Self.email201
        let r = h.run(["open", "-s", "S", "-m", "x", "-q"], env: ["TICKETS_EMAIL": email])
        #expect(r.code == (fits ? 0 : 78), "\(r.stderr)")
        if !fits { #expect(r.stderr.contains("TICKETS_EMAIL")) }
        let config = h.write("config", "email = \(email)\n")
        h.env["TICKETS_EMAIL"] = nil
        let fromConfig = h.run(["open", "-s", "S", "-m", "x", "-q"], env: ["TICKETS_CONFIG": config])
        #expect(fromConfig.code == (fits ? 0 : 78), "\(fromConfig.stderr)")
        #expect(h.ticketCount() == (fits ? 2 : 0))
    }

    /// A department is a short field too: one longer than 200 characters is never stored,
    /// whether the config lists it (78) or open/edit are given it (65).
    @Test(arguments: [200, 201, 400])
    func departmentLimits(length: Int) throws {
        let h = Harness()
        _ = h.open("Before")
        let department = repeated("d", length)
        let config = h.write("config", "departments = other, \(department)\n")
        let env = ["TICKETS_CONFIG": config]
        let opened = h.run(["open", "-s", "S", "-m", "x", "-d", department, "-q"], env: env)
        let edited = h.agentEnv(["edit", "1", "-d", department], env: env)
        if length <= 200 {
            #expect(opened.code == 0, "\(opened.stderr)")
            #expect(edited.code == 0, "\(edited.stderr)")
        } else {
            #expect([65, 78].contains(opened.code), "a \(length)-character department was accepted by open")
            #expect([65, 78].contains(edited.code), "a \(length)-character department was accepted by edit")
            #expect(try h.field(1, "department") as? String == "other")
            #expect(h.ticketCount() == 1)
        }
    }

    /// The config's default_department is held to the same limit.
    @Test func aLongDefaultDepartmentIsNotStored() throws {
        let h = Harness()
        let department = repeated("d", 201)
        let config = h.write("config", "departments = other, \(department)\ndefault_department = \(department)\n")
        let r = h.run(["open", "-s", "S", "-m", "x", "-q"], env: ["TICKETS_CONFIG": config])
        #expect([65, 78].contains(r.code), "a 201-character default department was stored")
        #expect(h.ticketCount() == 0)
    }
}
