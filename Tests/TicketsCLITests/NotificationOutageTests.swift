import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore
@testable import TicketsSQLite

/// A mail server that is down (SPEC §9): the change stands, the email stays queued with
/// its error, and `tickets notify` delivers it later, exactly once.
@Suite(.enabled(if: StrictMailCheck.runs, "needs python3 (skipped without it, required under CI=true)"))
struct NotificationOutageTests {
    static let refused = "exited with status 75: sendmail: cannot connect to mail.example, port 25: Connection refused"

    struct Sent: Equatable {
        let id: Int
        let ticket: Int
        let messageID: String
        let to: [String]
        let status: String
        let error: String?
    }

    static func rows(_ r: Harness.Result) throws -> [Sent] {
        try r.jsonArray().map { o in
            #expect(Set(o.keys) == ["id", "ticket_id", "message_id", "to", "status", "error"])
            return Sent(id: try #require(o["id"] as? Int), ticket: try #require(o["ticket_id"] as? Int),
                        messageID: try #require(o["message_id"] as? String), to: try #require(o["to"] as? [String]),
                        status: try #require(o["status"] as? String), error: o["error"] as? String)
        }
    }

    @Test func aFailedDeliveryKeepsTheExitCodeWarnsOnceAndStaysQueued() throws {
        let lab = MailLab()
        lab.flag("outage", true)
        let r = lab.alice(["open", "-s", "Printer on fire", "-m", "It is on fire.", "--cc", "carol@example.com", "-q"])
        #expect(r.code == 0)
        #expect(r.stdout == "1\n")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && r.stderr.hasSuffix("\n"), "one warning line: \(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: warning: 2 notification emails could not be delivered ("))
        #expect(r.stderr.contains(Self.refused))
        #expect(r.stderr.contains("tickets notify"))
        #expect(try lab.alice(["show", "1", "--json"]).jsonObject()["subject"] as? String == "Printer on fire")
        var queue = try lab.queued()
        #expect(queue.map(\.recipients) == [["alice@example.com", "carol@example.com"], MailLab.agents])
        #expect(queue.allSatisfy { $0.attempts == 1 && $0.lastError?.hasSuffix(Self.refused) == true })
        #expect(lab.mailCount == 0)
        // Every changing command keeps its own exit code, and its output, during the outage.
        for (who, args) in [("bob", ["reply", "1", "-m", "Unplug it."]), ("alice", ["reply", "1", "-m", "Done."]),
                            ("bob", ["close", "1", "-m", "Fixed."]), ("alice", ["reopen", "1", "--json"])] {
            let r = who == "bob" ? lab.bob(args) : lab.alice(args)
            #expect(r.code == 0, "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("tickets: warning: 1 notification email could not be delivered ("), "\(args): \(r.stderr)")
            if args.contains("--json") { #expect(try r.jsonObject()["status"] as? String == "open") }
        }
        queue = try lab.queued()
        #expect(queue.count == 6)
        // The server is back: notify sends each queued email once, oldest first, as queued.
        lab.flag("outage", false)
        let sent = lab.h.run(["notify", "--json"])
        #expect(sent.code == 0, "\(sent.stderr)")
        let rows = try Self.rows(sent)
        #expect(rows == queue.map { Sent(id: Int($0.id), ticket: 1, messageID: $0.messageID, to: $0.recipients, status: "sent", error: nil) })
        #expect(sent.stderr == "", "\(sent.stderr)")
        let mails = try lab.allMails()
        #expect(mails.map(\.messageID) == queue.map(\.messageID))
        #expect(mails.map(\.raw) == queue.map(\.bytes), "the bytes queued are the bytes sent")
        #expect(mails.map(\.to) == [["alice@example.com", "carol@example.com"], MailLab.agents,
                                    ["alice@example.com", "carol@example.com"], MailLab.agents,
                                    ["alice@example.com", "carol@example.com"], ["carol@example.com"]])
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
        #expect(try lab.queued().isEmpty)
        // Nothing left: a second run sends nothing and says nothing on stdout.
        let again = lab.h.run(["notify", "--json"])
        #expect(again.code == 0)
        #expect(try again.jsonArray().isEmpty)
        let table = lab.h.run(["notify"])
        #expect(table.code == 0 && table.stdout == "" && table.stderr == "")
        #expect(lab.mailCount == 6)
    }

