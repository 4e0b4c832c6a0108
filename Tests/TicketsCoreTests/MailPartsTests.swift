import Testing
@testable import TicketsCore

/// The pieces of a notification email, checked byte for byte against the RFCs.
struct MailPartsTests {
    @Test(arguments: [
        ("help@example.com", Mailbox(address: "help@example.com")),
        ("  Example Help <help@example.com> ", Mailbox(name: "Example Help", address: "help@example.com")),
        ("\"Help, Example\" <help@example.com>", Mailbox(name: "Help, Example", address: "help@example.com")),
        ("\"Say \\\"hi\\\"\" <help@example.com>", Mailbox(name: "Say \"hi\"", address: "help@example.com")),
        ("<help@example.com>", Mailbox(address: "help@example.com")),
        ("Zoë <zoe@example.com>", Mailbox(name: "Zoë", address: "zoe@example.com")),
    ])
    func notifyFromParses(text: String, mailbox: Mailbox) {
        #expect(Mailbox.parse(text) == mailbox)
    }

    @Test(arguments: ["", "help", "Help <>", "Help <help>", "help@example.com x", "Name <a b@example.com>",
                      "用户@例子.中国", "a@b..c", "help@example.com\r\nBcc: x@y"])
    func notifyFromRefuses(text: String) {
        #expect(Mailbox.parse(text) == nil)
    }

    @Test func addrSpecQuotesWhatIsNotADotAtom() {
        #expect(Mailbox.addrSpec("a.b+c@example.com") == "a.b+c@example.com")
        #expect(Mailbox.addrSpec("a(b)@example.com") == "\"a(b)\"@example.com")
        #expect(Mailbox.addrSpec(".a@example.com") == "\".a\"@example.com")
        #expect(Mailbox.addrSpec("a\\b@example.com") == "\"a\\\\b\"@example.com")
        #expect(Mailbox.addrSpec("a@b@example.com") == "\"a@b\"@example.com")
        #expect(Mailbox.addrSpec("a b@example.com") == nil)
        #expect(Mailbox.addrSpec("a@[127.0.0.1]") == nil)
        #expect(Mailbox.addrSpec(String(repeating: "a", count: 250) + "@x.io") == nil)
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 +0000"),
        ("1969-12-31T23:59:59Z", "Wed, 31 Dec 1969 23:59:59 +0000"),
        ("2000-02-29T12:34:56Z", "Tue, 29 Feb 2000 12:34:56 +0000"),
        ("2026-11-22T10:00:00Z", "Sun, 22 Nov 2026 10:00:00 +0000"),
        ("2026-11-22T10:00:00+09:00", "Sun, 22 Nov 2026 01:00:00 +0000"),
        ("2038-01-19T03:14:08Z", "Tue, 19 Jan 2038 03:14:08 +0000"),
    ])
    func dates(rfc3339: String, rfc5322: String) {
        #expect(Timestamp.parse(rfc3339)!.rfc5322 == rfc5322)
    }

    private func qp(_ s: String) -> String { String(decoding: QuotedPrintable.encode(s), as: UTF8.self) }

    @Test func quotedPrintableLines() {
        let seventySix = String(repeating: "a", count: 76)
        #expect(qp(seventySix) == seventySix + "\n")
        #expect(qp(seventySix + "b") == String(repeating: "a", count: 75) + "=\nab\n")
        #expect(qp("trailing  \ntab\t") == "trailing =20\ntab=09\n")
        #expect(qp("a=b") == "a=3Db\n")
        #expect(qp("From here\nnot From\n.\n.x") == "=46rom here\nnot From\n=2E\n=2Ex\n")
        #expect(qp("crlf\r\nbare\rcr\r") == "crlf\nbare=0Dcr=0D\n")
        #expect(qp("a\n\nb\n") == "a\n\nb\n")
        #expect(qp("") == "")
        #expect(qp("é") == "=C3=A9\n")
    }

    @Test func quotedPrintableKeepsAUTF8SequenceOnOneLine() {
        // 74 ASCII then a 3-byte character (9 encoded): it moves whole to the next line.
        let text = String(repeating: "a", count: 74) + "中b"
        #expect(qp(text) == String(repeating: "a", count: 74) + "=\n=E4=B8=ADb\n")
        for line in qp(String(repeating: "中", count: 100)).split(separator: "\n") {
            #expect(line.utf8.count <= 76)
            #expect(line.hasPrefix("=E4"))
        }
    }

    @Test func encodedWordsFillTheirLines() {
        var h = HeaderFolding(name: "Subject")
        h.add("[#1]")
        RFC2047.append(String(repeating: "é", count: 100), to: &h)
        let lines = String(decoding: h.field, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropFirst().allSatisfy { $0.utf8.count == 73 || $0 == lines.last })
    }

    @Test func aShortTextStaysInOneEncodedWord() {
        var h = HeaderFolding(name: "To")
        h.add(String(repeating: "x", count: 50))
        RFC2047.append("Zoë Ångström", to: &h)
        #expect(String(decoding: h.field, as: UTF8.self) == "To: " + String(repeating: "x", count: 50) + "\n =?utf-8?b?Wm/DqyDDhW5nc3Ryw7Zt?=\n")
    }
}
