import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `tickets merge ID... --into TARGET [-m TEXT]` (agents): the parsing table, the table of
/// refusals (each with nothing changed), the statuses, and what moves where.
@Suite struct MergeCommandTests {
    // MARK: Parsing

    struct Refusal: CustomStringConvertible, Sendable {
        let args: [String]
        let stderr: String
        var description: String { args.joined(separator: " ") }
    }

    static let usage: [Refusal] = [
        Refusal(args: ["merge"], stderr: "missing --into <id>: the ticket the others are merged into; usage: tickets merge <id>... --into <target> [-m <text>]"),
        Refusal(args: ["merge", "2"], stderr: "missing --into <id>"),
        Refusal(args: ["merge", "--into", "1"], stderr: "missing <id>; usage: tickets merge <id>... --into <target> [-m <text>]"),
        Refusal(args: ["merge", "2", "--into"], stderr: "option '--into' needs a value"),
        Refusal(args: ["merge", "2", "--into", "one"], stderr: "'one' is not a ticket id"),
        Refusal(args: ["merge", "2", "--into", "0"], stderr: "'0' is not a ticket id"),
        Refusal(args: ["merge", "two", "--into", "1"], stderr: "'two' is not a ticket id"),
        Refusal(args: ["merge", "2", "3x", "--into", "1"], stderr: "'3x' is not a ticket id"),
        Refusal(args: ["merge", "2", "--into", "1", "--force"], stderr: "unknown option '--force'"),
        Refusal(args: ["merge", "2", "--into", "1", "-m", "a", "-F", "f"], stderr: "give the message once"),
        Refusal(args: ["merge", "2", "--into", "1", "-e"], stderr: "-e needs a terminal"),
    ]

    @Test(arguments: usage)
    func usageErrors(c: Refusal) {
        let h = Harness()
        let r = h.run(["--agent"] + c.args)
        #expect(r.code == 64, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: error: "), "\(r.stderr)")
        #expect(r.stderr.contains(c.stderr), "\(r.stderr)")
        #expect(r.stderr.filter { $0 == "\n" }.count == 1, "one line: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileSystem.exists(h.dbPath), "a usage error writes nothing, not even the database file")
    }

    // MARK: Refusals: the code, and nothing changed

    /// The world of the refusal table: Alice's target T and source S (both open, Carol on
    /// cc), an answered ticket A, a closed and a canceled one.
    struct World {
        let h: Harness
        let t: Int, s: Int, a: Int, closed: Int, canceled: Int
        var all: [Int] { [t, s, a, closed, canceled] }
        init() {
            h = Harness()
            t = EM.aliceTicket(in: "open", h, subject: "Target")
            s = EM.aliceTicket(in: "open", h, subject: "Source")
            a = EM.aliceTicket(in: "answered", h, subject: "Answered")
            closed = EM.aliceTicket(in: "closed", h, subject: "Closed")
            canceled = EM.aliceTicket(in: "canceled", h, subject: "Canceled")
        }
    }

    struct RefusalCase: CustomStringConvertible, Sendable {
        let name: String
        let who: EM.Who
        /// The argv after `merge`, from the world.
        let args: @Sendable (World) -> [String]
        let code: Int32
        let stderr: @Sendable (World) -> String
        var description: String { name }
    }

