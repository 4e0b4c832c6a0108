import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `tickets edit ID... [-s] [-d] [-p] [--service | --no-service] [--add-cc]... [--remove-cc]... [-m]`:
/// the parsing table, the table of who may change what in which status, and the details
/// (events, no-ops, values checked as on open, several ids, -m).
@Suite struct EditCommandTests {
    // MARK: Parsing

    struct Refusal: CustomStringConvertible, Sendable {
        let args: [String]
        let code: Int32
        let stderr: String
        var description: String { args.joined(separator: " ") }
    }

    static let refusals: [Refusal] = [
        Refusal(args: ["edit"], code: 64, stderr: "missing <id>; usage: tickets edit <id>..."),
        Refusal(args: ["edit", "-s", "New"], code: 64, stderr: "missing <id>"),
        Refusal(args: ["edit", "1"], code: 64, stderr: "nothing to change: give -s, -d, -p, --service, --no-service, --add-cc or --remove-cc"),
        Refusal(args: ["edit", "1", "-m", "why"], code: 64, stderr: "nothing to change"),
        Refusal(args: ["edit", "1", "--agent", "-m", "why"], code: 64, stderr: "nothing to change"),
        Refusal(args: ["edit", "abc", "-s", "New"], code: 64, stderr: "'abc' is not a ticket id"),
        Refusal(args: ["edit", "0", "-s", "New"], code: 64, stderr: "'0' is not a ticket id"),
        Refusal(args: ["edit", "1", "x", "-s", "New"], code: 64, stderr: "'x' is not a ticket id"),
        Refusal(args: ["edit", "1", "-s"], code: 64, stderr: "option '-s' needs a value"),
        Refusal(args: ["edit", "1", "-d"], code: 64, stderr: "option '-d' needs a value"),
        Refusal(args: ["edit", "1", "--add-cc"], code: 64, stderr: "option '--add-cc' needs a value"),
        Refusal(args: ["edit", "1", "--service", "VPN", "--no-service"], code: 64, stderr: "give --service or --no-service, not both"),
        Refusal(args: ["edit", "1", "--no-service=yes"], code: 64, stderr: "option '--no-service' takes no value"),
        Refusal(args: ["edit", "1", "--colour", "red"], code: 64, stderr: "unknown option '--colour'"),
        Refusal(args: ["edit", "1", "-s", "New", "-m", "a", "-F", "f"], code: 64, stderr: "give the message once"),
        Refusal(args: ["edit", "1", "-s", "New", "-e"], code: 64, stderr: "-e needs a terminal"),
        // Values are checked as on open: 65.
        Refusal(args: ["edit", "1", "-p", "asap"], code: 65, stderr: "unknown priority 'asap'; use low, medium, high or urgent"),
        Refusal(args: ["edit", "1", "-d", "legal"], code: 65, stderr: "unknown department 'legal'; use one of technical, billing, sales, account, bug, feature, other"),
        Refusal(args: ["edit", "1", "--add-cc", "nobody"], code: 65, stderr: "'nobody' given to --add-cc is not an email address"),
        Refusal(args: ["edit", "1", "--remove-cc", "nobody"], code: 65, stderr: "'nobody' given to --remove-cc is not an email address"),
        Refusal(args: ["edit", "1", "--add-cc", "a@example.com,nobody"], code: 65, stderr: "'nobody' given to --add-cc is not an email address"),
        Refusal(args: ["edit", "1", "--add-cc", "a@example.com,,b@example.com"], code: 65, stderr: "has an empty address"),
        Refusal(args: ["edit", "1", "-s", "   "], code: 65, stderr: "the subject is empty"),
        Refusal(args: ["edit", "1", "-s", "two\nlines"], code: 65, stderr: "the subject must be one line"),
        Refusal(args: ["edit", "1", "-s", "line\u{2028}separator"], code: 65, stderr: "the subject must be one line"),
        Refusal(args: ["edit", "1", "-s", String(repeating: "a", count: 501)], code: 65, stderr: "the subject is 501 characters long; at most 500"),
        Refusal(args: ["edit", "1", "--service", " "], code: 65, stderr: "the service name is empty; use --no-service to clear it"),
    ]

