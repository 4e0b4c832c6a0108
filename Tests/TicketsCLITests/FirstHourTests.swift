import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract J, in process: the fixes a first hour of use asked for.
struct FirstHourTests {
    // MARK: - The SLA clock after reopen

    struct Reopen: Sendable, CustomTestStringConvertible {
        let agent: Bool
        let message: String?
        var testDescription: String { (agent ? "agent" : "requester") + (message == nil ? " without -m" : " with -m") }
    }

    @Test(arguments: [Reopen(agent: false, message: nil), Reopen(agent: false, message: "Broken again"),
                      Reopen(agent: true, message: nil), Reopen(agent: true, message: "Reopening for you")],
          ["medium", "urgent", "low"])
    func reopenRestartsTheClock(reopen: Reopen, priority: String) throws {
        let h = Harness(now: "2026-11-01T09:00:00Z")
        let id = h.open("Printer", ["-p", priority])
        #expect(h.agentEnv(["reply", "\(id)", "-m", "Unplug it"], env: ["TICKETS_NOW": "2026-11-01T10:00:00Z"]).code == 0)
        #expect(h.run(["close", "\(id)"], env: ["TICKETS_NOW": "2026-11-02T09:00:00Z"]).code == 0)
        let args = ["reopen", "\(id)"] + (reopen.message.map { ["-m", $0] } ?? [])
        let at = ["TICKETS_NOW": "2026-11-10T09:00:00Z"]
        let r = reopen.agent ? h.agentEnv(args, env: at) : h.run(args, env: at)
        try #require(r.code == 0, "\(r.stderr)")
        let target: Int64 = ["urgent": 3600, "high": 4 * 3600, "medium": 86_400, "low": 2 * 86_400][priority]!
        let reopened = try #require(Timestamp.parse("2026-11-10T09:00:00Z"))
        let due = reopened.adding(target)
        // Three hours after the reopening (before any target runs out but urgent's).
        let later = reopened.adding(min(3 * 3600, target - 1))
        let row = try #require(try h.run(["list", "--json"], env: ["TICKETS_NOW": later.rfc3339]).jsonArray().first)
        #expect(row["due_at"] as? String == due.rfc3339)
        #expect(row["overdue"] as? Bool == false)
        #expect(h.run(["list", "--overdue", "-q", "--agent"], env: ["TICKETS_NOW": later.rfc3339]).stdout.isEmpty)
        let show = h.run(["show", "\(id)"], env: ["TICKETS_NOW": later.rfc3339]).stdout
        #expect(show.contains("Due:        \(due.humanUTC) (in "), "\(show)")
        #expect(!show.contains("overdue"))
        // A second past the target it is overdue.
        let past = due.adding(1).rfc3339
        #expect(try h.run(["list", "--json"], env: ["TICKETS_NOW": past]).jsonArray().first?["overdue"] as? Bool == true)
        #expect(h.run(["show", "\(id)"], env: ["TICKETS_NOW": past]).stdout.contains("overdue"))
    }

    // MARK: - cancel sets closed_at

