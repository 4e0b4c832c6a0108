import Foundation
import Testing
@testable import TicketsCore

/// Rendered notifications (SPEC §9) read back by an independent strict parser.
@Suite(.enabled(if: StrictMailParser.runs, "needs python3 (skipped without it, required under CI=true)"))
struct MailMessageTests {
    @Test func aReplyHasEveryHeaderTheContractNames() throws {
        let p = try MailFixtures.parse(try MailFixtures.message().render())
        #expect(p.names == MailFixtures.headerNames)
        p.header("From")?.expectMailboxes([("Example Support", "help@support.example")])
        p.header("To")?.expectMailboxes([("Alice Example", "alice@example.com"), ("", "carol@example.com")])
        #expect(p.value("Subject") == "[#42] Printer on fire")
        #expect(p.value("Date") == "Sun, 22 Nov 2026 10:00:00 +0000")
        #expect(p.header("Date")?.datetime == "2026-11-22T10:00:00+00:00")
        #expect(p.value("Message-ID") == "<ticket-42.event-7.0123456789abcdef@support.example>")
        #expect(p.value("In-Reply-To") == MailFixtures.root)
        #expect(p.value("References") == MailFixtures.root)
        #expect(p.value("Auto-Submitted") == "auto-generated")
        #expect(p.value("MIME-Version") == "1.0")
        #expect(p.value("Content-Transfer-Encoding") == "quoted-printable")
        #expect(p.body.hasPrefix("Bob Agent replied to ticket #42 on 2026-11-22 10:00 UTC.\nSubject: Printer on fire\n"))
        #expect(p.body.contains("\nHave you tried turning it off?\n"))
        #expect(p.body.contains("tickets reply 42 -m \"...\""))
        #expect(p.body.contains("tickets show 42"))
    }

    @Test(arguments: [
        "Printer on fire",
        "打印机坏了，无法连接网络",
        "プリンターが壊れました",
        "프린터가 고장났습니다",
        "Drucker kaputt: Größe ändern schlägt fehl",
        "Build failed 🔥👩‍💻🇺🇦 again 👍🏽",
        String(repeating: "very long subject words ", count: 20).trimmingCharacters(in: .whitespaces),
        String(repeating: "x", count: 300),
        String(repeating: "打印机", count: 160),
        String(repeating: "🔥", count: 120),
        "mixed ASCII and 中文 and emoji 🎉 in a subject that goes on well past one line of header",
        "tab\there",
        "  leading and trailing  ",
        "double  spaces",
        "=?utf-8?q?not_an_encoded_word?=",
        "price =? 5",
        "quote \" and backslash \\ and (comment) <angle> ; , :",
        "",
    ])
    func subjectDecodesBackExactly(subject: String) throws {
        let p = try MailFixtures.parse(try MailFixtures.message(subject: subject).render())
        #expect(p.value("Subject") == "[#42] " + HeaderText.clean(subject) || subject.isEmpty && p.value("Subject") == "[#42]")
        #expect(p.body.contains("Subject: " + HeaderText.clean(subject) + "\n"))
    }