    @Test(arguments: refusals)
    func refusedBeforeTouchingTheDatabase(c: Refusal) {
        let h = Harness()
        let r = h.run(c.args)
        #expect(r.code == c.code, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: error: "), "\(r.stderr)")
        #expect(r.stderr.contains(c.stderr), "\(r.stderr)")
        #expect(r.stderr.filter { $0 == "\n" }.count == 1, "one line: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileSystem.exists(h.dbPath), "a refused edit writes nothing, not even the database file")
    }

    /// A value refused by `edit` is refused by `open` with the same words (the same check).
    @Test(arguments: [
        ["-s", "  "],
        ["-s", "a\rb"],
        ["-s", String(repeating: "x", count: 501)],
        ["-s", String(repeating: "\u{1F1EB}\u{1F1F7}", count: 251)],
        ["-d", "legal"],
        ["-p", "asap"],
    ])
    func valuesAreCheckedExactlyAsOnOpen(value: [String]) {
        let h = Harness()
        let id = h.open()
        let before = EM.snapshot(h, [id])
        let e = h.agent(["edit", "\(id)"] + value)
        let o = h.run(["open", "-m", "body"] + (value[0] == "-s" ? value : ["-s", "fine"] + value))
        #expect(e.code == 65, "\(e.stderr)")
        #expect(o.code == 65, "\(o.stderr)")
        #expect(e.stderr == o.stderr)
        #expect(EM.snapshot(h, [id]) == before)
    }

    @Test func subjectLimitsAreCharactersAndBytes() throws {
        let h = Harness()
        let id = h.open()
        let flag = "\u{1F1EB}\u{1F1F7}"  // one character, 8 bytes
        let accent = "e\u{301}"  // one character, 3 bytes
        let fits: [String] = [String(repeating: "a", count: 500), String(repeating: flag, count: 250),
                              String(repeating: accent, count: 500)]
        for s in fits {
            let r = h.agent(["edit", "\(id)", "-s", s, "--json"])
            #expect(r.code == 0, "\(s.count) chars, \(s.utf8.count) bytes: \(r.stderr)")
            #expect(try r.jsonObject()["subject"] as? String == s)
        }
        let tooLong: [(String, String)] = [
            (String(repeating: flag, count: 251), "the subject is 2008 bytes long; at most 2000 bytes"),
            (String(repeating: accent, count: 501), "the subject is 501 characters long; at most 500"),
        ]
        for (s, why) in tooLong {
            let before = EM.snapshot(h, [id])
            let r = h.agent(["edit", "\(id)", "-s", s])
            #expect(r.code == 65)
            #expect(r.stderr.contains(why), "\(r.stderr)")
            #expect(EM.snapshot(h, [id]) == before)
        }
        // Trimmed like open.
        let t = h.agent(["edit", "\(id)", "-s", "  Trimmed subject \t", "--json"])
        #expect(try t.jsonObject()["subject"] as? String == "Trimmed subject")
    }

    @Test func departmentsComeFromTheConfig() throws {
        let h = Harness()
        try FileManager.default.createDirectory(atPath: h.dir + "/config/tickets", withIntermediateDirectories: true)
        _ = h.write("config/tickets/config", "departments = it, hr, other\n")
        let id = h.open()
        let bad = h.agent(["edit", "\(id)", "-d", "billing"])
        #expect(bad.code == 65)
        #expect(bad.stderr == "tickets: error: unknown department 'billing'; use one of it, hr, other\n")
        let good = h.agent(["edit", "\(id)", "-d", "HR", "--json"])
        #expect(good.code == 0, "\(good.stderr)")
        #expect(try good.jsonObject()["department"] as? String == "hr")
        #expect(try EM.rows(h, id).last == "bob@support.example edit open→open department: other → hr")
    }

    // MARK: Who may change what, in which status

