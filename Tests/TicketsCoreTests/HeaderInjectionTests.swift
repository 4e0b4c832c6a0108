import Testing
@testable import TicketsCore

/// SPEC §9: no header can be forged from ticket text. Each vector goes into the subject,
/// the display names and the actor's name; the parsed email must have exactly the
/// headers we wrote, no Bcc, and the text shown inside the header it came in.
@Suite(.enabled(if: StrictMailParser.runs, "needs python3 (skipped without it, required under CI=true)"))
struct HeaderInjectionTests {
    static let vectors = [
        "x\r\nBcc: evil@x",
        "x\nBcc: evil@x",
        "x\rBcc: evil@x",
        "x\r\n\r\nbody takeover",
        "x\r\n Bcc: evil@x",
        "x\u{0}Bcc: evil@x",
        "x\u{85}Bcc: evil@x",
        "x\u{2028}Bcc: evil@x",
        "x\u{2029}Bcc: evil@x",
        "x\u{0B}\u{0C}\u{1C}\u{1D}\u{1E}Bcc: evil@x",
        "x\u{1B}[31mred\u{7F}",
        "=?utf-8?q?x=0D=0ABcc:_evil@x?=",
        "=?utf-8?b?eA0KQmNjOiBldmlsQHg=?=",
        "evil\u{202E}txt.exe",
        String(repeating: "\r\nBcc: evil@x", count: 40),
    ]

    @Test(arguments: vectors)
    func textCannotMakeAHeader(vector: String) throws {
        let m = MailFixtures.message(subject: vector, actor: Person(name: vector, email: "bob@support.example"),
                                     from: Mailbox(name: vector, address: "help@support.example"),
                                     to: [Mailbox(name: vector, address: "alice@example.com")])
        let rendered = try m.render()
        let p = try MailFixtures.parse(rendered)
        #expect(p.names == MailFixtures.headerNames)
        #expect(p.header("Bcc") == nil)
        #expect(p.value("Subject") == "[#42] " + HeaderText.clean(vector))
        let shown = HeaderText.clean(vector).trimmingWhitespace()
        p.header("From")?.expectMailboxes([(shown, "help@support.example")])
        p.header("To")?.expectMailboxes([(shown, "alice@example.com")])
        for h in p.headers {
            #expect(!h.value.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" },
                    "\(h.name) carries a control: \(h.value.debugDescription)")
        }
        // The body's first line names the actor: one line, whatever the name holds.
        #expect(p.body.split(separator: "\n").first?.hasSuffix("replied to ticket #42 on 2026-11-22 10:00 UTC.") == true)
        #expect(rendered.recipients == ["alice@example.com"])
    }

    @Test(arguments: vectors)
    func anAddressCarryingTextIsLeftOut(vector: String) throws {
        let m = MailFixtures.message(to: [Mailbox(address: "alice@example.com" + vector), Mailbox(address: vector + "@example.com"),
                                          Mailbox(address: "carol@example.com")])
        let rendered = try m.render()
        let p = try MailFixtures.parse(rendered)
        #expect(p.names == MailFixtures.headerNames)
        #expect(p.header("To")?.mailboxes == ["carol@example.com"])
        #expect(rendered.skipped.count == 2)
        #expect(throws: TicketsError.self) {
            try MailFixtures.message(from: Mailbox(address: "help@support.example" + vector)).render()
        }
    }

    @Test func cleaningShowsWhatWasThere() {
        #expect(HeaderText.clean("a\r\nb") == "a␍␊b")
        #expect(HeaderText.clean("a\u{0}b\u{7F}") == "a␀b␡")
        #expect(HeaderText.clean("a\u{85}b\u{2028}c\u{202E}") == "a<U+0085>b<U+2028>c<U+202E>")
        #expect(HeaderText.clean("plain ASCII") == "plain ASCII")
        #expect(HeaderText.clean("中文 🎉") == "中文 🎉")
    }
}