    @Test(arguments: [false, true], [nil, "Not needed any more"] as [String?])
    func cancelSetsClosedAtAndShowPrintsIt(agent: Bool, message: String?) throws {
        let h = Harness(now: "2026-11-22T10:00:00Z")
        let id = h.open()
        let at = ["TICKETS_NOW": "2026-11-22T11:30:00Z"]
        let args = ["cancel", "\(id)", "--json"] + (message.map { ["-m", $0] } ?? [])
        let r = agent ? h.agentEnv(args, env: at) : h.run(args, env: at)
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["closed_at"] as? String == "2026-11-22T11:30:00Z")
        #expect(try h.field(id, "closed_at") as? String == "2026-11-22T11:30:00Z")
        let show = h.run(["show", "\(id)"]).stdout
        #expect(show.contains("Canceled:   2026-11-22 11:30 UTC"), "\(show)")
        #expect(!show.contains("Closed:"))
        let csv = h.run(["export", "--csv"]).stdout
        #expect(csv.contains(",2026-11-22T11:30:00Z,"), "closed_at in CSV: \(csv)")
        // Reopened, it is no longer closed.
        #expect(h.run(["reopen", "\(id)"]).code == 0)
        #expect(try h.field(id, "closed_at") is NSNull)
        #expect(!h.run(["show", "\(id)"]).stdout.contains("Canceled:"))
    }

    // MARK: - Bad environment values

    static let badEnvironment: [(variable: String, value: String)] = [
        ("TICKETS_NOW", "tomorrow"), ("TICKETS_NOW", "2026-11-22"), ("TICKETS_NOW", "0000-01-01T00:00:00Z"),
        ("TICKETS_ROLE", "admin"), ("TICKETS_ROLE", "system"), ("TICKETS_ROLE", "agents"), ("TICKETS_ROLE", "agent "),
        ("TICKETS_EMAIL", "not-an-email"), ("TICKETS_EMAIL", "a@b@example.com"), ("TICKETS_EMAIL", "karen example.com"),
        ("TICKETS_EMAIL", "<karen@example.com>"), ("TICKETS_EMAIL", "@example.com"), ("TICKETS_EMAIL", "karen@"),
        ("TICKETS_EMAIL", "a@example.com, b@example.com"),
    ]

    @Test(arguments: badEnvironment, [["list"], ["show", "1"], ["open", "-s", "S", "-m", "x"], ["reply", "1", "-m", "x"],
                                      ["close", "1"], ["export"], ["cancel", "1"], ["rate", "1", "5"]])
    func aBadEnvironmentValueIs78NamingIt(bad: (variable: String, value: String), args: [String]) throws {
        let h = Harness()
        let id = h.open()
        let before = h.snapshot(id)
        let r = h.run(args, env: [bad.variable: bad.value])
        #expect(r.code == 78, "\(r.stderr)")
        #expect(r.stderr.contains(bad.variable), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(h.snapshot(id) == before)
        #expect(h.ticketCount() == 1)
    }

    // MARK: - Every refusal of cancel says why

    static let why = "only while it is open, before an agent has replied to it or taken it"

    /// How the ticket got to where cancel is refused.
    static let cancelRefusals: [Labeled<[[String]]>] = [
        Labeled("answered", [["agent", "reply", "1", "-m", "Try this"]]),
        Labeled("in progress", [["agent", "assign", "1"]]),
        Labeled("customer reply", [["agent", "reply", "1", "-m", "Try this"], ["reply", "1", "-m", "Did not help"]]),
        Labeled("closed", [["close", "1"]]),
        Labeled("reopened after an agent replied", [["agent", "reply", "1", "-m", "Try this"], ["close", "1"], ["reopen", "1"]]),
        Labeled("reopened after an agent took it", [["agent", "assign", "1"], ["close", "1"], ["reopen", "1"]]),
        Labeled("reopened after an agent closed it with a reason", [["agent", "close", "1", "-m", "Done"], ["reopen", "1"]]),
        Labeled("assigned to another agent", [["agent", "assign", "1", "--to", "kim@support.example"]]),
    ]

    static let cancels: [Labeled<(args: [String], agent: Bool)>] = [["cancel", "1"], ["cancel", "1", "-m", "withdrawn"], ["cancel", "-"]].flatMap {
        [Labeled($0.joined(separator: " "), (args: $0, agent: false)), Labeled("agent " + $0.joined(separator: " "), (args: $0, agent: true))]
    }

    @Test(arguments: cancelRefusals, cancels)
    func everyCancelRefusalSaysWhy(setup: Labeled<[[String]]>, how: Labeled<(args: [String], agent: Bool)>) throws {
        let cancel = how.value.args, agent = how.value.agent
        let h = Harness()
        _ = h.open()
        for step in setup.value {
            let r = step.first == "agent" ? h.agent(Array(step.dropFirst())) : h.run(step)
            try #require(r.code == 0, "\(step): \(r.stderr)")
        }
        let before = h.snapshot(1)
        let stdin = Array("1\n".utf8)
        let r = agent ? h.agent(cancel, stdin: stdin) : h.run(cancel, stdin: stdin)
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr.contains(Self.why), "\(r.stderr)")
        #expect(h.snapshot(1) == before)
    }

    // MARK: - Comma-separated cc lists

    static let ccLists: [Labeled<(steps: [[String]], cc: [String])>] = [
        Labeled("open --cc a, b", ([["open", "-s", "S", "-m", "x", "--cc", "a@example.com, b@example.com"]], ["a@example.com", "b@example.com"])),
        Labeled("open --cc a,b --cc c", ([["open", "-s", "S", "-m", "x", "--cc", "a@example.com,b@example.com", "--cc", "c@example.com"]],
                                         ["a@example.com", "b@example.com", "c@example.com"])),
        Labeled("open --cc with blanks and tabs", ([["open", "-s", "S", "-m", "x", "--cc", "  a@example.com ,\tb@example.com  "]], ["a@example.com", "b@example.com"])),
        Labeled("open --cc with one person twice", ([["open", "-s", "S", "-m", "x", "--cc", "a@example.com, A@EXAMPLE.COM, b@example.com"]], ["a@example.com", "b@example.com"])),
        Labeled("reply --cc a, b", ([["open", "-s", "S", "-m", "x"], ["reply", "1", "-m", "y", "--cc", "a@example.com, b@example.com"]], ["a@example.com", "b@example.com"])),
        Labeled("agent reply --cc a, b", ([["open", "-s", "S", "-m", "x"], ["agent", "reply", "1", "-m", "y", "--cc", "a@example.com,b@example.com"]], ["a@example.com", "b@example.com"])),
        Labeled("edit --add-cc a, b", ([["open", "-s", "S", "-m", "x"], ["edit", "1", "--add-cc", "a@example.com, b@example.com"]], ["a@example.com", "b@example.com"])),
        Labeled("edit --remove-cc a, b", ([["open", "-s", "S", "-m", "x", "--cc", "a@example.com, b@example.com, c@example.com"],
                                          ["edit", "1", "--remove-cc", "a@example.com, B@example.com"]], ["c@example.com"])),
        Labeled("agent edit --add-cc and --remove-cc lists", ([["open", "-s", "S", "-m", "x", "--cc", "a@example.com"],
                                                              ["agent", "edit", "1", "--add-cc", "b@example.com, c@example.com", "--remove-cc", "a@example.com"]],
                                                             ["b@example.com", "c@example.com"])),
    ]

    @Test(arguments: ccLists)
    func ccOptionsTakeCommaLists(c: Labeled<(steps: [[String]], cc: [String])>) throws {
        let h = Harness()
        for step in c.value.steps {
            let r = step.first == "agent" ? h.agent(Array(step.dropFirst())) : h.run(step)
            try #require(r.code == 0, "\(step): \(r.stderr)")
        }
        #expect(try h.field(1, "cc") as? [String] == c.value.cc)
    }

    static let badLists = ["a@example.com, not-an-email", "not-an-email,a@example.com", "a@example.com; b@example.com",
                           "a@example.com b@example.com", "a@example.com,<b@example.com>", "a@example.com, b@example.com@x"]

    @Test(arguments: badLists, [["open", "-s", "S", "-m", "x", "--cc"], ["reply", "1", "-m", "x", "--cc"],
                                ["edit", "1", "--add-cc"], ["edit", "1", "--remove-cc"]])
    func eachAddressOfAListIsChecked(list: String, command: [String]) throws {
        let h = Harness()
        _ = h.open("Before", ["--cc", "a@example.com"])
        let before = h.snapshot(1)
        let r = h.run(command + [list])
        #expect(r.code == 65, "\(r.stderr)")
        #expect(h.snapshot(1) == before)
        #expect(h.ticketCount() == 1)
    }

    // MARK: - "30 of 35 shown"

    @Test(arguments: [
        // (arguments, rows shown, the note)
        ([], 30, "tickets: 30 of 35 shown; -L 0 for all\n"),
        (["-L", "5"], 5, "tickets: 5 of 35 shown; -L 0 for all\n"),
        (["-L", "34"], 34, "tickets: 34 of 35 shown; -L 0 for all\n"),
        (["-L", "35"], 35, ""),
        (["-L", "0"], 35, ""),
        (["-L", "100"], 35, ""),
        (["-S", "ticket"], 30, "tickets: 30 of 35 shown; -L 0 for all\n"),
        (["-p", "high"], 10, ""),
        (["--agent"], 30, "tickets: 30 of 35 shown; -L 0 for all\n"),
    ] as [([String], Int, String)])
    func theMoreNoteCountsWhatMatches(args: [String], rows: Int, note: String) throws {
        let h = Self.thirtyFive()
        let r = h.run(["list"] + args)
        #expect(r.code == 0)
        #expect(r.stdout.split(separator: "\n").count == rows + 1, "header + rows")
        #expect(r.stderr == note)
        // Without -L, machine formats list everything and say nothing.
        if !args.contains("-L") {
            let json = h.run(["list", "--json"] + args)
            #expect(json.stderr.isEmpty, "\(json.stderr)")
            #expect(json.jsonIDs().count == (args == ["-p", "high"] ? 10 : 35))
        }
    }

    /// 35 of Alice's tickets, 10 of them high.
    static func thirtyFive() -> Harness {
        let h = Harness()
        for i in 1...35 { _ = h.open("Ticket \(i)", ["-p", i <= 10 ? "high" : "low"]) }
        return h
    }

    // MARK: - show: due, overdue, reasons

    @Test(arguments: [
        // (priority, hours after opening, the Due line)
        ("medium", 2, "Due:        2026-11-23 10:00 UTC (in 22h)"),
        ("urgent", 0, "Due:        2026-11-22 11:00 UTC (in 1h)"),
        ("high", 3, "Due:        2026-11-22 14:00 UTC (in 1h)"),
        ("low", 47, "Due:        2026-11-24 10:00 UTC (in 1h)"),
        ("medium", 25, "Due:        2026-11-23 10:00 UTC (1h ago), overdue"),
        ("urgent", 3, "Due:        2026-11-22 11:00 UTC (2h ago), overdue"),
    ] as [(String, Int64, String)])
    func showSaysWhenATicketIsDue(priority: String, hours: Int64, line: String) throws {
        let h = Harness()
        let id = h.open("Slow", ["-p", priority])
        let now = try #require(Timestamp.parse("2026-11-22T10:00:00Z")).adding(hours * 3600).rfc3339
        let show = h.run(["show", "\(id)"], env: ["TICKETS_NOW": now])
        #expect(show.stdout.contains(line + "\n"), "\(show.stdout)")
        let agentShow = h.agentEnv(["show", "\(id)"], env: ["TICKETS_NOW": now])
        #expect(agentShow.stdout.contains(line + "\n"))
    }

    @Test(arguments: [["agent", "reply", "1", "-m", "answer"], ["close", "1"], ["cancel", "1"]])
    func showHasNoDueLineWhenNotWaitingOnSupport(step: [String]) throws {
        let h = Harness()
        _ = h.open()
        let r = step.first == "agent" ? h.agent(Array(step.dropFirst())) : h.run(step)
        try #require(r.code == 0)
        #expect(!h.run(["show", "1"]).stdout.contains("Due:"))
    }

    struct Story: Sendable, CustomTestStringConvertible {
        let label: String
        /// Steps after Alice opens #1 ("agent" first: as Bob).
        let steps: [[String]]
        /// (message body, the kind shown in its header)
        let expected: [(body: String, kind: String)]
        var testDescription: String { label }
    }

    static let stories: [Story] = [
        Story(label: "requester closes with a reason", steps: [["close", "1", "-m", "Fixed by a reboot"]],
              expected: [("Fixed by a reboot", "requester, reason for closing")]),
        Story(label: "agent closes with a reason", steps: [["agent", "close", "1", "-m", "Resolved upstream"]],
              expected: [("Resolved upstream", "agent, reason for closing")]),
        Story(label: "cancel with a reason", steps: [["cancel", "1", "-m", "Not needed"]],
              expected: [("Not needed", "requester, reason for canceling")]),
        Story(label: "reopen with a reason after a close without one", steps: [["close", "1"], ["reopen", "1", "-m", "Still broken"]],
              expected: [("Still broken", "requester, reason for reopening")]),
        Story(label: "close, reopen and cancel, each with a reason",
              steps: [["close", "1", "-m", "Works now"], ["reopen", "1", "-m", "It broke again"], ["cancel", "1", "-m", "Bought a new one"]],
              expected: [("Works now", "requester, reason for closing"), ("It broke again", "requester, reason for reopening"),
                         ("Bought a new one", "requester, reason for canceling")]),
        Story(label: "agent reopens with a reason after the requester closed without one",
              steps: [["agent", "reply", "1", "-m", "Try this"], ["close", "1"], ["agent", "reopen", "1", "-m", "Found a better fix"]],
              expected: [("Try this", "agent"), ("Found a better fix", "agent, reason for reopening")]),
        Story(label: "a reply right after a reopen without a reason is a reply",
              steps: [["close", "1"], ["reopen", "1"], ["reply", "1", "-m", "Just a reply"]],
              expected: [("Just a reply", "requester")]),
        Story(label: "a reply, then a close without a reason, then a reopen with one",
              steps: [["reply", "1", "-m", "More detail"], ["close", "1"], ["reopen", "1", "-m", "Came back"]],
              expected: [("More detail", "requester"), ("Came back", "requester, reason for reopening")]),
    ]

    /// Each step a minute after the last, or all within one second (scripts do that).
    @Test(arguments: stories, [60, 0] as [Int64])
    func showLabelsReasons(story: Story, secondsBetweenSteps: Int64) throws {
        let start = try #require(Timestamp.parse("2026-11-22T10:00:00Z"))
        let h = Harness()
        _ = h.open("Printer", [])
        for (i, step) in story.steps.enumerated() {
            let at = ["TICKETS_NOW": start.adding(Int64(i + 1) * secondsBetweenSteps).rfc3339]
            let r = step.first == "agent" ? h.agentEnv(Array(step.dropFirst()), env: at) : h.run(step, env: at)
            try #require(r.code == 0, "\(step): \(r.stderr)")
        }
        for viewer in ["requester", "agent"] {
            let show = viewer == "agent" ? h.agent(["show", "1"]).stdout : h.run(["show", "1"]).stdout
            let lines = show.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (body, kind) in story.expected {
                let at = try #require(lines.firstIndex(of: body), "\(body) is shown")
                let header = lines[at - 1]
                #expect(header.hasPrefix("--- ") && header.contains("(\(kind)) "), "\(viewer) sees '\(header)' above '\(body)'")
            }
            // The opening message is never a reason.
            #expect(show.contains("(requester) 2026-11-22 10:00 UTC\nIt is on fire."))
        }
    }

    // MARK: - A second rating

    @Test(arguments: [false, true])
    func aSecondRatingSaysItReplacesTheFirst(review: Bool) throws {
        let h = Harness()
        _ = h.open()
        #expect(h.run(["close", "1"]).code == 0)
        let first = h.run(["rate", "1", "4"] + (review ? ["--review", "ok"] : []))
        #expect(first.code == 0)
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        let second = h.run(["rate", "1", "2", "--json"], env: ["TICKETS_NOW": "2026-11-23T08:00:00Z"])
        #expect(second.code == 0)
        #expect(second.stderr.contains("4 of 5") && second.stderr.contains("replaces"), "\(second.stderr)")
        #expect(second.stderr.contains("2026-11-22"), "when the first was given: \(second.stderr)")
        #expect(try (second.jsonObject()["rating"] as? [String: Any])?["stars"] as? Int == 2)
        let third = h.run(["rate", "1", "5"])
        #expect(third.stderr.contains("2 of 5") && third.stderr.contains("2026-11-23"), "\(third.stderr)")
        #expect(third.stderr.split(separator: "\n").count == 1, "said once: \(third.stderr)")
    }

    // MARK: - Every JSON field of list is a --fields name

    @Test func everyJSONFieldOfListIsAField() throws {
        let h = Harness()
        _ = h.open("One", ["--cc", "c@example.com", "--service", "vpn", "--dedupe-key", "k"])
        let full = try #require(try h.run(["list", "--json"]).jsonArray().first)
        #expect(full.keys.contains("due_at") && full.keys.contains("overdue"))
        for key in full.keys.sorted() {
            for format in [["--json"], ["--format", "ndjson"], ["--csv"], []] {
                let r = h.run(["list", "--fields", key] + format)
                #expect(r.code == 0, "--fields \(key) \(format): \(r.stderr)")
            }
            let one = try #require(try h.run(["list", "--fields", key, "--json"]).jsonArray().first)
            #expect(Array(one.keys) == [key])
            #expect((one[key] as? NSObject) == (full[key] as? NSObject), "\(key)")
        }
        let both = try #require(try h.run(["list", "--fields", "id,due_at,overdue", "--json"]).jsonArray().first)
        #expect(both["due_at"] as? String == "2026-11-23T10:00:00Z")
        #expect(both["overdue"] as? Bool == false)
        let table = h.run(["list", "--fields", "id,due_at"])
        #expect(table.stdout == "ID  DUE\n#1  in 1d\n", "\(table.stdout)")
    }

    // MARK: - completion

    @Test(arguments: [["help"], ["--help"], []])
    func completionIsListedInHelp(args: [String]) {
        let r = Harness().run(args)
        #expect(r.stdout.contains("\n  completion "), "\(r.stdout)")
    }

    @Test(arguments: [["help", "completion"], ["completion", "--help"], ["completion", "-h"]])
    func helpCompletionWorks(args: [String]) {
        let r = Harness().run(args)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("USAGE: tickets completion bash|zsh|fish"))
    }

    /// #1 open, #2 closed, #3 canceled, #4 answered (Alice's); #5 Carol's closed.
    static func completionWorld() -> Harness {
        let h = Harness()
        for s in ["Open one", "Closed one", "Canceled one", "Answered one"] { _ = h.open(s) }
        precondition(h.run(["close", "2"]).code == 0)
        precondition(h.run(["cancel", "3"]).code == 0)
        precondition(h.agent(["reply", "4", "-m", "answer"]).code == 0)
        _ = h.openAs("carol@example.com", "Carol's")
        precondition(h.runAs("carol@example.com", ["close", "5"]).code == 0)
        return h
    }

    @Test(arguments: [
        ("rate", [2], [2, 5]), ("reopen", [2, 3], [2, 3, 5]), ("close", [1, 4], [1, 4]), ("reply", [1, 4], [1, 4]),
        ("cancel", [1], [1]), ("show", [1, 4], [1, 4]), ("edit", [1, 4], [1, 2, 3, 4, 5]),
    ] as [(String, [Int], [Int])])
    func completionOffersTheTicketsTheCommandCanActOn(command: String, requester: [Int], agent: [Int]) throws {
        let h = Self.completionWorld()
        let mine = h.run(["__complete", "ids", command])
        #expect(mine.code == 0)
        #expect(Set(mine.stdout.split(separator: "\n").compactMap { Int($0.prefix { $0 != "\t" }) }) == Set(requester))
        if command != "rate" {
            let all = h.agent(["__complete", "ids", command])
            #expect(Set(all.stdout.split(separator: "\n").compactMap { Int($0.prefix { $0 != "\t" }) }) == Set(agent))
        }
    }

    @Test(.enabled(if: ShellSupport.runs("bash")), arguments: [("tickets rate ", ["2"]), ("tickets reopen ", ["2", "3"]),
                                                                ("tickets cancel ", ["1"]), ("tickets rate 2 ", ["1", "2", "3", "4", "5"])])
    func bashCompletesRateAndReopenWithTheirTickets(line: String, expected: [String]) throws {
        let h = Self.completionWorld()
        var words = line.split(separator: " ").map(String.init)
        if line.hasSuffix(" ") { words.append("") }
        let script = """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
            _tickets
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let file = ShellSupport.repository.appendingPathComponent("completions/tickets.bash").path
        let r = try ShellSupport.run(try ShellSupport.require("bash"), ["-c", script, "bash", file] + words, env: h.env)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(Set(r.stdout.split(separator: "\n").map(String.init)) == Set(expected))
    }

    // MARK: - An empty id list from standard input

    @Test(arguments: [["close", "-"], ["reopen", "-"], ["cancel", "-"], ["close", "-", "--json"], ["reopen", "-", "-m", "x"],
                      ["cancel", "-", "--json"]], ["", "\n", "\n\n  \n"])
    func anEmptyIDListDoesNothingQuietly(args: [String], stdin: String) throws {
        let h = Harness()
        _ = h.open()
        let before = h.snapshot(1)
        for r in [h.run(args, stdin: Array(stdin.utf8)), h.agent(args, stdin: Array(stdin.utf8))] {
            #expect(r.code == 0, "\(r.stderr)")
            // Nothing matched: JSON says so with an empty array, as list --json does.
            #expect(r.stdout == (args.contains("--json") ? "[]\n" : ""), "\(r.stdout)")
            #expect(r.stderr.isEmpty, "\(r.stderr)")
        }
        #expect(h.snapshot(1) == before)
    }
}