    @Test func aLongASCIISubjectFoldsAtSpacesAndStaysPlain() throws {
        let subject = String(repeating: "printer ", count: 30) + "end"
        let rendered = try MailFixtures.message(subject: subject).render()
        let text = String(decoding: rendered.bytes, as: UTF8.self)
        #expect(!text.contains("=?"))
        let subjectLines = text.split(separator: "\n").drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 3)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 76 })
        #expect(try MailFixtures.parse(rendered).value("Subject") == "[#42] " + subject)
    }

    @Test func threadingNamesTheRootAndTheNewestEmails() throws {
        let earlier = (1...14).map { "<ticket-42.event-\($0).00000000000000\(String(format: "%02d", $0))@support.example>" }
        let p = try MailFixtures.parse(try MailFixtures.message(earlier: earlier).render())
        #expect(p.value("In-Reply-To") == earlier.last)
        let refs = p.value("References")!.split(separator: " ").map(String.init)
        #expect(refs == [MailFixtures.root] + earlier.suffix(9))
    }

    @Test func everyEmailOfATicketHangsUnderOneRoot() throws {
        var earlier = [String]()
        for (i, action) in [EventAction.open, .reply, .reply, .close, .reopen].enumerated() {
            var m = MailFixtures.message(action: action, earlier: earlier)
            m.messageID = try MessageID.make(ticketID: 42, eventID: Int64(i + 1), domain: MailFixtures.domain)
            let p = try MailFixtures.parse(try m.render())
            #expect(p.value("References")?.split(separator: " ").first.map(String.init) == MailFixtures.root)
            #expect(p.value("In-Reply-To") == (earlier.last ?? MailFixtures.root))
            earlier.append(m.messageID)
        }
    }

    @Test func messageIDsAreValidAndUnique() throws {
        var seen = Set<String>()
        for i in 0..<2000 {
            let id = try MessageID.make(ticketID: 42, eventID: 7, domain: "support.example")
            #expect(MessageID.isValid(id), "\(id)")
            #expect(seen.insert(id).inserted, "repeated after \(i): \(id)")
        }
        #expect(try MessageID.make(ticketID: 9_007_199_254_740_991, eventID: 3, domain: "a.example", random: 0xAB)
            == "<ticket-9007199254740991.event-3.00000000000000ab@a.example>")
        #expect(try MessageID.threadRoot(ticketID: 42, domain: "support.example") == MailFixtures.root)
        for bad in ["", "support example", "support..example", ".example", "例子.中国", "a@b", "[1.2.3.4]", "x\r\ny"] {
            #expect(throws: TicketsError.self, "\(bad)") { try MessageID.make(ticketID: 1, eventID: 1, domain: bad) }
        }
        for bad in ["ticket@x", "<ticket>", "<a b@x>", "<a@b@c>", "<@x>", "<a@>", "<a..b@x>"] {
            #expect(!MessageID.isValid(bad), "\(bad)")
        }
        var m = MailFixtures.message()
        m.messageID = "<bad id@x>"
        #expect(throws: TicketsError.self) { try m.render() }
    }

    @Test(arguments: [
        "Have you tried turning it off?",
        String(repeating: "A log line with no end. ", count: 400),
        "trailing spaces   \nand tabs\t\t\nend",
        "From the start\nFrom here\n.\n..\n. dot\n",
        "equals = signs ==== and =3D already",
        "CRLF\r\nline ends\r\nand a bare\rCR and a NUL \u{0} in the text",
        "中文正文：打印机坏了。\n" + String(repeating: "很长的一行没有换行", count: 200),
        "emoji 👩‍👩‍👧‍👦🏳️‍🌈 and combining e\u{301}" + String(repeating: "👍🏽", count: 100),
        "\n\nblank lines around\n\n",
        "# Markdown\n\n```\ncode   \n```\n- item\n",
    ])
    func bodyTextSurvivesQuotedPrintable(text: String) throws {
        let p = try MailFixtures.parse(try MailFixtures.message(text: text).render())
        let expected = text.replacingOccurrences(of: "\r\n", with: "\n")
        let withEnd = expected.hasSuffix("\n") ? expected : expected + "\n"
        #expect(p.body.contains("\n\n" + withEnd + "\n-- \n"), "\(p.body.debugDescription)")
    }

    @Test func noTextMeansNoEmptyParagraph() throws {
        let p = try MailFixtures.parse(try MailFixtures.message(action: .close, text: nil).render())
        #expect(p.body.hasPrefix("Bob Agent closed ticket #42 on 2026-11-22 10:00 UTC.\nSubject: Printer on fire\n\n-- \n"))
        #expect(p.body.contains("tickets reopen 42"))
        #expect(!p.body.contains("tickets reply"))
    }

    @Test(arguments: EventAction.allCases)
    func everyActionRenders(action: EventAction) throws {
        let p = try MailFixtures.parse(try MailFixtures.message(action: action).render())
        #expect(p.body.contains("ticket #42") || p.body.contains("Ticket #42"))
        #expect(p.body.contains("tickets show 42"))
    }

    @Test func autoCloseExplainsItselfRatherThanNamingTheSystem() throws {
        let p = try MailFixtures.parse(try MailFixtures.message(action: .autoClose, actor: .system, text: nil).render())
        #expect(p.body.hasPrefix("Ticket #42 was closed automatically on 2026-11-22 10:00 UTC"))
    }

    @Test(arguments: [
        ("Alice Example", "Alice Example"),
        ("O'Brien, Pat", "O'Brien, Pat"),
        ("John Q. Public", "John Q. Public"),
        ("Say \"hi\" \\ bye", "Say \"hi\" \\ bye"),
        ("Zoë Ångström", "Zoë Ångström"),
        ("王小明", "王小明"),
        ("佐藤 太郎 (サポート)", "佐藤 太郎 (サポート)"),
        ("=?utf-8?q?Boss?=", "=?utf-8?q?Boss?="),
        ("  padded  ", "padded"),
        (String(repeating: "Very Long Name ", count: 12), String(repeating: "Very Long Name ", count: 12).trimmingCharacters(in: .whitespaces)),
        (String(repeating: "名", count: 150), String(repeating: "名", count: 150)),
        ("", ""),
    ])
    func displayNamesDecodeBack(name: String, shown: String) throws {
        let m = MailFixtures.message(from: Mailbox(name: name, address: "help@support.example"),
                                     to: [Mailbox(name: name, address: "alice@example.com"), Mailbox(name: name, address: "carol@example.com")])
        let p = try MailFixtures.parse(try m.render())
        p.header("From")?.expectMailboxes([(shown, "help@support.example")])
        p.header("To")?.expectMailboxes([(shown, "alice@example.com"), (shown, "carol@example.com")])
    }

    @Test func manyRecipientsFoldOneAddressList() throws {
        let to = (1...30).map { Mailbox(name: $0 % 3 == 0 ? "Person \($0)" : "", address: "person\($0)@example.com") }
        let rendered = try MailFixtures.message(to: to).render()
        let p = try MailFixtures.parse(rendered)
        #expect(p.header("To")?.addresses?.map(\.address) == to.map(\.address))
        #expect(rendered.recipients == to.map(\.address))
        #expect(rendered.skipped.isEmpty)
    }

    @Test func addressesAreWrittenAsAddrSpecs() throws {
        let odd = ["a.b+tag@example.com", "weird(local)@example.com", "a..b@example.com", "x\\y@example.com", "o'hara@example.com"]
        let p = try MailFixtures.parse(try MailFixtures.message(to: odd.map { Mailbox(address: $0) }).render())
        #expect(p.header("To")?.mailboxes == odd)
    }

    @Test func unwritableRecipientsAreLeftOutAndNamed() throws {
        let rendered = try MailFixtures.message(to: [Mailbox(address: "用户@例子.中国"), Mailbox(address: "alice@example.com"),
                                                     Mailbox(address: "no-at-sign"), Mailbox(address: "a@b..c")]).render()
        #expect(rendered.recipients == ["alice@example.com"])
        #expect(rendered.skipped == ["用户@例子.中国", "no-at-sign", "a@b..c"])
        #expect(try MailFixtures.parse(rendered).header("To")?.addresses?.map(\.address) == ["alice@example.com"])
        #expect(throws: TicketsError.self) { try MailFixtures.message(to: [Mailbox(address: "nobody")]).render() }
        #expect(throws: TicketsError.self) { try MailFixtures.message(to: []).render() }
        #expect(throws: TicketsError(.config, "notify_from 'not an address' is not an address a mail header can carry")) {
            try MailFixtures.message(from: Mailbox(address: "not an address")).render()
        }
    }

    @Test func renderingIsPure() throws {
        #expect(try MailFixtures.message().render() == MailFixtures.message().render())
    }
}
