import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Notifications through the commands with Debian's msmtp as `sendmail`, delivering over
/// SMTP to the small server on 127.0.0.1 (Tests/Support/smtp_sink.py, one session per
/// run), which reads what arrived with Python's strict parser. Skipped without msmtp or
/// python3, failing under CI=true.
@Suite(.enabled(if: ShellSupport.runs("msmtp") && ShellSupport.runs("python3"), "needs msmtp and python3 (skipped without them, required under CI=true)"))
struct MsmtpCommandTests {
    typealias Received = MailDeliveryEndToEndTests.Received

    static func expectArrived(_ got: Received, subject: String, text: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(got.mail_from == "help@support.example", sourceLocation: sourceLocation)
        #expect(got.rcpt_to == ["alice@example.com"], sourceLocation: sourceLocation)
        #expect(got.wire_crlf_only == true, sourceLocation: sourceLocation)
        let parsed = try #require(got.parsed, sourceLocation: sourceLocation)
        #expect(parsed.defects.isEmpty && parsed.headers.allSatisfy { $0.defects.isEmpty }, sourceLocation: sourceLocation)
        #expect(parsed.reencoded_same && parsed.crlf_same, sourceLocation: sourceLocation)
        #expect(parsed.headers.map(\.name) == MailLab.headerNames, sourceLocation: sourceLocation)
        #expect(parsed.header("From")?.value == MailLab.fromHeader, sourceLocation: sourceLocation)
        #expect(parsed.header("To")?.mailboxes == ["alice@example.com"], sourceLocation: sourceLocation)
        #expect(parsed.header("To")?.rfc2047_names == ["Alice Example"], sourceLocation: sourceLocation)
        #expect(parsed.header("Subject")?.value == subject, sourceLocation: sourceLocation)
        #expect(parsed.header("Auto-Submitted")?.value == "auto-generated", sourceLocation: sourceLocation)
        #expect(parsed.header("In-Reply-To")?.value == "<ticket-1@support.example>", sourceLocation: sourceLocation)
        #expect(parsed.header("Message-ID")?.value.hasPrefix("<ticket-1.event-1.") == true, sourceLocation: sourceLocation)
        #expect(parsed.body.contains("\n" + text + "\n"), sourceLocation: sourceLocation)
    }

    @Test func anOpenIsDeliveredByMsmtp() throws {
        let lab = MailLab(agents: [])
        var result: Harness.Result?
        let (said, got) = try MailDeliveryEndToEndTests.session { command in
            lab.writeConfig(sendmail: command)
            let r = lab.alice(["open", "-s", "打印机坏了 — printer on fire", "-m", "Der Drucker brennt.\n.\nStill.", "--json"])
            result = r
            return r.stderr.isEmpty ? nil : r.stderr
        }
        #expect(said == nil)
        let r = try #require(result)
        #expect(r.code == 0)
        #expect(try r.jsonObject()["id"] as? Int == 1)
        try Self.expectArrived(got, subject: "[#1] 打印机坏了 — printer on fire", text: "Der Drucker brennt.\n.\nStill.")
        #expect(try lab.queued().isEmpty)
    }

    @Test func aRefusingServerLeavesTheEmailForTicketsNotify() throws {
        let lab = MailLab(agents: [])
        var result: Harness.Result?
        let (_, refused) = try MailDeliveryEndToEndTests.session(tempfail: true) { command in
            lab.writeConfig(sendmail: command)
            result = lab.alice(["open", "-s", "Printer on fire", "-m", "It is on fire.", "-q"])
            return nil
        }
        let r = try #require(result)
        #expect(r.code == 0)
        #expect(r.stdout == "1\n")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: warning: 1 notification email could not be delivered ("))
        #expect(r.stderr.contains("451 4.3.0 sink is full, try again later"), "\(r.stderr)")
        #expect(refused.data == nil)
        let queue = try lab.queued()
        #expect(queue.count == 1)
        #expect(queue.first?.lastError?.contains("451 4.3.0 sink is full") == true)
        var notify: Harness.Result?
        let (_, got) = try MailDeliveryEndToEndTests.session { command in
            lab.writeConfig(sendmail: command)
            notify = lab.h.run(["notify", "--json"])
            return nil
        }
        let n = try #require(notify)
        #expect(n.code == 0, "\(n.stderr)")
        let rows = try n.jsonArray()
        #expect(rows.count == 1)
        #expect(rows.first?["status"] as? String == "sent")
        #expect(rows.first?["message_id"] as? String == queue.first?.messageID)
        try Self.expectArrived(got, subject: "[#1] Printer on fire", text: "It is on fire.")
        #expect(got.parsed?.header("Message-ID")?.value == queue.first?.messageID)
        #expect(got.data == String(decoding: queue.first?.bytes ?? [], as: UTF8.self), "msmtp passes the queued bytes on unchanged")
        #expect(try lab.queued().isEmpty)
    }
}
