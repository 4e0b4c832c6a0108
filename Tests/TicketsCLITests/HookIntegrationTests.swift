import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `post-ACTION` hooks run by the commands (SPEC §9): what each gets, where its output
/// goes, that no lock is held while it runs, and that a failing one changes nothing.
@Suite(.enabled(if: StrictMailCheck.runs, "needs python3 (skipped without it, required under CI=true)"))
struct HookIntegrationTests {
    static let eventKeys: Set<String> = ["id", "actor", "action", "from_status", "to_status", "field", "old_value", "new_value",
                                         "message_id", "created_at"]

    /// `show --json` of the ticket as an agent: its fields, and its events by id.
    static func shown(_ lab: MailLab, _ id: Int) throws -> (ticket: [String: Any], events: [Int: [String: Any]]) {
        let r = lab.bob(["show", "\(id)", "--json", "--history"])
        #expect(r.code == 0, "\(r.stderr)")
        var ticket = try r.jsonObject()
        let events = try #require(ticket["events"] as? [[String: Any]])
        ticket["messages"] = nil
        ticket["events"] = nil
        var byID = [Int: [String: Any]]()
        for e in events { byID[try #require(e["id"] as? Int)] = e }
        return (ticket, byID)
    }

    @Test func eachActionRunsItsHookWithTheEventAndTheTicket() throws {
        let lab = MailLab(now: "2026-11-01T00:00:00Z", hooks: true)
        let later = ["TICKETS_NOW": "2026-11-01T01:00:00Z"]
        // (who, command, the hooks it runs in order, the ticket of each event)
        let steps: [(String, [String], [String], [Int])] = [
            ("alice", ["open", "-s", "Printer on fire", "-m", "It is on fire.", "--cc", "carol@example.com"], ["post-open"], [1]),
            ("bob", ["reply", "1", "--internal", "-m", "Hm."], ["post-note"], [1]),
            ("bob", ["assign", "1"], ["post-assign"], [1]),
            ("alice", ["reply", "1", "-m", "Hurry."], ["post-reply"], [1]),
            ("carol", ["reply", "1", "-m", "Please."], ["post-reply"], [1]),
            ("bob", ["reply", "1", "-m", "Unplug it."], ["post-reply"], [1]),
            ("bob", ["edit", "1", "-p", "high", "--service", "Printers"], ["post-edit", "post-edit"], [1, 1]),
            ("bob", ["close", "1", "-m", "Fixed."], ["post-close"], [1]),
            ("alice", ["rate", "1", "4", "--review", "Fine"], ["post-rate"], [1]),
            ("alice", ["reopen", "1", "-m", "Again."], ["post-reopen"], [1]),
            ("alice", ["open", "-s", "Wrong printer", "-m", "Oops."], ["post-open"], [2]),
            ("alice", ["cancel", "2"], ["post-cancel"], [2]),
            ("carol", ["open", "-s", "Printer smoking", "-m", "Smoke."], ["post-open"], [3]),
            ("bob", ["merge", "3", "--into", "1"], ["post-merge", "post-merge"], [3, 1]),
            ("bob", ["reply", "1", "-m", "Try it now."], ["post-reply"], [1]),
            ("cron", ["close", "--stale", "1d"], ["post-auto-close"], [1]),
        ]
        var seen = Set<String>()
        for (who, args, hooks, tickets) in steps {
            let r: Harness.Result
            switch who {
            case "bob": r = lab.bob(args, env: later)
            case "carol": r = lab.carol(args, env: later)
            case "cron": r = lab.h.run(args, env: ["TICKETS_NOW": "2026-11-05T00:00:00Z", "TICKETS_EMAIL": "cron@example.com"])
            default: r = lab.alice(args, env: later)
            }
            #expect(r.code == 0, "\(args): \(r.stderr)")
            let runs = try lab.newHookRuns()
            #expect(runs.map(\.name) == hooks, "\(args)")
            guard runs.count == hooks.count else { continue }
            for (run, ticketID) in zip(runs, tickets) {
                seen.insert(run.name)
                #expect(Set(run.json.keys) == ["event", "ticket"], "\(run.name)")
                let event = try #require(run.json["event"] as? [String: Any])
                let ticket = try #require(run.json["ticket"] as? [String: Any])
                #expect(Set(event.keys) == Self.eventKeys, "\(run.name): \(event.keys.sorted())")
                #expect("post-" + (event["action"] as? String ?? "") == run.name)
                #expect(ticket["id"] as? Int == ticketID, "\(run.name)")
                // The event is the one the history shows; the ticket is the ticket as
                // the command left it, in the fields `show --json` gives.
                let shown = try Self.shown(lab, ticketID)
                let eventID = try #require(event["id"] as? Int)
                let stored = try #require(shown.events[eventID], "\(run.name): no such event")
                #expect(NSDictionary(dictionary: event).isEqual(to: stored), "\(run.name): \(event) vs \(stored)")
                #expect(NSDictionary(dictionary: ticket).isEqual(to: shown.ticket), "\(run.name): \(ticket) vs \(shown.ticket)")
            }
        }
        #expect(seen == Set(MailLab.hookNames), "every hook ran: missing \(Set(MailLab.hookNames).subtracting(seen))")
        // A few values, spelled out.
        let history = try Self.shown(lab, 1).events.values.sorted { ($0["id"] as! Int) < ($1["id"] as! Int) }
        let assign = try #require(history.first { $0["action"] as? String == "assign" })
        #expect(assign["field"] as? String == "assignee" && assign["new_value"] as? String == "bob@support.example")
        #expect(assign["from_status"] as? String == "open" && assign["to_status"] as? String == "in-progress")
        let auto = try #require(history.last)
        #expect(auto["action"] as? String == "auto-close")
        #expect((auto["actor"] as? [String: Any])?["email"] as? String == "system")
        #expect(auto["created_at"] as? String == "2026-11-05T00:00:00Z")
    }

    @Test func theHooksJSONCarriesHostileTextExactly() throws {
        let lab = MailLab(hooks: true)
        let subject = "Printer \u{1B}[31mred\u{7F} \"quoted\" \\ back 打印机 🔥 \u{202E}end"
        let name = "Alice\r\nBcc: mallory@evil.example\u{2028}\u{85}\t"
        let r = lab.alice(["open", "-s", subject, "-m", "x", "-q"], env: ["TICKETS_NAME": name])
        #expect(r.code == 0, "\(r.stderr)")
        let run = try #require(try lab.newHookRuns().first)
        #expect(run.name == "post-open")
        let ticket = try #require(run.json["ticket"] as? [String: Any])
        let event = try #require(run.json["event"] as? [String: Any])
        let requester = try #require(ticket["requester"] as? [String: Any])
        // What the database holds, as show --json gives it.
        let shown = try Self.shown(lab, 1)
        #expect(ticket["subject"] as? String == shown.ticket["subject"] as? String)
        #expect(requester["name"] as? String == (shown.ticket["requester"] as? [String: Any])?["name"] as? String)
        #expect((event["actor"] as? [String: Any])?["name"] as? String == requester["name"] as? String)
        // Python's json module reads it too (strict: no raw control characters).
        let python = try #require(StrictMailCheck.python)
        let check = try ShellSupport.run(python, ["-c", "import json,sys; d=json.load(sys.stdin); print(d['ticket']['id'])"],
                                         env: [:], stdin: String(decoding: run.raw, as: UTF8.self))
        #expect(check.code == 0 && check.stdout == "1\n", "\(check.stderr)")
        #expect(run.raw.last == 0x0A, "one JSON object and a newline")
        #expect(run.raw.filter { $0 == 0x0A }.count == 1)
    }

    @Test func aHooksOutputGoesToOurStandardErrorNeverOurStandardOutput() throws {
        let lab = MailLab(now: "2026-11-01T00:00:00Z", hooks: true)
        for name in ["post-open", "post-reply", "post-auto-close"] {
            MailLab.writeScript(lab.hooksDir + "/" + name, """
                cat > /dev/null
                echo "HOOK-STDOUT \(name)"
                echo "HOOK-STDERR \(name)" >&2
                echo '{"not": "ours"}' > /dev/stdout
                """)
        }
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "x", "--json"])
        #expect(r.code == 0)
        #expect(try r.jsonObject()["id"] as? Int == 1, "stdout stays one JSON object: \(r.stdout)")
        #expect(!r.stdout.contains("HOOK") && !r.stdout.contains("ours"))
        #expect(r.stderr == "HOOK-STDOUT post-open\nHOOK-STDERR post-open\n{\"not\": \"ours\"}\n")
        let reply = lab.bob(["reply", "1", "-m", "y", "--json"])
        #expect(try reply.jsonObject()["status"] as? String == "answered")
        #expect(!reply.stdout.contains("HOOK"))
        let stale = lab.h.run(["close", "--stale", "--json"], env: ["TICKETS_NOW": "2026-11-10T00:00:00Z"])
        #expect(stale.code == 0)
        #expect(try stale.jsonArray().compactMap { $0["id"] as? Int } == [1])
        #expect(stale.stderr.contains("HOOK-STDOUT post-auto-close\n"))
        // The same through the real binary, whose descriptors are real.
        let opened = try BuiltBinary.run(["open", "-s", "Second", "-m", "x", "--json"], env: lab.h.env)
        #expect(opened.code == 0)
        let object = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        #expect(object?["id"] as? Int == 2, "\(opened.stdout)")
        #expect(opened.stderr.contains("HOOK-STDOUT post-open\n"))
        let quiet = try BuiltBinary.run(["open", "-s", "Third", "-m", "x", "-q"], env: lab.h.env)
        #expect(quiet.stdout == "3\n")
    }

