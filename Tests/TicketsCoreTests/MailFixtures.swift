import Foundation
import Testing
@testable import TicketsCore

/// A notification as the integrator will build one, with every part overridable, and
/// the shape checks every rendered email must pass whatever went into it.
enum MailFixtures {
    static let domain = "support.example"
    static let root = "<ticket-42@support.example>"
    static let time = Timestamp.parse("2026-11-22T10:00:00Z")!

    static func message(subject: String = "Printer on fire", action: EventAction = .reply,
                        actor: Person = Person(name: "Bob Agent", email: "bob@support.example"),
                        text: String? = "Have you tried turning it off?",
                        from: Mailbox = Mailbox(name: "Example Support", address: "help@support.example"),
                        to: [Mailbox] = [Mailbox(name: "Alice Example", address: "alice@example.com"),
                                         Mailbox(address: "carol@example.com")],
                        earlier: [String] = [], ticketID: Int64 = 42) -> MailMessage {
        MailMessage(from: from, to: to, ticketID: ticketID, subject: subject, action: action, actor: actor,
                    text: text, time: time, messageID: "<ticket-\(ticketID).event-7.0123456789abcdef@support.example>",
                    threadRoot: "<ticket-\(ticketID)@support.example>", earlier: earlier)
    }

    /// What holds for any email we render: 7-bit, LF line ends only, lines within
    /// limits, encoded-words within RFC 2047 §2 and decodable one by one (§5).
    static func checkShape(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(bytes.allSatisfy { $0 < 0x80 }, "not 7-bit", sourceLocation: sourceLocation)
        #expect(!bytes.contains(0x0D), "a CR", sourceLocation: sourceLocation)
        #expect(!bytes.contains(0x00), "a NUL", sourceLocation: sourceLocation)
        #expect(bytes.last == 0x0A, sourceLocation: sourceLocation)
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard let blank = lines.firstIndex(of: "") else {
            Issue.record("no blank line after the headers", sourceLocation: sourceLocation)
            return
        }
        for line in lines[..<blank] {
            // Only a word that cannot be split (an address, a Message-ID) may run past 76.
            let words = line.split(separator: " ")
            #expect(line.utf8.count <= 76 || words.count <= 2 && !line.contains("=?"),
                    "header line of \(line.utf8.count): \(line)", sourceLocation: sourceLocation)
            #expect(line.utf8.count <= 998, sourceLocation: sourceLocation)
            for word in words where word.hasPrefix("=?") {
                #expect(word.utf8.count <= 76, "encoded-word too long: \(word)", sourceLocation: sourceLocation)
                let body = word.trimmingCharacters(in: CharacterSet(charactersIn: ","))
                #expect(body.hasPrefix("=?utf-8?b?") && body.hasSuffix("?="), "\(word)", sourceLocation: sourceLocation)
                #expect(body.utf8.count <= 75, "encoded-word over 75: \(body)", sourceLocation: sourceLocation)
                let payload = body.dropFirst(10).dropLast(2)
                let decoded = Base64.decode(Array(payload.utf8))
                #expect(decoded.flatMap { String(validating: $0, as: UTF8.self) } != nil,
                        "encoded-word is not whole UTF-8 on its own: \(word)", sourceLocation: sourceLocation)
            }
        }
        #expect(lines[..<blank].first.map { !$0.hasPrefix(" ") } ?? false, sourceLocation: sourceLocation)
        for line in lines[(blank + 1)...] {
            #expect(line.utf8.count <= 76, "body line of \(line.utf8.count)", sourceLocation: sourceLocation)
            #expect(line.last != " " && line.last != "\t", "trailing white space in QP", sourceLocation: sourceLocation)
        }
    }

    /// The strict parse plus the checks that hold for every email: no defect anywhere,
    /// not multipart, UTF-8 text, survives re-encoding and CRLF conversion.
    static func parse(_ rendered: RenderedMail, sourceLocation: SourceLocation = #_sourceLocation) throws -> StrictMailParser.Parsed {
        checkShape(rendered.bytes, sourceLocation: sourceLocation)
        let p = try StrictMailParser.parse(rendered.bytes)
        #expect(p.allDefects.isEmpty, "\(p.allDefects)", sourceLocation: sourceLocation)
        #expect(!p.multipart, sourceLocation: sourceLocation)
        #expect(p.content_type == "text/plain" && p.charset == "utf-8", sourceLocation: sourceLocation)
        #expect(p.reencoded_same && p.crlf_same, "\(p.differences)", sourceLocation: sourceLocation)
        return p
    }

    static let headerNames = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
                              "Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]
}

extension StrictMailParser.Header {
    /// The header's mailboxes are exactly these. Names are compared as RFC 2047 §6.2
    /// decodes them; the strict parser's own reading must agree too, except for the
    /// spaces it adds between the encoded-words of a name too long for one (45 bytes).
    func expectMailboxes(_ expected: [(name: String, address: String)], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(addresses?.map(\.address) == expected.map(\.address), sourceLocation: sourceLocation)
        #expect(rfc2047_names == expected.map(\.name), sourceLocation: sourceLocation)
        for (got, want) in zip(addresses ?? [], expected) {
            if want.name.utf8.count <= 45 {
                #expect(got.name == want.name, sourceLocation: sourceLocation)
            } else {
                #expect(got.name.filter { $0 != " " } == want.name.filter { $0 != " " }, sourceLocation: sourceLocation)
            }
        }
    }
}