    static let refusalCases: [RefusalCase] = [
        RefusalCase(name: "target among the sources", who: .agent, args: { ["\($0.s)", "\($0.t)", "--into", "\($0.t)"] },
                    code: 65, stderr: { "ticket #\($0.t) is both the target and a source" }),
        RefusalCase(name: "target into itself", who: .agent, args: { ["\($0.t)", "--into", "\($0.t)"] },
                    code: 65, stderr: { "ticket #\($0.t) is both the target and a source" }),
        RefusalCase(name: "closed target", who: .agent, args: { ["\($0.s)", "--into", "\($0.closed)"] },
                    code: 65, stderr: { "ticket #\($0.closed): cannot merge a ticket that is closed" }),
        RefusalCase(name: "canceled target", who: .agent, args: { ["\($0.s)", "--into", "\($0.canceled)"] },
                    code: 65, stderr: { "ticket #\($0.canceled): cannot merge a ticket that is canceled" }),
        RefusalCase(name: "closed source", who: .agent, args: { ["\($0.closed)", "--into", "\($0.t)"] },
                    code: 65, stderr: { "ticket #\($0.closed): cannot merge a ticket that is closed" }),
        RefusalCase(name: "canceled source", who: .agent, args: { ["\($0.canceled)", "--into", "\($0.t)"] },
                    code: 65, stderr: { "ticket #\($0.canceled): cannot merge a ticket that is canceled" }),
        RefusalCase(name: "good sources, a closed one in the middle", who: .agent,
                    args: { ["\($0.s)", "\($0.closed)", "\($0.a)", "--into", "\($0.t)"] },
                    code: 65, stderr: { "ticket #\($0.closed): cannot merge a ticket that is closed" }),
        RefusalCase(name: "good sources, a missing one in the middle", who: .agent,
                    args: { ["\($0.s)", "999", "\($0.a)", "--into", "\($0.t)"] },
                    code: 66, stderr: { _ in "no ticket #999" }),
        RefusalCase(name: "missing target", who: .agent, args: { ["\($0.s)", "--into", "999"] },
                    code: 66, stderr: { _ in "no ticket #999" }),
        RefusalCase(name: "missing beats closed", who: .agent, args: { ["\($0.closed)", "999", "--into", "\($0.canceled)"] },
                    code: 66, stderr: { _ in "no ticket #999" }),
        RefusalCase(name: "the requester of both", who: .requester, args: { ["\($0.s)", "--into", "\($0.t)"] },
                    code: 77, stderr: { "ticket #\($0.t): only an agent may merge tickets" }),
        RefusalCase(name: "a requester, closed tickets: 77 before 65", who: .requester,
                    args: { ["\($0.closed)", "--into", "\($0.canceled)"] },
                    code: 77, stderr: { _ in "only an agent may merge tickets" }),
        RefusalCase(name: "a requester, a missing ticket: 66 before 77", who: .requester, args: { ["999", "--into", "\($0.t)"] },
                    code: 66, stderr: { _ in "no ticket #999" }),
        RefusalCase(name: "someone on cc", who: .cc, args: { ["\($0.s)", "--into", "\($0.t)"] },
                    code: 77, stderr: { _ in "only an agent may merge tickets" }),
    ]

    @Test(arguments: refusalCases)
    func refusedWithNothingChanged(c: RefusalCase) {
        let w = World()
        let before = EM.snapshot(w.h, w.all)
        let r = EM.run(w.h, c.who, ["merge"] + c.args(w) + ["-m", "dup"])
        #expect(r.code == c.code, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: error: "))
        #expect(r.stderr.contains(c.stderr(w)), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(EM.snapshot(w.h, w.all) == before, "one transaction: a refusal changes nothing")
    }

    // MARK: Statuses

    struct StatusPair: CustomStringConvertible, Sendable {
        let target: String, source: String
        var description: String { "\(source) into \(target)" }
    }

    static let pairs = EM.activeStatuses.flatMap { t in EM.activeStatuses.map { StatusPair(target: t, source: $0) } }

