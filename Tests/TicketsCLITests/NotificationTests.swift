import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Who hears of each change, and what the email says (SPEC §9), through the commands:
/// a fake sendmail saves every message and Python's strict parser reads it back.
@Suite(.enabled(if: StrictMailCheck.runs, "needs python3 (skipped without it, required under CI=true)"))
struct NotificationTests {
    static let alice = "alice@example.com", carol = "carol@example.com", bob = "bob@support.example"
    static let customers = [alice, carol]

    @Test func openConfirmsToTheRequesterAndCcAndTellsTheAgents() throws {
        let lab = MailLab()
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "It is on fire.\nSmoke everywhere.", "--cc", Self.carol, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        #expect(try r.jsonObject()["id"] as? Int == 1)
        let mails = try lab.newMails()
        #expect(mails.map(\.to) == [Self.customers, MailLab.agents])
        // The requester carries her name; the cc, given as a bare address, none.
        #expect(mails.first?.toNames == ["Alice Example", ""])
        for m in mails {
            #expect(m.subject == "[#1] Printer on fire")
            #expect(m.parsed.header("Date")?.datetime == "2026-11-22T10:00:00+00:00")
            #expect(m.body.contains("Alice Example opened ticket #1 on 2026-11-22 10:00 UTC."))
            #expect(m.body.contains("\nIt is on fire.\nSmoke everywhere.\n"))
            #expect(m.body.contains("tickets reply 1 -m"))
        }
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
        #expect(try lab.queued().isEmpty, "delivered emails leave the queue")
        // sendmail ran once per email, with the configured options.
        #expect(lab.text("sendmail.argv") == "-t -oi\n-t -oi\n")
    }