    enum Field: String, CaseIterable, CustomStringConvertible, Sendable {
        case subject, department, priority, service, addCC, removeCC
        var description: String { rawValue }
        var args: [String] {
            switch self {
            case .subject: ["-s", "Routed subject"]
            case .department: ["-d", "billing"]
            case .priority: ["-p", "urgent"]
            case .service: ["--service", "VPN"]
            case .addCC: ["--add-cc", "dave@example.com"]
            case .removeCC: ["--remove-cc", "carol@example.com"]
            }
        }
        /// The event's `field old → new` after the change of a ticket opened as `EM.aliceTicket` opens it.
        var event: String {
            switch self {
            case .subject: "subject: Printer on fire → Routed subject"
            case .department: "department: other → billing"
            case .priority: "priority: medium → urgent"
            case .service: "service: null → VPN"
            case .addCC: "cc: carol@example.com → carol@example.com, dave@example.com"
            case .removeCC: "cc: carol@example.com → null"
            }
        }
        var requesterMay: Bool { self == .subject || self == .addCC || self == .removeCC }
        /// The ticket's JSON member and its value after the change.
        func check(_ t: [String: Any]) -> Bool {
            switch self {
            case .subject: t["subject"] as? String == "Routed subject"
            case .department: t["department"] as? String == "billing"
            case .priority: t["priority"] as? String == "urgent"
            case .service: t["service"] as? String == "VPN"
            case .addCC: t["cc"] as? [String] == ["carol@example.com", "dave@example.com"]
            case .removeCC: t["cc"] as? [String] == []
            }
        }
    }

    struct Case: CustomStringConvertible, Sendable {
        let who: EM.Who
        let status: String
        let field: Field
        var allowed: Bool {
            switch who {
            case .agent: true
            case .requester: field.requesterMay && EM.activeStatuses.contains(status)
            case .cc: false
            }
        }
        var description: String { "\(who) edits \(field) of a ticket that is \(status)" }
    }

    static let cases: [Case] = EM.Who.allCases.flatMap { who in
        EM.statuses.flatMap { status in Field.allCases.map { Case(who: who, status: status, field: $0) } }
    }

    @Test(arguments: cases)
    func whoMayEditWhatInWhichStatus(c: Case) throws {
        let h = Harness()
        let id = EM.aliceTicket(in: c.status, h)
        let before = try EM.detail(h, id)
        let snapshot = EM.snapshot(h, [id])
        let r = EM.run(h, c.who, ["edit", "\(id)", "--json"] + c.field.args, at: "2026-11-23T08:00:00Z")
        if c.allowed {
            #expect(r.code == 0, "\(r.stderr)")
            let printed = try r.jsonObject()
            #expect(printed["id"] as? Int == id)
            #expect(c.field.check(printed), "\(printed)")
            let after = try EM.detail(h, id)
            #expect(c.field.check(after))
            #expect(after["status"] as? String == c.status, "the status does not change")
            #expect(EM.string(after, "closed_at") == EM.string(before, "closed_at"))
            #expect(after["updated_at"] as? String == "2026-11-23T08:00:00Z")
            let evBefore = try #require(before["events"] as? [[String: Any]])
            let evAfter = try #require(after["events"] as? [[String: Any]])
            #expect(evAfter.count == evBefore.count + 1, "one event per changed field")
            let last = try #require(evAfter.last)
            #expect(EM.row(last) == "\(EM.email(c.who)) edit \(c.status)→\(c.status) \(c.field.event)")
            #expect(last["created_at"] as? String == "2026-11-23T08:00:00Z")
            #expect((after["messages"] as? [Any])?.count == (before["messages"] as? [Any])?.count, "no -m, no message")
        } else {
            #expect(r.code == 77, "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("ticket #\(id)"), "\(r.stderr)")
            switch c.who {
            case .cc: #expect(r.stderr.contains("cc list"), "\(r.stderr)")
            case .requester where !c.field.requesterMay:
                #expect(r.stderr.contains("a requester may change only the subject and the cc list"), "\(r.stderr)")
            case .requester: #expect(r.stderr.contains("a requester may edit only an active ticket"), "\(r.stderr)")
            case .agent: break
            }
            #expect(EM.snapshot(h, [id]) == snapshot, "a refused edit changes nothing")
        }
    }

    /// Someone on cc gets 77 even when the edit would change nothing, and a requester on a
    /// closed ticket too: permission comes before the no-op.
    @Test func permissionComesBeforeTheNoop() {
        let h = Harness()
        let active = EM.aliceTicket(in: "open", h)
        let closed = EM.aliceTicket(in: "closed", h)
        let before = EM.snapshot(h, [active, closed])
        #expect(EM.run(h, .cc, ["edit", "\(active)", "-s", "Printer on fire"]).code == 77)
        #expect(EM.run(h, .cc, ["edit", "\(active)", "--add-cc", "carol@example.com"]).code == 77)
        #expect(EM.run(h, .requester, ["edit", "\(closed)", "-s", "Printer on fire"]).code == 77)
        #expect(EM.run(h, .requester, ["edit", "\(active)", "-p", "medium"]).code == 77)
        #expect(h.carol(["edit", "999", "-s", "x"]).code == 66, "missing first")
        let stranger = h.run(["edit", "\(active)", "-s", "x"], env: ["TICKETS_EMAIL": "mallory@example.com"])
        #expect(stranger.code == 77)
        #expect(stranger.stderr.contains("belongs to another requester"))
        #expect(EM.snapshot(h, [active, closed]) == before)
    }

