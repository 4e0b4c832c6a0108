import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// A rendered notification through a real mail client: Debian's msmtp, as `sendmail`,
/// delivering over SMTP to a small server on 127.0.0.1 (Tests/Support/smtp_sink.py),
/// which reads what arrived with Python's strict email parser. No network beyond the
/// loopback. Skipped without msmtp or python3, failing under CI=true.
@Suite(.enabled(if: ShellSupport.runs("msmtp") && ShellSupport.runs("python3"), "needs msmtp and python3 (skipped without them, required under CI=true)"))
struct MailDeliveryEndToEndTests {
    static let sink = ShellSupport.repository.appendingPathComponent("Tests/Support/smtp_sink.py").path

    struct Received: Decodable {
        struct Header: Decodable {
            let name: String
            let value: String
            let defects: [String]
            let mailboxes: [String]?
            let rfc2047_names: [String]?
        }
        struct Parsed: Decodable {
            let defects: [String]
            let headers: [Header]
            let body: String
            let reencoded_same: Bool
            let crlf_same: Bool
            func header(_ name: String) -> Header? { headers.first { $0.name == name } }
        }
        let mail_from: String?
        let rcpt_to: [String]
        let commands: [String]
        let wire_crlf_only: Bool?
        let data: String?
        let parsed: Parsed?
    }

    /// Starts the SMTP sink, runs `deliver` with an msmtp command pointed at it, and
    /// returns what `deliver` said and what the sink received.
    static func session(tempfail: Bool = false, deliver: (String) -> String?) throws -> (String?, Received) {
        let python = try ShellSupport.require("python3")
        let msmtp = try ShellSupport.require("msmtp")
        let s = ChildScripts()
        let out = s.dir + "/received.json"
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = [sink, out] + (tempfail ? ["tempfail"] : [])
        let portPipe = Pipe()
        server.standardOutput = portPipe
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var portLine = Data()
        while !portLine.contains(0x0A) {
            let chunk = portPipe.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the SMTP sink did not start")
            portLine += chunk
        }
        let port = try #require(Int(String(decoding: portLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        // msmtp refuses a configuration file others may read.
        s.file("msmtprc", """
            defaults
            auth off
            tls off
            account default
            host 127.0.0.1
            port \(port)
            from help@support.example

            """, mode: 0o600)
        let said = deliver("\(msmtp) -C '\(s.dir)/msmtprc' -t -oi")
        server.waitUntilExit()
        let received = try JSONDecoder().decode(Received.self, from: try Data(contentsOf: URL(fileURLWithPath: out)))
        return (said, received)
    }

    @Test func aNotificationArrivesWhole() throws {
        let message = MailMessage(
            from: Mailbox(name: "Example Support", address: "help@support.example"),
            to: [Mailbox(name: "王小明", address: "xiaoming@example.com"), Mailbox(address: "carol@example.com"),
                 Mailbox(name: "Bob \"the agent\" Ågren", address: "bob@support.example")],
            ticketID: 42, subject: "打印机坏了 — printer broken 🔥 " + String(repeating: "and a long tail ", count: 6),
            action: .reply, actor: Person(name: "Bob Ågren", email: "bob@support.example"),
            text: "Please try this:\n.\n.hidden line\nFrom now on it works.\n" + String(repeating: "长", count: 600),
            time: Timestamp.parse("2026-11-22T10:00:00Z")!,
            messageID: try MessageID.make(ticketID: 42, eventID: 9, domain: "support.example"),
            threadRoot: try MessageID.threadRoot(ticketID: 42, domain: "support.example"),
            earlier: ["<ticket-42.event-1.00000000000000aa@support.example>"])
        let rendered = try message.render()
        let (said, got) = try Self.session { command in
            Sendmail.deliver(rendered.bytes, command: command, environment: ["PATH": "/usr/bin:/bin"], timeout: 30)
        }
        #expect(said == nil)
        #expect(got.mail_from == "help@support.example")
        #expect(got.rcpt_to == rendered.recipients)
        #expect(got.wire_crlf_only == true, "every line on the wire ends in CRLF, with no bare CR")
        // msmtp passes the message on unchanged: what arrived is what we rendered.
        #expect(got.data == String(decoding: rendered.bytes, as: UTF8.self))
        let parsed = try #require(got.parsed)
        #expect(parsed.defects.isEmpty && parsed.headers.allSatisfy { $0.defects.isEmpty })
        #expect(parsed.reencoded_same && parsed.crlf_same)
        #expect(parsed.header("Subject")?.value == "[#42] " + message.subject)
        #expect(parsed.header("To")?.mailboxes == rendered.recipients)
        #expect(parsed.header("To")?.rfc2047_names == ["王小明", "", "Bob \"the agent\" Ågren"])
        #expect(parsed.header("Message-ID")?.value == message.messageID)
        #expect(parsed.header("In-Reply-To")?.value == "<ticket-42.event-1.00000000000000aa@support.example>")
        #expect(parsed.header("Auto-Submitted")?.value == "auto-generated")
        #expect(parsed.header("Bcc") == nil)
        #expect(parsed.body.contains("\n\n" + message.text! + "\n\n-- \n"))
    }

    @Test func aRefusingServerIsAFailureWithItsReason() throws {
        let rendered = try MailMessage(
            from: Mailbox(address: "help@support.example"), to: [Mailbox(address: "alice@example.com")], ticketID: 7,
            subject: "Printer on fire", action: .close, actor: Person(name: "Bob", email: "bob@support.example"), text: nil,
            time: Timestamp(seconds: 0), messageID: "<ticket-7.event-1.0@support.example>",
            threadRoot: "<ticket-7@support.example>").render()
        let (said, got) = try Self.session(tempfail: true) { command in
            Sendmail.deliver(rendered.bytes, command: command, environment: ["PATH": "/usr/bin:/bin"], timeout: 30)
        }
        let why = try #require(said)
        #expect(why.contains("exited with status 69"))
        #expect(why.contains("451 4.3.0 sink is full, try again later"))
        #expect(!why.contains("\n"))
        #expect(got.data == nil)
    }
}