    @Test func aHookMayRunTicketsItselfBecauseNoLockIsHeld() throws {
        let lab = MailLab(hooks: true)
        MailLab.writeScript(lab.hooksDir + "/post-open", """
            LAB='\(lab.dir)'
            cat > "$LAB/outer-open.json"
            if [ ! -e "$LAB/nested-open" ]; then
              : > "$LAB/nested-open"
              "$TICKETS_BIN" open -s "Opened by the hook" -m "From post-open." -q > "$LAB/nested-open.out" 2> "$LAB/nested-open.err"
              echo $? > "$LAB/nested-open.code"
            fi
            """)
        MailLab.writeScript(lab.hooksDir + "/post-reply", """
            LAB='\(lab.dir)'
            id=$(sed -n 's/.*"ticket":{"id":\\([0-9]*\\).*/\\1/p')
            TICKETS_ROLE=agent TICKETS_NAME=Hook TICKETS_EMAIL=hook@support.example \\
              "$TICKETS_BIN" reply "$id" --internal -m "Logged by the hook." > "$LAB/nested-note.out" 2> "$LAB/nested-note.err"
            echo $? > "$LAB/nested-note.code"
            """)
        let env = ["TICKETS_BIN": BuiltBinary.path]
        let start = Date()
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "x", "--cc", "carol@example.com", "-q"], env: env)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "1\n")
        #expect(lab.text("nested-open.code") == "0\n", "the hook's tickets open: \(lab.text("nested-open.err"))")
        #expect(lab.text("nested-open.out") == "2\n")
        // The same ticket, written by the hook of a change to it.
        let reply = lab.bob(["reply", "1", "-m", "Unplug it."], env: env)
        #expect(reply.code == 0, "\(reply.stderr)")
        #expect(lab.text("nested-note.code") == "0\n", "the hook's tickets reply: \(lab.text("nested-note.err"))")
        #expect(Date().timeIntervalSince(start) < 8, "a writer in a hook waited for a lock")
        let ticket = try lab.bob(["show", "1", "--json"]).jsonObject()
        let bodies = (ticket["messages"] as? [[String: Any]])?.compactMap { $0["body"] as? String }
        #expect(bodies == ["x", "Unplug it.", "Logged by the hook."])
        #expect(try lab.bob(["show", "2", "--json"]).jsonObject()["subject"] as? String == "Opened by the hook")
        // Each open told its people once, the reply its requester and cc; the hook's
        // own open (by the same requester, no cc) went out while the hook ran, after
        // the outer open's emails (mail first, then hooks).
        let mails = try lab.allMails()
        #expect(mails.map(\.to) == [["alice@example.com", "carol@example.com"], MailLab.agents,
                                    ["alice@example.com"], MailLab.agents,
                                    ["alice@example.com", "carol@example.com"]])
        #expect(mails.map(\.ticketID) == [1, 1, 2, 2, 1])
        MailLab.expectThreaded(mails)
        MailLab.expectWellFormed(mails)
    }

    @Test func aFailingHookIsAWarningAndChangesNothing() throws {
        let lab = MailLab(hooks: true)
        MailLab.writeScript(lab.hooksDir + "/post-open", "cat >/dev/null; echo 'chat bot: cannot reach chat' >&2; exit 1")
        MailLab.writeScript(lab.hooksDir + "/post-close", "exit 3")
        MailLab.writeScript(lab.hooksDir + "/post-reply", "kill -KILL $$")
        _ = FileManager.default.createFile(atPath: lab.hooksDir + "/post-cancel", contents: Data("#!/bin/sh\nexit 0\n".utf8),
                                       attributes: [.posixPermissions: 0o644])
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "x", "-q"])
        #expect(r.code == 0)
        #expect(r.stdout == "1\n")
        #expect(r.stderr == "chat bot: cannot reach chat\ntickets: warning: hook post-open exited with status 1\n")
        #expect(try lab.h.status(1) == "open")
        #expect(lab.mailCount == 2, "the emails went out all the same")
        let reply = lab.bob(["reply", "1", "-m", "y", "--json"])
        #expect(reply.code == 0)
        #expect(try reply.jsonObject()["status"] as? String == "answered")
        #expect(reply.stderr == "tickets: warning: hook post-reply was killed by signal 9 (Killed)\n")
        let close = lab.alice(["close", "1"])
        #expect(close.code == 0)
        #expect(close.stderr == "tickets: warning: hook post-close exited with status 3\n")
        #expect(try lab.h.status(1) == "closed")
        _ = lab.open("Second")
        let cancel = lab.alice(["cancel", "2"])
        #expect(cancel.code == 0)
        #expect(cancel.stderr.hasPrefix("tickets: warning: hook \(lab.hooksDir)/post-cancel is not an executable file"))
        #expect(try lab.h.status(2) == "canceled")
    }

    /// A bulk command that fails on one ticket still tells the people on the others and
    /// runs their hooks: those changes committed.
    @Test func aBulkCommandThatPartlyFailsStillNotifiesAndRunsHooksForWhatCommitted() throws {
        let lab = MailLab(hooks: true)
        _ = lab.open("One")
        _ = lab.open("Two")
        _ = try lab.newMails()
        _ = try lab.newHookRuns()
        let r = lab.bob(["close", "1", "99", "2"])
        #expect(r.code == 66, "\(r.stderr)")
        #expect(try lab.h.status(1) == "closed" && lab.h.status(2) == "closed")
        let runs = try lab.newHookRuns()
        #expect(runs.map(\.name) == ["post-close", "post-close"])
        #expect(runs.compactMap { ($0.json["ticket"] as? [String: Any])?["id"] as? Int } == [1, 2])
        let mails = try lab.newMails()
        #expect(mails.map(\.subject) == ["[#1] One", "[#2] Two"])
        #expect(mails.map(\.to) == [["alice@example.com", "carol@example.com"], ["alice@example.com", "carol@example.com"]])
        #expect(try lab.queued().isEmpty)
    }

    /// SPEC §9: a hook is killed after 30 s, with what it started; the command goes on.
    @Test(.hangGuard) func aHookThatHangsIsKilledAfterThirtySeconds() throws {
        let lab = MailLab(hooks: true)
        MailLab.writeScript(lab.hooksDir + "/post-open", """
            cat > /dev/null
            echo started
            sleep 120 &
            echo $! > '\(lab.dir)/hook-child'
            wait
            """)
        let start = Date()
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "x", "-q"])
        let took = Date().timeIntervalSince(start)
        #expect(r.code == 0)
        #expect(r.stdout == "1\n")
        #expect(r.stderr == "started\ntickets: warning: hook post-open did not finish within 30 s and was killed\n")
        #expect(took >= 29 && took < 45, "took \(took) s")
        let child = try #require(pid_t(lab.text("hook-child").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ChildScripts.waitGone(child), "the hook's child outlived it")
        #expect(lab.mailCount == 2, "the emails went out before the hook")
        #expect(try lab.h.status(1) == "open")
    }

    /// `close --stale` over many tickets: each gets its hook and its email, one process
    /// at a time, with the write lock free for others while they run.
    @Test func closeStaleOverFiftyTicketsRunsFiftyHooksAndSendsFiftyEmails() throws {
        _ = try ShellSupport.require("sqlite3")
        let lab = MailLab(now: "2026-11-01T00:00:00Z", agents: [], hooks: true)
        for i in 1...50 {
            #expect(lab.alice(["open", "-s", "Ticket \(i)", "-m", "x", "-q", "--no-notify"]).code == 0)
            #expect(lab.bob(["reply", "\(i)", "-m", "Answer \(i).", "--no-notify"]).code == 0)
        }
        #expect(lab.mailCount == 0 && lab.hookFiles.isEmpty)
        lab.flag("probe-lock", true)
        let r = lab.h.run(["close", "--stale", "--json", "-m", "Closed by the nightly job."],
                          env: ["TICKETS_NOW": "2026-11-20T00:00:00Z", "TICKETS_EMAIL": "cron@example.com"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        #expect(try r.jsonArray().compactMap { $0["id"] as? Int } == Array(1...50))
        let runs = try lab.newHookRuns()
        #expect(runs.count == 50)
        #expect(Set(runs.map(\.name)) == ["post-auto-close"])
        let ids = runs.compactMap { ($0.json["ticket"] as? [String: Any])?["id"] as? Int }
        #expect(ids.sorted() == Array(1...50))
        #expect(runs.allSatisfy { ($0.json["ticket"] as? [String: Any])?["status"] as? String == "closed" })
        let mails = try lab.allMails()
        #expect(mails.count == 50)
        #expect(mails.allSatisfy { $0.to == ["alice@example.com"] })
        #expect(Set(mails.compactMap(\.subject)) == Set((1...50).map { "[#\($0)] Ticket \($0)" }))
        #expect(mails.allSatisfy { $0.body.contains("\nClosed by the nightly job.\n") })
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
        #expect(try lab.queued().isEmpty)
        #expect(!lab.exists("locked"), "the write lock was held while these ran: \(lab.text("locked"))")
        #expect(!lab.exists("sendmail.overlap"), "sendmail processes ran at once")
        #expect(!lab.exists("hook.overlap"), "hooks ran at once")
    }
}