    // MARK: Events, no-ops, -m

    @Test func everyChangedFieldWritesOneEventInOrder() throws {
        let h = Harness()
        let id = EM.aliceTicket(in: "in-progress", h)
        let r = EM.run(h, .agent, ["edit", "\(id)", "-s", "Toner fire", "-d", "technical", "-p", "high", "--service", "Printers",
                                   "--add-cc", "dave@example.com, erin@example.com", "--remove-cc", "CAROL@example.com",
                                   "--json"], at: "2026-11-22T11:00:00Z")
        #expect(r.code == 0, "\(r.stderr)")
        let t = try r.jsonObject()
        #expect(t["subject"] as? String == "Toner fire")
        #expect(t["department"] as? String == "technical")
        #expect(t["priority"] as? String == "high")
        #expect(t["service"] as? String == "Printers")
        #expect(t["cc"] as? [String] == ["dave@example.com", "erin@example.com"])
        #expect(t["status"] as? String == "in-progress")
        #expect(t["assignee"] as? String == "bob@support.example")
        let events = try EM.events(h, id)
        #expect(events.suffix(5).map(EM.row) == [
            "bob@support.example edit in-progress→in-progress subject: Printer on fire → Toner fire",
            "bob@support.example edit in-progress→in-progress department: other → technical",
            "bob@support.example edit in-progress→in-progress priority: medium → high",
            "bob@support.example edit in-progress→in-progress service: null → Printers",
            "bob@support.example edit in-progress→in-progress cc: carol@example.com → dave@example.com, erin@example.com",
        ])
        #expect(events.count == 7, "open, assign and five edits")
        #expect(events.suffix(5).allSatisfy { $0["created_at"] as? String == "2026-11-22T11:00:00Z" })
        // Only the fields that change: the same values again are a no-op.
        let again = h.agent(["edit", "\(id)", "-s", "Toner fire", "-p", "HIGH", "--add-cc", "Dave@Example.com"])
        #expect(again.code == 0)
        #expect(again.stderr == "tickets: ticket #\(id) already has those values; nothing changed\n")
        #expect(try EM.events(h, id).count == 7)
    }

    @Test func serviceIsSetChangedAndCleared() throws {
        let h = Harness()
        let id = h.open("VPN down", ["--service", "VPN"])
        #expect(h.agent(["edit", "\(id)", "--service", "Email"]).code == 0)
        let cleared = h.agent(["edit", "\(id)", "--no-service", "--json"])
        #expect(cleared.code == 0, "\(cleared.stderr)")
        #expect(try cleared.jsonObject()["service"] is NSNull)
        #expect(try EM.rows(h, id).suffix(2) == [
            "bob@support.example edit open→open service: VPN → Email",
            "bob@support.example edit open→open service: Email → null",
        ])
        let noop = h.agent(["edit", "\(id)", "--no-service"])
        #expect(noop.code == 0)
        #expect(noop.stderr.contains("nothing changed"))
        #expect(try EM.events(h, id).count == 3)
        #expect(h.run(["edit", "\(id)", "--no-service"]).code == 77, "the requester may not touch the service")
    }

    @Test func ccListsTakeCommasAndTheEmailRule() throws {
        let h = Harness()
        let id = h.open("cc", ["--cc", "carol@example.com"])
        let r = h.run(["edit", "\(id)", "--add-cc", "dave@example.com,erin@example.com", "--add-cc", " frank@example.com ",
                       "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["cc"] as? [String] == ["carol@example.com", "dave@example.com", "erin@example.com", "frank@example.com"])
        let removed = h.run(["edit", "\(id)", "--remove-cc", "DAVE@EXAMPLE.COM, frank@example.com", "--json"])
        #expect(try removed.jsonObject()["cc"] as? [String] == ["carol@example.com", "erin@example.com"])
        // Removing someone not on the list, or adding someone already there however typed: nothing changes.
        let noop = h.run(["edit", "\(id)", "--remove-cc", "nobody@example.com", "--add-cc", "Erin@Example.com"])
        #expect(noop.code == 0)
        #expect(noop.stderr.contains("nothing changed"))
        #expect(try EM.rows(h, id).suffix(2) == [
            "alice@example.com edit open→open cc: carol@example.com → carol@example.com, dave@example.com, erin@example.com, frank@example.com",
            "alice@example.com edit open→open cc: carol@example.com, dave@example.com, erin@example.com, frank@example.com → carol@example.com, erin@example.com",
        ])
        // Dave, taken off, no longer sees the ticket; Erin does.
        #expect(h.run(["show", "\(id)"], env: ["TICKETS_EMAIL": "dave@example.com"]).code == 77)
        #expect(h.run(["show", "\(id)"], env: ["TICKETS_EMAIL": "erin@example.com"]).code == 0)
    }

    @Test func aNoopWritesNeitherEventNorMessage() throws {
        let h = Harness()
        let id = EM.aliceTicket(in: "answered", h)
        let before = EM.snapshot(h, [id])
        for (who, args) in [(EM.Who.agent, ["-d", "other", "-p", "medium", "-m", "why"]),
                            (.requester, ["-s", "Printer on fire", "-m", "why"]),
                            (.requester, ["--add-cc", "carol@example.com"])] {
            let r = EM.run(h, who, ["edit", "\(id)"] + args, at: "2026-11-23T00:00:00Z")
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stderr == "tickets: ticket #\(id) already has those values; nothing changed\n")
            #expect(r.stdout.hasPrefix("#\(id) Printer on fire\n"), "one id: the ticket is printed even after a no-op")
        }
        #expect(EM.snapshot(h, [id]) == before, "no event, no message, not even updated_at")
    }

    @Test func messageIsAnInternalNoteFromAnAgentAndAMessageFromTheRequester() throws {
        let h = Harness()
        let id = EM.aliceTicket(in: "answered", h)
        #expect(EM.run(h, .agent, ["edit", "\(id)", "-d", "billing", "-m", "Invoices go to billing."],
                       at: "2026-11-22T11:00:00Z").code == 0)
        #expect(EM.run(h, .requester, ["edit", "\(id)", "-s", "Printer on fire (3rd floor)", "-m", "It is the 3rd floor one."],
                       at: "2026-11-22T12:00:00Z").code == 0)
        let t = try EM.detail(h, id)
        #expect(t["status"] as? String == "answered", "a requester's message said with an edit does not change the status")
        let messages = try #require(t["messages"] as? [[String: Any]])
        #expect(messages.count == 4)
        let note = messages[2], said = messages[3]
        #expect(note["body"] as? String == "Invoices go to billing.")
        #expect(note["internal"] as? Bool == true)
        #expect(note["role"] as? String == "agent")
        #expect((note["author"] as? [String: Any])?["email"] as? String == "bob@support.example")
        #expect(note["created_at"] as? String == "2026-11-22T11:00:00Z")
        #expect(said["body"] as? String == "It is the 3rd floor one.")
        #expect(said["internal"] as? Bool == false)
        #expect(said["role"] as? String == "requester")
        #expect((said["author"] as? [String: Any])?["email"] as? String == "alice@example.com")
        // The requester sees her message and the edits, never the note.
        let mine = try EM.detail(h, id, as: .requester)
        let bodies = try #require(mine["messages"] as? [[String: Any]]).map { $0["body"] as? String }
        #expect(bodies == ["It is on fire.", "Unplug it.", "It is the 3rd floor one."])
        #expect(try EM.rows(h, id, as: .requester).suffix(2) == [
            "bob@support.example edit answered→answered department: other → billing",
            "alice@example.com edit answered→answered subject: Printer on fire → Printer on fire (3rd floor)",
        ])
        #expect(!h.run(["export"]).stdout.contains("Invoices go to billing."))
    }

    /// The table of `show` labels a message said with close, cancel or reopen as its reason.
    /// A message said with an edit is the edit's, even when a close without a message by
    /// the same person follows within the same second (a script: edit, then close).
    @Test func aMessageSaidWithAnEditIsNotTheReasonForALaterClose() throws {
        let h = Harness()
        let a = h.open("Agent's")
        #expect(h.agent(["close", "\(a)"]).code == 0)
        #expect(h.agent(["edit", "\(a)", "-d", "billing", "-m", "recategorised for the report"]).code == 0)
        let agentView = h.agent(["show", "\(a)"]).stdout
        #expect(agentView.contains("(internal note) 2026-11-22 10:00 UTC\nrecategorised for the report"), "\(agentView)")
        #expect(!agentView.contains("reason for closing"), "\(agentView)")

        let b = h.open("Requester's")
        #expect(h.run(["edit", "\(b)", "-s", "Requester's, fixed", "-m", "typo in the subject"]).code == 0)
        #expect(h.run(["close", "\(b)"]).code == 0)
        let requesterView = h.run(["show", "\(b)"]).stdout
        #expect(requesterView.contains("(requester) 2026-11-22 10:00 UTC\ntypo in the subject"), "\(requesterView)")
        #expect(!requesterView.contains("reason for closing"), "\(requesterView)")
    }

    // MARK: Output and several ids

    @Test func oneIdPrintsTheTicketLikeShowsHeader() {
        let h = Harness()
        let id = h.open()
        let r = h.agent(["edit", "\(id)", "-p", "high"])
        #expect(r.code == 0)
        #expect(r.stdout.hasPrefix("#\(id) Printer on fire\nStatus:     open\nPriority:   high\nDepartment: other\n"), "\(r.stdout)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func severalIdsGoOnPastAFailureAndExitWithTheFirst() throws {
        let h = Harness()
        let a = h.open("first"), b = h.open("second"), c = h.open("third")
        let carols = EM.open(h, .cc, "Carol's own")
        h.run(["close", "\(c)"])
        let before = EM.shows(h, [carols, c])
        // Alice: a changes; Carol's is not hers (77); 999 is missing (66); c is closed (77); b changes.
        let r = h.run(["edit", "\(a)", "\(carols)", "999", "\(c)", "\(b)", "-s", "Same subject", "--json"])
        #expect(r.code == 77, "the first failure's code: \(r.stderr)")
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == [a, b])
        #expect(try r.jsonArray().allSatisfy { $0["subject"] as? String == "Same subject" })
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 3, "\(r.stderr)")
        #expect(errors.count == 3 && errors[0].contains("#\(carols)") && errors[1].contains("#999") && errors[2].contains("#\(c)"),
                "in the order of the ids: \(r.stderr)")
        #expect(EM.shows(h, [carols, c]) == before)
        #expect(try EM.detail(h, a)["subject"] as? String == "Same subject")
        #expect(try EM.detail(h, b)["subject"] as? String == "Same subject")

        // A missing ticket first: 66, and the others still change.
        let agent = h.agent(["edit", "999", "\(a)", "\(carols)", "-p", "urgent", "--json"])
        #expect(agent.code == 66)
        #expect(try agent.jsonArray().compactMap { $0["id"] as? Int } == [a, carols])
    }

    @Test func severalIdsPrintTheChangedTicketsAsListDoes() throws {
        let h = Harness()
        let a = h.open("first"), b = h.open("second")
        h.agent(["edit", "\(b)", "-p", "low"])
        // b already low: a no-op, noted, and not printed.
        let r = h.agent(["edit", "\(a)", "\(b)", "-p", "low"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("ticket #\(b) already has those values; nothing changed"))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let listed = h.agent(["list", "-p", "low"]).stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r.stdout)")
        #expect(lines.first == listed.first, "the same table header as list")
        #expect(lines.count == 2 && lines[1].hasPrefix("#\(a) ") && lines[1].contains("first"))
        // Nothing changed at all: no table; JSON says [].
        let none = h.agent(["edit", "\(a)", "\(b)", "-p", "low"])
        #expect(none.code == 0)
        #expect(none.stdout.isEmpty)
        let json = h.agent(["edit", "\(a)", "\(b)", "-p", "low", "--json"])
        #expect(try json.jsonArray().isEmpty)
    }

    @Test func idsFromStandardInput() throws {
        let h = Harness()
        let a = h.open("first"), b = h.open("second")
        let r = h.agent(["edit", "-", "-d", "sales", "--json"], stdin: Array("\(a)\n#\(b)\n".utf8))
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonArray().compactMap { $0["department"] as? String } == ["sales", "sales"])
        let empty = h.agent(["edit", "-", "-d", "sales"], stdin: [])
        #expect(empty.code == 0)
        #expect(empty.stdout.isEmpty)
    }
}