    @Test(arguments: pairs)
    func theTargetKeepsItsStatusAndTheSourceCloses(p: StatusPair) throws {
        let h = Harness()
        let t = EM.aliceTicket(in: p.target, h, subject: "Target")
        let s = EM.aliceTicket(in: p.source, h, subject: "Source")
        let target = try EM.detail(h, t)
        let r = EM.run(h, .agent, ["merge", "\(s)", "--into", "\(t)", "--json"], at: "2026-11-23T09:00:00Z")
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["id"] as? Int == t, "prints the target")
        let after = try EM.detail(h, t)
        for key in ["subject", "status", "priority", "department", "assignee", "closed_at"] {
            #expect(EM.string(after, key) == EM.string(target, key), "\(key)")
        }
        #expect((after["requester"] as? [String: Any])?["email"] as? String == "alice@example.com")
        #expect(after["updated_at"] as? String == "2026-11-23T09:00:00Z")
        #expect(try EM.rows(h, t).last == "bob@support.example merge \(p.target)→\(p.target) merged_from: null → \(s)")
        let source = try EM.detail(h, s)
        #expect(source["status"] as? String == "closed")
        #expect(source["closed_at"] as? String == "2026-11-23T09:00:00Z")
        #expect(try EM.rows(h, s).last == "bob@support.example merge \(p.source)→closed merged_into: null → \(t)")
    }

    // MARK: What moves

    /// T (Alice, cc Dave), S1 (Alice, a dedupe key, an attachment, cc Erin and DAVE) and S2
    /// (Carol), with messages interleaved in time, merged at 10:00.
    struct Duplicates {
        let h: Harness
        let t: Int, s1: Int, s2: Int
        let merge: Harness.Result
        init(message: [String] = ["-m", "Same printer."]) {
            h = Harness()
            let log = h.write("printer.log", "paper jam at 09:09\n")
            t = EM.open(h, .requester, "Printer on fire", body: "T: it is on fire.", ["--cc", "dave@example.com"], at: "2026-11-22T09:00:00Z")
            s1 = EM.open(h, .requester, "Printer smoking", body: "S1: smoke, log attached.",
                         ["--dedupe-key", "printer-7", "-a", log, "--cc", "erin@example.com,DAVE@example.com"], at: "2026-11-22T09:10:00Z")
            EM.run(h, .agent, ["reply", "\(s1)", "--internal", "-m", "S1 note: probably a duplicate."], at: "2026-11-22T09:15:00Z")
            s2 = EM.open(h, .cc, "Printer on 3rd floor", body: "S2: Carol sees smoke too.", at: "2026-11-22T09:20:00Z")
            EM.run(h, .agent, ["reply", "\(t)", "-m", "T: unplug it."], at: "2026-11-22T09:30:00Z")
            EM.run(h, .cc, ["reply", "\(s2)", "-m", "S2: unplugged."], at: "2026-11-22T09:40:00Z")
            merge = EM.run(h, .agent, ["merge", "\(s1)", "\(s2)", "--into", "\(t)"] + message, at: "2026-11-22T10:00:00Z")
        }
    }

    @Test func messagesAttachmentsAndCCMoveIntoTheTargetInTimeOrder() throws {
        let d = Duplicates()
        #expect(d.merge.code == 0, "\(d.merge.stderr)")
        #expect(d.merge.stdout.hasPrefix("#\(d.t) Printer on fire\nStatus:     answered\n"), "prints the target: \(d.merge.stdout)")
        let t = try EM.detail(d.h, d.t)
        #expect(t["subject"] as? String == "Printer on fire")
        #expect(t["status"] as? String == "answered")
        #expect((t["requester"] as? [String: Any])?["email"] as? String == "alice@example.com")
        // Dave once (the email rule), Erin from S1's cc, Carol as S2's requester; Alice, S1's
        // requester, is the target's requester and is not added.
        #expect(t["cc"] as? [String] == ["dave@example.com", "erin@example.com", "carol@example.com"])
        let messages = try #require(t["messages"] as? [[String: Any]])
        #expect(messages.map { $0["body"] as? String } == [
            "T: it is on fire.", "S1: smoke, log attached.", "S1 note: probably a duplicate.", "S2: Carol sees smoke too.",
            "T: unplug it.", "S2: unplugged.",
        ])
        #expect(messages.map { $0["created_at"] as? String } == [
            "2026-11-22T09:00:00Z", "2026-11-22T09:10:00Z", "2026-11-22T09:15:00Z", "2026-11-22T09:20:00Z",
            "2026-11-22T09:30:00Z", "2026-11-22T09:40:00Z",
        ])
        #expect(messages.map { ($0["author"] as? [String: Any])?["email"] as? String } == [
            "alice@example.com", "alice@example.com", "bob@support.example", "carol@example.com", "bob@support.example",
            "carol@example.com",
        ])
        #expect(messages[2]["internal"] as? Bool == true)
        let attachments = try #require(messages[1]["attachments"] as? [[String: Any]])
        #expect(attachments.map { $0["name"] as? String } == ["printer.log"])
        #expect(attachments.first?["size"] as? Int == 19)
        // The attachment's bytes came along.
        let out = d.h.dir + "/saved"
        let saved = EM.run(d.h, .requester, ["show", "\(d.t)", "--save-attachments", out])
        #expect(saved.code == 0, "\(saved.stderr)")
        #expect(try String(contentsOfFile: out + "/printer.log", encoding: .utf8) == "paper jam at 09:09\n")
        // The table shows the same order.
        let shown = EM.run(d.h, .agent, ["show", "\(d.t)"]).stdout
        let order = ["T: it is on fire.", "S1: smoke", "S1 note", "S2: Carol sees", "T: unplug", "S2: unplugged"]
            .map { shown.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(shown)")
        #expect(shown.contains("[attachment] printer.log (19 B"))
    }

    @Test func eachSourceIsClosedWithASystemMessageNamingTheTarget() throws {
        let d = Duplicates()
        for s in [d.s1, d.s2] {
            let src = try EM.detail(d.h, s)
            #expect(src["status"] as? String == "closed")
            #expect(src["closed_at"] as? String == "2026-11-22T10:00:00Z")
            #expect(src["updated_at"] as? String == "2026-11-22T10:00:00Z")
            #expect(src["dedupe_key"] is NSNull)
            let messages = try #require(src["messages"] as? [[String: Any]])
            #expect(messages.count == 1, "every message moved; only the pointer stays: \(messages)")
            let m = try #require(messages.first)
            #expect(m["role"] as? String == "system")
            #expect(m["internal"] as? Bool == false)
            let body = m["body"] as? String ?? ""
            #expect(body.contains("merged into #\(d.t)"), "\(body)")
            #expect(body.hasSuffix("Same printer."), "-m is said there too: \(body)")
            #expect(m["created_at"] as? String == "2026-11-22T10:00:00Z")
            // The requester of each source still sees it and where it went.
            let who: EM.Who = s == d.s1 ? .requester : .cc
            let view = EM.run(d.h, who, ["show", "\(s)"])
            #expect(view.code == 0)
            #expect(view.stdout.contains("merged into #\(d.t)"))
        }
        #expect(try EM.rows(d.h, d.s1).last == "bob@support.example merge open→closed merged_into: null → \(d.t)")
        #expect(try EM.rows(d.h, d.s2).last == "bob@support.example merge open→closed merged_into: null → \(d.t)")
        #expect(try EM.rows(d.h, d.t).suffix(2) == [
            "bob@support.example merge answered→answered merged_from: null → \(d.s1)",
            "bob@support.example merge answered→answered merged_from: null → \(d.s2)",
        ])
    }

    @Test func aSourceFreesItsDedupeKey() throws {
        let d = Duplicates()
        // The key is free: a new report with it opens a new ticket...
        let again = EM.run(d.h, .requester, ["open", "-s", "Printer again", "-m", "x", "--dedupe-key", "printer-7", "--json"])
        #expect(again.code == 0, "\(again.stderr)")
        let fresh = try again.jsonObject()
        #expect(fresh["deduplicated"] as? Bool == false)
        #expect(fresh["dedupe_key"] as? String == "printer-7")
        let freshID = try #require(fresh["id"] as? Int)
        #expect(freshID != d.s1 && freshID != d.t)
        // ...and reopening the merged source is not blocked by the new holder of the key.
        let reopened = EM.run(d.h, .requester, ["reopen", "\(d.s1)"])
        #expect(reopened.code == 0, "\(reopened.stderr)")
    }

    @Test func withoutMessageTheSystemMessageStillNamesTheTarget() throws {
        let d = Duplicates(message: [])
        #expect(d.merge.code == 0, "\(d.merge.stderr)")
        let m = try #require(try EM.messages(d.h, d.s1).first)
        let body = m["body"] as? String ?? ""
        #expect(body.contains("#\(d.t)"))
        #expect(!body.contains("\n\n"), "no empty reason: \(body)")
    }

    @Test func theRequestersSeeTheWholeConversationButNoNotes() throws {
        let d = Duplicates()
        let alice = try EM.messages(d.h, d.t, as: .requester).map { $0["body"] as? String }
        #expect(alice == ["T: it is on fire.", "S1: smoke, log attached.", "S2: Carol sees smoke too.", "T: unplug it.", "S2: unplugged."])
        // Carol, S2's requester, is now on the target's cc: she sees it, replies, may not edit it.
        #expect(try EM.messages(d.h, d.t, as: .cc).map { $0["body"] as? String } == alice)
        #expect(EM.run(d.h, .cc, ["reply", "\(d.t)", "-m", "Carol again."]).code == 0)
        #expect(EM.run(d.h, .cc, ["edit", "\(d.t)", "-s", "mine now"]).code == 77)
        #expect(try EM.rows(d.h, d.t, as: .requester).filter { $0.contains(" merge ") } == [
            "bob@support.example merge answered→answered merged_from: null → \(d.s1)",
            "bob@support.example merge answered→answered merged_from: null → \(d.s2)",
        ])
        #expect(!EM.run(d.h, .requester, ["export"]).stdout.contains("S1 note"))
    }

    /// Time order, even when the ids say otherwise (a message written with an earlier clock).
    @Test func theConversationIsInTimeOrderNotIdOrder() throws {
        let h = Harness()
        let t = EM.open(h, .requester, "Target", body: "later, lower id", at: "2026-11-22T10:00:00Z")
        let s = EM.open(h, .cc, "Source", body: "earlier, higher id", at: "2026-11-22T08:00:00Z")
        #expect(EM.run(h, .agent, ["merge", "\(s)", "--into", "\(t)"], at: "2026-11-22T11:00:00Z").code == 0)
        #expect(try EM.messages(h, t, as: .requester).map { $0["body"] as? String } == ["earlier, higher id", "later, lower id"])
        let shown = EM.run(h, .requester, ["show", "\(t)"]).stdout
        let a = shown.range(of: "earlier, higher id"), b = shown.range(of: "later, lower id")
        #expect(a != nil && b != nil && a!.lowerBound < b!.lowerBound, "\(shown)")
    }

    @Test func aSourceNamedTwiceIsMergedOnce() throws {
        let h = Harness()
        let t = h.open("Target"), s = h.open("Source")
        let r = h.agent(["merge", "\(s)", "#\(s)", "--into", "#\(t)"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try EM.rows(h, t).filter { $0.contains("merged_from") }.count == 1)
        #expect(try EM.messages(h, s).count == 1)
        #expect(try EM.messages(h, t).count == 2)
    }

    @Test func sourcesFromStandardInput() throws {
        let h = Harness()
        let t = h.open("Target"), a = h.open("A"), b = h.open("B")
        let r = h.agent(["merge", "-", "--into", "\(t)", "--json"], stdin: Array("\(a)\n\(b)\n".utf8))
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["id"] as? Int == t)
        #expect(try h.status(a) == "closed" && h.status(b) == "closed")
        let before = EM.snapshot(h, [t, a, b])
        let none = h.agent(["merge", "-", "--into", "\(t)"], stdin: [])
        #expect(none.code == 0)
        #expect(none.stderr.contains("nothing changed"))
        #expect(EM.snapshot(h, [t, a, b]) == before)
    }

    /// The same requester's address typed another way is the same person: not added to cc.
    @Test func theSameRequesterHoweverTypedDoesNotJoinTheCCList() throws {
        let h = Harness()
        let t = h.open("Target")
        let s = EM.open(h, .requester, "Source", ["--email", "ALICE@Example.com"])
        #expect(h.agent(["merge", "\(s)", "--into", "\(t)"]).code == 0)
        #expect(try EM.detail(h, t)["cc"] as? [String] == [])
    }

    /// `show` labels a message said with close, cancel or reopen as its reason. A message
    /// moved in from another ticket is nobody's reason, even when the target was reopened
    /// without a message by the same person within the same second.
    @Test func aMovedMessageIsNotTheReasonForTheTargetsReopening() throws {
        let h = Harness()
        let t = EM.open(h, .requester, "Target", body: "target", at: "2026-11-22T09:00:00Z")
        EM.run(h, .requester, ["close", "\(t)"], at: "2026-11-22T09:30:00Z")
        EM.run(h, .requester, ["reopen", "\(t)"], at: "2026-11-22T09:40:00Z")
        let s = EM.open(h, .requester, "Source", body: "a duplicate filed in the same second", at: "2026-11-22T09:40:00Z")
        #expect(h.agent(["merge", "\(s)", "--into", "\(t)"]).code == 0)
        let shown = h.run(["show", "\(t)"]).stdout
        #expect(shown.contains("(requester) 2026-11-22 09:40 UTC\na duplicate filed in the same second"), "\(shown)")
        #expect(!shown.contains("reason for reopening"), "\(shown)")
    }
}