    @Test func anAgentsPublicReplyTellsTheRequesterAndCcOnly() throws {
        let lab = MailLab()
        let id = lab.open()
        _ = try lab.newMails()
        let r = lab.bob(["reply", "\(id)", "-m", "Unplug it.\nThen wait a minute."])
        #expect(r.code == 0, "\(r.stderr)")
        let mails = try lab.newMails()
        #expect(mails.map(\.to) == [Self.customers])
        #expect(mails.first?.subject == "[#1] Printer on fire")
        #expect(mails.first?.body.contains("Bob Agent replied to ticket #1") == true)
        #expect(mails.first?.body.contains("\nUnplug it.\nThen wait a minute.\n") == true)
        // A reply that copies someone new tells them too.
        #expect(lab.bob(["reply", "\(id)", "-m", "Dave knows printers.", "--cc", "dave@example.com"]).code == 0)
        #expect(try lab.newMails().map(\.to) == [Self.customers + ["dave@example.com"]])
        let all = try lab.allMails()
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func aRequesterReplyTellsTheAssigneeElseTheAgents() throws {
        let lab = MailLab()
        let id = lab.open()
        _ = try lab.newMails()
        // Nobody assigned: notify_agents, and neither the requester nor the other cc.
        #expect(lab.alice(["reply", "\(id)", "-m", "Any news?"]).code == 0)
        var mails = try lab.newMails()
        #expect(mails.map(\.to) == [MailLab.agents])
        #expect(mails.first?.body.contains("Alice Example replied to ticket #1") == true)
        #expect(mails.first?.body.contains("\nAny news?\n") == true)
        #expect(lab.carol(["reply", "\(id)", "-m", "Me too."]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [MailLab.agents])
        #expect(mails.first?.body.contains("Carol replied to ticket #1") == true)
        // Assigned: the assignee alone.
        #expect(lab.bob(["assign", "\(id)"]).code == 0)
        #expect(try lab.newMails().isEmpty, "an assignment tells nobody")
        #expect(lab.alice(["reply", "\(id)", "-m", "Still burning."]).code == 0)
        #expect(try lab.newMails().map(\.to) == [[Self.bob]])
        #expect(lab.carol(["reply", "\(id)", "-m", "Mine too."]).code == 0)
        #expect(try lab.newMails().map(\.to) == [[Self.bob]])
        #expect(lab.bob(["assign", "\(id)", "--to", "dana@support.example"]).code == 0)
        #expect(lab.alice(["reply", "\(id)", "-m", "Hello?"]).code == 0)
        #expect(try lab.newMails().map(\.to) == [["dana@support.example"]])
        // A deduplicated open is a requester reply: it goes where a reply goes.
        let first = lab.open("Nightly build failed", cc: [], extra: ["--dedupe-key", "ci-nightly"])
        #expect(try lab.newMails().map(\.to) == [[Self.alice], MailLab.agents])
        let again = lab.open("Nightly build failed", message: "Failed again.", cc: [], extra: ["--dedupe-key", "ci-nightly"])
        #expect(again == first)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [MailLab.agents])
        #expect(mails.first?.body.contains("\nFailed again.\n") == true)
        let all = try lab.allMails()
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func internalNotesReachNoRequesterOrCcEver() throws {
        // Carol, a cc, is also on notify_agents: a note still must not reach her.
        let lab = MailLab(agents: ["kim@support.example", Self.carol])
        let id = lab.open()
        #expect(try lab.newMails().map(\.to) == [Self.customers, ["kim@support.example"]])
        #expect(lab.bob(["reply", "\(id)", "--internal", "-m", "SECRET-1 the customer broke it"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        #expect(lab.kim(["reply", "\(id)", "--internal", "-m", "SECRET-2 agreed"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        // An agent's edit message is an internal note too.
        #expect(lab.bob(["edit", "\(id)", "-p", "high", "-m", "SECRET-3 raising it"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        #expect(lab.bob(["assign", "\(id)"]).code == 0)
        #expect(lab.bob(["reply", "\(id)", "--internal", "-m", "SECRET-4 mine now"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        #expect(lab.alice(["reply", "\(id)", "-m", "Hello?"]).code == 0)
        #expect(lab.bob(["reply", "\(id)", "-m", "Fixed it."]).code == 0)
        #expect(lab.bob(["close", "\(id)"]).code == 0)
        let later = try lab.newMails()
        #expect(later.map(\.to) == [[Self.bob], Self.customers, Self.customers])
        let all = try lab.allMails()
        for m in all {
            #expect(!m.body.contains("SECRET"), "\(m.to) was told of an internal note")
            #expect(!String(decoding: m.raw, as: UTF8.self).contains("SECRET"))
        }
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func closeReopenAndCancelTellTheRequesterAndCcButNotWhoActed() throws {
        let lab = MailLab()
        let one = lab.open()
        _ = try lab.newMails()
        #expect(lab.bob(["close", "\(one)", "-m", "Fixed it for you."]).code == 0)
        var mails = try lab.newMails()
        #expect(mails.map(\.to) == [Self.customers])
        #expect(mails.first?.body.contains("Bob Agent closed ticket #1") == true)
        #expect(mails.first?.body.contains("\nFixed it for you.\n") == true)
        #expect(mails.first?.body.contains("tickets reopen 1 -m") == true)
        // Alice acts: only Carol hears.
        #expect(lab.alice(["reopen", "\(one)", "-m", "It is not fixed."]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [[Self.carol]])
        #expect(mails.first?.body.contains("Alice Example reopened ticket #1") == true)
        #expect(mails.first?.body.contains("\nIt is not fixed.\n") == true)
        #expect(lab.alice(["close", "\(one)"]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [[Self.carol]])
        #expect(mails.first?.body.contains("Alice Example closed ticket #1") == true)
        #expect(lab.bob(["reopen", "\(one)"]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [Self.customers])
        #expect(mails.first?.body.contains("Bob Agent reopened ticket #1") == true)
        // Cancel, by the requester and by an agent.
        let two = lab.open("Wrong printer")
        _ = try lab.newMails()
        #expect(lab.alice(["cancel", "\(two)", "-m", "Found the plug."]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [[Self.carol]])
        #expect(mails.first?.subject == "[#2] Wrong printer")
        #expect(mails.first?.body.contains("Alice Example canceled ticket #2") == true)
        #expect(mails.first?.body.contains("\nFound the plug.\n") == true)
        let three = lab.open("Duplicate")
        _ = try lab.newMails()
        #expect(lab.bob(["cancel", "\(three)"]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [Self.customers])
        #expect(mails.first?.body.contains("Bob Agent canceled ticket #3") == true)
        // Nobody left once the actor is taken out: no email at all.
        let four = lab.open("Alone", cc: [])
        #expect(try lab.newMails().map(\.to) == [[Self.alice], MailLab.agents])
        #expect(lab.alice(["close", "\(four)"]).code == 0)
        #expect(lab.alice(["reopen", "\(four)"]).code == 0)
        #expect(lab.alice(["cancel", "\(four)"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        #expect(try lab.queued().isEmpty)
        let all = try lab.allMails()
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func theAutomaticCloseTellsTheRequesterAndCc() throws {
        let lab = MailLab(now: "2026-11-01T00:00:00Z")
        let id = lab.open()
        #expect(lab.bob(["reply", "\(id)", "-m", "Try turning it off."], env: ["TICKETS_NOW": "2026-11-01T01:00:00Z"]).code == 0)
        _ = try lab.newMails()
        // Cron runs it as whoever owns the crontab; the event's actor is the system.
        let r = lab.h.run(["close", "--stale", "--json"], env: ["TICKETS_NOW": "2026-11-09T00:00:00Z", "TICKETS_NAME": "Cron",
                                                              "TICKETS_EMAIL": "cron@support.example"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == [id])
        let mails = try lab.newMails()
        #expect(mails.map(\.to) == [Self.customers])
        let m = try #require(mails.first)
        #expect(m.subject == "[#1] Printer on fire")
        #expect(m.parsed.header("Date")?.datetime == "2026-11-09T00:00:00+00:00")
        #expect(m.body.contains("Ticket #1 was closed automatically on 2026-11-09 00:00 UTC"))
        #expect(m.body.contains("has had no new message for 7d"))
        #expect(m.body.contains("tickets reopen 1 -m"))
        let all = try lab.allMails()
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func assignEditMergeAndRateTellNobody() throws {
        let lab = MailLab()
        let one = lab.open()
        let two = lab.open("Printer smoking", cc: [])
        #expect(try lab.newMails().count == 4)
        #expect(lab.bob(["assign", "\(one)"]).code == 0)
        #expect(lab.bob(["edit", "\(one)", "-p", "urgent"]).code == 0)
        #expect(lab.alice(["edit", "\(one)", "-s", "Printer on fire in room 3", "--add-cc", "dave@example.com"]).code == 0)
        #expect(lab.bob(["merge", "\(two)", "--into", "\(one)"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        #expect(try lab.queued().isEmpty)
        // The edits are what the next email shows: the new subject, the new cc.
        #expect(lab.bob(["close", "\(one)"]).code == 0)
        let closed = try lab.newMails()
        #expect(closed.map(\.to) == [Self.customers + ["dave@example.com"]])
        #expect(closed.first?.subject == "[#1] Printer on fire in room 3")
        #expect(lab.alice(["rate", "\(one)", "5", "--review", "Quick"]).code == 0)
        #expect(try lab.newMails().isEmpty)
        let all = try lab.allMails()
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func anAgentOnNotifyAgentsWhoOpensGetsTheConfirmationOnce() throws {
        let lab = MailLab()
        let r = lab.kim(["open", "-s", "Server room too hot", "-m", "32 degrees.", "-q"])
        #expect(r.code == 0, "\(r.stderr)")
        let mails = try lab.newMails()
        #expect(mails.map(\.to) == [["kim@support.example"], ["lee@support.example"]])
        #expect(mails.first?.toNames == ["Kim Agent"])
        // Kim replies as the agent she is: the requester is herself, so nobody hears.
        #expect(lab.kim(["reply", "1", "-m", "Fan ordered."]).code == 0)
        #expect(try lab.newMails().isEmpty)
        #expect(lab.bob(["reply", "1", "-m", "Fan installed."]).code == 0)
        #expect(try lab.newMails().map(\.to) == [["kim@support.example"]])
        let all = try lab.allMails()
        MailLab.expectWellFormed(all)
        MailLab.expectThreaded(all)
    }

    @Test func aLongConversationIsOneThread() throws {
        let lab = MailLab()
        let id = lab.open()
        for i in 1...7 {
            #expect(lab.bob(["reply", "\(id)", "-m", "Answer \(i)."]).code == 0)
            #expect(lab.alice(["reply", "\(id)", "-m", "Question \(i)."]).code == 0)
        }
        let other = lab.open("Another printer")
        #expect(lab.bob(["reply", "\(other)", "-m", "Elsewhere."]).code == 0)
        let mails = try lab.allMails()
        #expect(mails.count == 2 + 14 + 2 + 1)
        #expect(mails.filter { $0.ticketID == 1 }.count == 16)
        // References keep the root and the newest nine: a header that does not grow forever.
        let last = try #require(mails.filter { $0.ticketID == 1 }.last)
        #expect(last.references.count == 10)
        #expect(last.references.first == "<ticket-1@support.example>")
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
    }

    @Test func oneAddressIsOnePersonWhateverItsCase() throws {
        let lab = MailLab(agents: ["Kim@Support.Example", "lee@support.example"])
        let id = lab.open(cc: ["ALICE@example.com", "carol@example.com", "Carol@Example.com"])
        var mails = try lab.newMails()
        #expect(mails.map(\.to) == [["alice@example.com", "carol@example.com"], ["Kim@Support.Example", "lee@support.example"]])
        #expect(lab.bob(["reply", "\(id)", "-m", "Hi."]).code == 0)
        #expect(try lab.newMails().map(\.to) == [["alice@example.com", "carol@example.com"]])
        // Kim, on notify_agents under another spelling, replying as a requester on her
        // own ticket: the other agents hear, she does not.
        #expect(lab.kim(["open", "-s", "My own", "-m", "x", "-q"]).code == 0)
        mails = try lab.newMails()
        #expect(mails.map(\.to) == [["kim@support.example"], ["lee@support.example"]])
        #expect(lab.kim(["reply", "2", "-m", "More."], env: ["TICKETS_ROLE": "requester"]).code == 0)
        #expect(try lab.newMails().map(\.to) == [["lee@support.example"]])
    }

    @Test func aSubjectOrNameOutsideASCIIIsEncodedAndDecodesBack() throws {
        let lab = MailLab()
        let subject = "打印机坏了 — printer on fire 🔥 " + String(repeating: "and a long tail ", count: 5) + "end"
        let r = lab.alice(["open", "-s", subject, "-m", "Der Drucker brennt — 火事だ!", "-q"],
                          env: ["TICKETS_NAME": "Zoë Ågren 王小明"])
        #expect(r.code == 0, "\(r.stderr)")
        let plain = "Printer  on   fire (two  spaces) " + String(repeating: "word ", count: 20) + "end"
        #expect(lab.alice(["open", "-s", plain, "-m", "Plain.", "-q"]).code == 0)
        let mails = try lab.newMails()
        #expect(mails.count == 4)
        #expect(mails.map(\.subject) == ["[#1] " + subject, "[#1] " + subject, "[#2] " + plain, "[#2] " + plain])
        #expect(mails.first?.toNames == ["Zoë Ågren 王小明"])
        #expect(mails.first?.body.contains("Zoë Ågren 王小明 opened ticket #1") == true)
        #expect(mails.first?.body.contains("\nDer Drucker brennt — 火事だ!\n") == true)
        #expect(mails.first?.body.contains("Subject: " + subject + "\n") == true)
        // The message itself is 7-bit: the text travels as quoted-printable UTF-8.
        for m in mails { #expect(m.raw.allSatisfy { $0 < 0x80 }, "\(m.file) has 8-bit bytes") }
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
    }
}

/// Ticket text cannot forge a header (SPEC §9): names with line breaks, subjects with
/// controls, encoded-word look-alikes and `Bcc:` attempts stay text inside their header.
@Suite(.enabled(if: StrictMailCheck.runs, "needs python3 (skipped without it, required under CI=true)"))
struct NotificationInjectionTests {
    static let alice = "alice@example.com"

    @Test(arguments: [
        ("Alice\r\nBcc: mallory@evil.example\r\nX-Forged: yes", "Alice␍␊Bcc: mallory@evil.example␍␊X-Forged: yes"),
        ("Alice\nBcc: mallory@evil.example", "Alice␊Bcc: mallory@evil.example"),
        ("Alice\rTo: mallory@evil.example", "Alice␍To: mallory@evil.example"),
        ("Alice\u{2028}Bcc: mallory@evil.example", "Alice<U+2028>Bcc: mallory@evil.example"),
        ("Alice\u{85}Bcc: mallory@evil.example", "Alice<U+0085>Bcc: mallory@evil.example"),
        ("=?utf-8?q?Eve=0D=0ABcc=3A_mallory=40evil.example?=", "=?utf-8?q?Eve=0D=0ABcc=3A_mallory=40evil.example?="),
        ("=?utf-8?b?RXZlDQpCY2M6IG1hbGxvcnlAZXZpbC5leGFtcGxl?=", "=?utf-8?b?RXZlDQpCY2M6IG1hbGxvcnlAZXZpbC5leGFtcGxl?="),
        ("Eve <mallory@evil.example>, Bcc: mallory@evil.example", "Eve <mallory@evil.example>, Bcc: mallory@evil.example"),
        ("\"Alice\\\" <mallory@evil.example>", "\"Alice\\\" <mallory@evil.example>"),
    ] as [(String, String)])
    func aRequesterNameCannotAddAHeader(name: String, shown: String) throws {
        let lab = MailLab()
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "It is on fire.", "-q"], env: ["TICKETS_NAME": name])
        #expect(r.code == 0, "\(r.stderr)")
        // The agent answers under an odd name too: it appears in the body only.
        #expect(lab.bob(["reply", "1", "-m", "On it."], env: ["TICKETS_NAME": name]).code == 0)
        let mails = try lab.newMails()
        #expect(mails.map(\.to) == [[Self.alice], MailLab.agents, [Self.alice]])
        #expect(mails[0].toNames == [shown])
        #expect(mails[0].parsed.header("To")?.addresses?.map(\.address) == [Self.alice])
        #expect(mails[2].toNames == [shown])
        #expect(mails[1].body.contains(shown + " opened ticket #1"))
        #expect(mails[2].body.contains(shown + " replied to ticket #1"))
        for m in mails {
            let raw = String(decoding: m.raw, as: UTF8.self)
            #expect(!raw.contains("\nBcc:") && !raw.contains("\nX-Forged") && !raw.contains("\r"))
            #expect(m.subject == "[#1] Printer on fire")
        }
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
    }

    @Test(arguments: [
        ("=?utf-8?q?Help=0D=0ABcc:_mallory@evil.example?=", "=?utf-8?q?Help=0D=0ABcc:_mallory@evil.example?="),
        ("Help =?utf-8?b?DQpCY2M6IG1hbGxvcnlAZXZpbC5leGFtcGxl?= now", "Help =?utf-8?b?DQpCY2M6IG1hbGxvcnlAZXZpbC5leGFtcGxl?= now"),
        ("Help\tBcc: mallory@evil.example", "Help␉Bcc: mallory@evil.example"),
        ("Help\u{1B}[2J\u{7F} Bcc: mallory@evil.example", "Help␛[2J␡ Bcc: mallory@evil.example"),
        ("Help \u{202E}elif\u{202C} Bcc: x", "Help <U+202E>elif<U+202C> Bcc: x"),
    ] as [(String, String)])
    func anEditedSubjectCannotAddAHeader(subject: String, shown: String) throws {
        let lab = MailLab()
        let id = lab.open()
        #expect(lab.alice(["edit", "\(id)", "-s", subject]).code == 0)
        #expect(lab.bob(["reply", "\(id)", "-m", "Answer."]).code == 0)
        let mails = try lab.newMails()
        #expect(mails.count == 3)
        let reply = try #require(mails.last)
        #expect(reply.to == [Self.alice, "carol@example.com"])
        #expect(reply.subject == "[#1] " + shown)
        #expect(reply.body.contains("Subject: " + shown + "\n"))
        let raw = String(decoding: reply.raw, as: UTF8.self)
        #expect(!raw.contains("\nBcc:"))
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
    }

    @Test func aSubjectWithALineBreakIsRefusedAndQueuesNothing() throws {
        let lab = MailLab()
        for subject in ["Help\r\nBcc: mallory@evil.example", "Help\nBcc: mallory@evil.example", "Help\u{2028}Bcc: x"] {
            let r = lab.alice(["open", "-s", subject, "-m", "x"])
            #expect(r.code == 65, "\(r.stderr)")
            #expect(r.stderr.contains("the subject must be one line"))
        }
        let id = lab.open()
        #expect(lab.alice(["edit", "\(id)", "-s", "Help\r\nBcc: mallory@evil.example"]).code == 65)
        #expect(try lab.newMails().map(\.subject) == ["[#1] Printer on fire", "[#1] Printer on fire"])
        #expect(try lab.queued().isEmpty)
    }

    @Test func headerLinesInAMessageStayInTheBody() throws {
        let lab = MailLab()
        let text = "Bcc: mallory@evil.example\nX-Forged: yes\n\n.\nFrom evil\n=?utf-8?q?=0D=0ABcc:_x@evil.example?="
        let id = lab.open(message: text)
        #expect(lab.bob(["reply", "\(id)", "-m", text]).code == 0)
        let mails = try lab.newMails()
        #expect(mails.count == 3)
        for m in mails {
            #expect(m.body.contains("\n" + text + "\n"))
        }
        MailLab.expectWellFormed(mails)
    }

    @Test func aCcAddressNoHeaderCanCarryIsLeftOutAndTheOthersStillHear() throws {
        let lab = MailLab()
        let forged = "=?utf-8?q?=0D=0ABcc=3A_mallory=40evil.example?=@example.com"
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "x", "--cc", forged, "--cc", "carol@example.com", "-q"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("cannot carry that address"), "\(r.stderr)")
        let mails = try lab.newMails()
        #expect(mails.map(\.to) == [[Self.alice, "carol@example.com"], MailLab.agents])
        for m in mails { #expect(!String(decoding: m.raw, as: UTF8.self).contains("mallory")) }
        MailLab.expectWellFormed(mails)
    }
}