    @Test func notifyWhileSendmailStillFailsExits75NamingEach() throws {
        let lab = MailLab()
        lab.flag("outage", true)
        _ = lab.open()
        let queue = try lab.queued()
        #expect(queue.count == 2)
        let r = lab.h.run(["notify", "--json"])
        #expect(r.code == 75, "\(r.stderr)")
        let rows = try Self.rows(r)
        #expect(rows.map(\.status) == ["failed", "failed"])
        #expect(rows.map(\.messageID) == queue.map(\.messageID))
        #expect(rows.allSatisfy { $0.error?.hasSuffix(Self.refused) == true })
        for m in queue {
            #expect(r.stderr.contains("email \(m.messageID) about ticket #1 to \(m.recipients.joined(separator: ", ")) was not delivered: "),
                    "\(r.stderr)")
        }
        #expect(r.stderr.hasSuffix("\n{\"error\":{\"code\":\"busy\",\"message\":\"2 of 2 notification emails could not be delivered and stay queued; retry tickets notify later\"}}\n"),
                "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 3)
        #expect(try lab.queued().map(\.attempts) == [2, 2])
        #expect(lab.mailCount == 0)
        // The table form says the same.
        let table = lab.h.run(["notify"])
        #expect(table.code == 75)
        #expect(table.stdout.contains("failed"))
        #expect(table.stderr.hasSuffix("\ntickets: error: 2 of 2 notification emails could not be delivered and stay queued; retry tickets notify later\n"),
                "\(table.stderr)")
        // One email fails, the other goes: still 75 until the queue is empty.
        lab.flag("outage", false)
        lab.flag("fail-pattern", true, contents: "kim@support.example\n")
        let partly = lab.h.run(["notify", "--json"])
        #expect(partly.code == 75)
        #expect(try Self.rows(partly).map(\.status) == ["sent", "failed"])
        #expect(partly.stderr.contains("email \(queue[1].messageID) about ticket #1"))
        #expect(!partly.stderr.contains(queue[0].messageID))
        #expect(lab.mailCount == 1)
        lab.flag("fail-pattern", false)
        let rest = lab.h.run(["notify", "--json"])
        #expect(rest.code == 0)
        #expect(try Self.rows(rest).map(\.messageID) == [queue[1].messageID])
        let mails = try lab.allMails()
        #expect(mails.map(\.messageID) == queue.map(\.messageID))
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
    }

    /// A bulk close during an outage: its exit code stays, it warns once, and every email
    /// waits in the queue for `tickets notify`.
    @Test func closeStaleDuringAnOutageWarnsOnceAndQueuesEveryEmail() throws {
        let lab = MailLab(now: "2026-11-01T00:00:00Z", agents: [])
        for i in 1...50 {
            #expect(lab.alice(["open", "-s", "Ticket \(i)", "-m", "x", "-q", "--no-notify"]).code == 0)
            #expect(lab.bob(["reply", "\(i)", "-m", "Answer.", "--no-notify"]).code == 0)
        }
        lab.flag("outage", true)
        let r = lab.h.run(["close", "--stale", "--json"], env: ["TICKETS_NOW": "2026-11-20T00:00:00Z"])
        #expect(r.code == 0)
        #expect(try r.jsonArray().count == 50)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one warning line, not one per chunk: \(r.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("tickets: warning: ") && $0.contains(Self.refused) })
        #expect(try lab.queued().count == 50)
        lab.flag("outage", false)
        let sent = lab.h.run(["notify", "--json"])
        #expect(sent.code == 0)
        #expect(try Self.rows(sent).filter { $0.status == "sent" }.count == 50)
        let mails = try lab.allMails()
        #expect(mails.count == 50)
        #expect(Set(mails.compactMap(\.ticketID)) == Set(1...50))
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
        #expect(try lab.queued().isEmpty)
    }

    /// `tickets notify` from cron while a command is still handing its own emails to a
    /// slow sendmail: each email is still delivered once.
    @Test func notifyWhileACommandDeliversSendsNothingTwice() throws {
        let lab = MailLab()
        lab.flag("slow", true, contents: "1")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltBinary.path)
        p.arguments = ["open", "-s", "Printer on fire", "-m", "x", "--cc", "carol@example.com", "-q"]
        p.environment = lab.h.env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait for the commit: the ticket's two emails are in the queue.
        let deadline = Date().addingTimeInterval(20)
        while (try? lab.queued().count) != 2 && Date() < deadline { usleep(20_000) }
        let queue = try lab.queued()
        #expect(queue.count == 2)
        let cron = try BuiltBinary.run(["notify", "--json"], env: lab.h.env)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(cron.code == 0, "\(cron.stderr)")
        let ids = try lab.allMails().map(\.messageID)
        #expect(ids.sorted() == queue.map(\.messageID).sorted(), "each queued email once: \(ids)")
        #expect(try lab.queued().isEmpty)
    }

    @Test func notifyDryRunSendsNothing() throws {
        let lab = MailLab()
        lab.flag("outage", true)
        _ = lab.open()
        lab.flag("outage", false)
        let queue = try lab.queued()
        let r = lab.h.run(["notify", "--dry-run", "--json"])
        #expect(r.code == 0)
        #expect(try Self.rows(r).map(\.status) == ["queued", "queued"])
        #expect(try Self.rows(r).map(\.messageID) == queue.map(\.messageID))
        #expect(lab.mailCount == 0)
        #expect(try lab.queued() == queue)
        #expect(lab.h.run(["notify", "-n"]).code == 0)
        #expect(lab.mailCount == 0)
        // The man page's cron line: ndjson, one object a line, for a log.
        let logged = lab.h.run(["notify", "--format", "ndjson"])
        #expect(logged.code == 0)
        let lines = logged.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for (line, m) in zip(lines, queue) {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(o?["message_id"] as? String == m.messageID && o?["status"] as? String == "sent")
        }
        #expect(lab.mailCount == 2)
        let empty = lab.h.run(["notify", "--format", "ndjson"])
        #expect(empty.code == 0 && empty.stdout == "" && empty.stderr == "")
    }

    /// The process dies right after the commit, before sendmail took the email: the
    /// email was queued in the change's transaction, so `tickets notify` sends it.
    @Test func aProcessKilledAfterTheCommitLeavesTheEmailQueued() throws {
        let lab = MailLab(agents: [])
        let env = lab.h.env
        lab.flag("crash-once", true)
        _ = FileManager.default.createFile(atPath: lab.dir + "/crash-once.bin", contents: Data(BuiltBinary.path.utf8))
        let r = try BuiltBinary.run(["open", "-s", "Printer on fire", "-m", "It is on fire.", "-q"], env: env)
        #expect(lab.text("crashed").hasPrefix("killed "), "\(lab.text("crashed"))")
        #expect(r.code == SIGKILL, "the sendmail script kills tickets: \(r.code) \(r.stderr)")
        // The output was written before the mail went out.
        #expect(r.stdout == "1\n")
        #expect(lab.mailCount == 0)
        let queue = try lab.queued()
        #expect(queue.map(\.recipients) == [["alice@example.com"]])
        #expect(queue.first?.attempts == 0)
        let show = try BuiltBinary.run(["show", "1", "--json"], env: env)
        #expect(show.code == 0 && show.stdout.contains("\"subject\":\"Printer on fire\""))
        let sent = try BuiltBinary.run(["notify", "--json"], env: env)
        #expect(sent.code == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("\"status\":\"sent\""))
        #expect(lab.mailCount == 1)
        let again = try BuiltBinary.run(["notify", "--json"], env: env)
        #expect(again.code == 0 && again.stdout == "[]\n")
        let mails = try lab.allMails()
        #expect(mails.map(\.to) == [["alice@example.com"]])
        #expect(mails.map(\.messageID) == queue.map(\.messageID))
        #expect(mails.first?.subject == "[#1] Printer on fire")
        MailLab.expectWellFormed(mails)
        MailLab.expectThreaded(mails)
    }

    /// `open` starts sendmail before it takes the write lock (Invocation.openStore). Here
    /// the lock is held past the 10 s busy timeout, so the open fails with 75 long after
    /// its sendmail started: that process is killed unsent and reaped, and nothing is
    /// queued. `--no-notify` and a dedupe key (which may find nobody to tell) start none.
    @Test(.enabled(if: TestStore.isSQLite, "SQLite-only: holds SQLite's write lock"))
    func anOpenThatCannotCommitKillsTheSendmailItStarted() throws {
        let lab = MailLab(agents: [])
        let recorder = lab.dir + "/recording-sendmail"
        MailLab.writeScript(recorder, "echo $$ >> '\(lab.dir)/started'\nexec '\(lab.sendmailPath)' \"$@\"")
        lab.writeConfig(sendmail: "'\(recorder)' -t -oi")
        func started() -> [pid_t] {
            ((try? String(contentsOfFile: lab.dir + "/started", encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        }
        #expect(lab.alice(["open", "-s", "Printer on fire", "-m", "x", "-q"]).code == 0)
        #expect(lab.mailCount == 1)
        #expect(started().count == 1)
        #expect(lab.alice(["open", "-s", "Quiet", "-m", "x", "-q", "--no-notify"]).code == 0)
        #expect(lab.alice(["open", "-s", "Keyed", "-m", "x", "-q", "--dedupe-key", "k", "--no-notify"]).code == 0)
        #expect(lab.alice(["open", "-s", "Keyed", "-m", "again", "-q", "--dedupe-key", "k"]).code == 0)
        #expect(started().count == 1, "--no-notify and a deduplicated open started a sendmail")
        #expect(lab.mailCount == 1)

        let holder = try SQLiteConnection(path: lab.h.dbPath, flags: 0x2 /* SQLITE_OPEN_READWRITE */)
        try holder.execute("BEGIN IMMEDIATE")
        let r = lab.alice(["open", "-s", "Locked out", "-m", "x", "-q"])
        try holder.execute("ROLLBACK")
        #expect(r.code == 75, "\(r.stderr)")
        let pids = started()
        #expect(pids.count == 2, "the failed open started its sendmail: \(pids)")
        // The recorder may run as the shell's child rather than in its place: the group
        // SIGKILL reaches it, but its death is not synchronous with the open's exit.
        if let last = pids.last { #expect(ChildScripts.waitGone(last), "the open left its sendmail running") }
        #expect(lab.mailCount == 1, "the failed open's sendmail took a message")
        #expect(try lab.queued().isEmpty)
        #expect(try lab.alice(["list", "--json"]).jsonArray().count == 3)
    }

    /// An `open` interrupted while it waits for the database (Ctrl-C, the SIGTERM of
    /// `timeout` or a CI runner, a closed terminal) kills the sendmail it started before
    /// it dies of the signal. Left alive, that program would take the end of its input
    /// for the end of an email, and one given its recipients on the command line (as
    /// the lab's is: it files whatever it reads) would send an empty one.
    @Test(.enabled(if: TestStore.isSQLite, "SQLite-only: holds SQLite's write lock"), arguments: [SIGINT, SIGTERM, SIGHUP])
    func anInterruptedOpenKillsTheSendmailItStarted(signal: Int32) throws {
        let lab = MailLab(agents: [])
        let recorder = lab.dir + "/recording-sendmail"
        MailLab.writeScript(recorder, "echo $$ >> '\(lab.dir)/started'\nexec '\(lab.sendmailPath)' \"$@\"")
        lab.writeConfig(sendmail: "'\(recorder)' -t -oi")
        #expect(lab.alice(["open", "-s", "Before", "-m", "x", "-q"]).code == 0)
        #expect(lab.mailCount == 1)

        let holder = try SQLiteConnection(path: lab.h.dbPath, flags: 0x2 /* SQLITE_OPEN_READWRITE */)
        try holder.execute("BEGIN IMMEDIATE")
        // Started with no signal blocked or ignored (Spawn.start), as a shell starts a
        // command: the test runner's threads block most signals, and Foundation's Process
        // passes that mask on.
        let pid = try Spawn.start([BuiltBinary.path, "open", "-s", "Interrupted", "-m", "x", "-q"],
                                  env: lab.h.env, stdout: "/dev/null", stderr: lab.dir + "/interrupted.err")
        let startedFile = lab.dir + "/started"
        func started() -> [pid_t] {
            ((try? String(contentsOfFile: startedFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        }
        let deadline = Date().addingTimeInterval(5)
        while started().count < 2 && Date() < deadline { usleep(10_000) }
        let pids = started()
        usleep(100_000)  // the open is now waiting for the lock
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        try holder.execute("ROLLBACK")
        try #require(pids.count == 2, "the open did not start its sendmail: \(pids)")
        // WIFSIGNALED and WTERMSIG, which Glibc's Swift overlay does not import.
        #expect(status & 0x7F == signal, "the open ended with wait status \(status), not of signal \(signal)")
        #expect(ChildScripts.waitGone(pids[1]), "the interrupted open left its sendmail running")
        usleep(200_000)  // time a surviving sendmail would take to file what it read
        #expect(lab.mailCount == 1, "the interrupted open's sendmail filed an email")
        #expect(try lab.queued().isEmpty)
        #expect(try lab.alice(["list", "--json"]).jsonArray().count == 1)
    }

    @Test(arguments: ["notify = sendmail\n", "notify = sendmail\nnotify_agents = kim@support.example\n",
                      "# mail\nsendmail = /bin/true\nnotify = sendmail\n"])
    func notifyWithoutNotifyFromIsAConfigError(config: String) throws {
        let h = Harness()
        let path = h.write("tickets.conf", config)
        let line = config.split(separator: "\n").firstIndex(of: "notify = sendmail")! + 1
        let r = h.run(["open", "-s", "Printer on fire", "-m", "x"], env: ["TICKETS_CONFIG": path])
        #expect(r.code == 78)
        #expect(r.stderr.hasPrefix("tickets: error: \(path):\(line): notify = sendmail needs notify_from"), "\(r.stderr)")
        #expect(r.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: h.dbPath), "nothing was written")
        #expect(h.run(["notify"], env: ["TICKETS_CONFIG": path]).code == 78)
        // notify = off needs nothing; notify_from on any line satisfies it.
        #expect(h.run(["list"], env: ["TICKETS_CONFIG": h.write("off.conf", "notify = off\n")]).code == 0)
        let fixed = h.write("fixed.conf", config + "notify_from = help@support.example\n")
        #expect(h.run(["list"], env: ["TICKETS_CONFIG": fixed]).code == 0)
    }
}

/// `--no-notify` on every changing command, and `import`: no email queued, no hook run.
@Suite(.enabled(if: StrictMailCheck.runs, "needs python3 (skipped without it, required under CI=true)"))
struct NoNotifyTests {
    /// (who, setup commands, the command under test); every setup command runs with
    /// --no-notify too, so nothing is queued before the command under test.
    static let cases: [(String, [[String]], [String])] = [
        ("alice", [], ["open", "-s", "Printer on fire", "-m", "x", "--cc", "carol@example.com"]),
        ("bob", [["open"]], ["reply", "1", "-m", "Unplug it."]),
        ("bob", [["open"]], ["reply", "1", "-m", "A note.", "--internal"]),
        ("alice", [["open"]], ["reply", "1", "-m", "More."]),
        ("bob", [["open"]], ["assign", "1"]),
        ("bob", [["open"]], ["close", "1", "-m", "Done."]),
        ("alice", [["open"]], ["cancel", "1"]),
        ("alice", [["open"], ["close", "1"]], ["reopen", "1"]),
        ("alice", [["open"], ["close", "1"]], ["rate", "1", "5"]),
        ("bob", [["open"]], ["edit", "1", "-p", "high", "-m", "Why."]),
        ("bob", [["open"], ["open"]], ["merge", "2", "--into", "1"]),
        ("bob", [["open"], ["bob-reply"]], ["close", "--stale", "1d"]),
    ]

    @Test(arguments: 0..<cases.count)
    func noNotifyQueuesNothingAndRunsNoHook(index: Int) throws {
        let (who, setup, command) = Self.cases[index]
        let lab = MailLab(hooks: true)
        for step in setup {
            let r: Harness.Result
            switch step[0] {
            case "open": r = lab.alice(["open", "-s", "Printer on fire", "-m", "x", "--cc", "carol@example.com", "--no-notify"])
            case "bob-reply": r = lab.bob(["reply", "1", "-m", "Try this.", "--no-notify"])
            default: r = lab.alice(step + ["--no-notify"])
            }
            #expect(r.code == 0, "\(step): \(r.stderr)")
        }
        let events = try Self.eventCount(lab)
        let later = ["TICKETS_NOW": "2026-12-01T00:00:00Z"]
        let r = who == "bob" ? lab.bob(command + ["--no-notify"], env: later) : lab.alice(command + ["--no-notify"], env: later)
        #expect(r.code == 0, "\(command): \(r.stderr)")
        #expect(r.stderr == "")
        #expect(try Self.eventCount(lab) > events, "the command changed something")
        #expect(try lab.queued().isEmpty)
        #expect(lab.mailCount == 0)
        #expect(try lab.newHookRuns().isEmpty)
        // Without --no-notify the same lab does notify and run hooks: the setup is live.
        #expect(lab.alice(["open", "-s", "Control", "-m", "x"], env: later).code == 0)
        #expect(try lab.newHookRuns().map(\.name) == ["post-open"])
        #expect(lab.mailCount == 2)
    }

    static func eventCount(_ lab: MailLab) throws -> Int {
        let export = lab.bob(["export", "--json"])
        return try export.jsonArray().reduce(0) { $0 + (($1["events"] as? [Any])?.count ?? 0) }
    }

    @Test func importNeverNotifiesNorRunsHooks() throws {
        // Tickets made elsewhere, with no notification config.
        let source = Harness()
        #expect(source.run(["open", "-s", "Printer on fire", "-m", "x", "--cc", "carol@example.com"]).code == 0)
        #expect(source.agent(["reply", "1", "-m", "Unplug it."]).code == 0)
        #expect(source.run(["close", "1"]).code == 0)
        #expect(source.run(["open", "-s", "Second", "-m", "y"]).code == 0)
        let export = source.agent(["export", "--json"])
        #expect(export.code == 0)
        let lab = MailLab(hooks: true)
        let file = lab.h.write("export.json", export.stdout)
        let r = lab.bob(["import", file])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "imported 2 tickets, skipped 0 existing\n")
        #expect(r.stderr == "")
        #expect(try lab.queued().isEmpty)
        #expect(lab.mailCount == 0)
        #expect(try lab.newHookRuns().isEmpty)
        // From standard input too.
        let other = MailLab(hooks: true)
        let s = other.h.run(["import", "-", "--agent"], stdin: Array(export.stdout.utf8))
        #expect(s.code == 0, "\(s.stderr)")
        #expect(try other.queued().isEmpty && other.mailCount == 0 && other.newHookRuns().isEmpty)
        // The imported tickets notify from then on.
        #expect(lab.bob(["reply", "2", "-m", "Hello."]).code == 0)
        #expect(try lab.newMails().map(\.to) == [["alice@example.com"]])
        #expect(try lab.newHookRuns().map(\.name) == ["post-reply"])
    }
}
