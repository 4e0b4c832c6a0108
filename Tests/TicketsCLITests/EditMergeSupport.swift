import Foundation
import Testing
@testable import TicketsCLI

/// What the edit, merge, count-by and history tests share (issue #13): who acts, tickets
/// brought into each status through the commands, snapshots for "nothing changed", and
/// events reduced to one comparable line.
enum EM {
    enum Who: String, CaseIterable, CustomStringConvertible, Sendable {
        /// Bob, an agent.
        case agent
        /// Alice, who opens the tickets.
        case requester
        /// Carol, on the cc list of Alice's tickets.
        case cc
        var description: String { rawValue }
    }

    static let agentEnv = ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example"]
    static let danaEnv = ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Dana Agent", "TICKETS_EMAIL": "dana@support.example"]
    static let carolEnv = ["TICKETS_NAME": "Carol", "TICKETS_EMAIL": "carol@example.com"]

    static let statuses = ["open", "in-progress", "answered", "customer-reply", "closed", "canceled"]
    static let activeStatuses = ["open", "in-progress", "answered", "customer-reply"]

    static func env(_ who: Who) -> [String: String] {
        switch who {
        case .agent: agentEnv
        case .requester: [:]
        case .cc: carolEnv
        }
    }

    static func email(_ who: Who) -> String {
        switch who {
        case .agent: "bob@support.example"
        case .requester: "alice@example.com"
        case .cc: "carol@example.com"
        }
    }

    /// Runs `args` as `who`, at `now` when given.
    @discardableResult
    static func run(_ h: Harness, _ who: Who, _ args: [String], at now: String? = nil, stdin: [UInt8] = []) -> Harness.Result {
        var e = env(who)
        if let now { e["TICKETS_NOW"] = now }
        return h.run(args, stdin: stdin, env: e)
    }

    static func id(_ r: Harness.Result) -> Int {
        Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Opens a ticket as `who` (a requester: Alice or Carol) and returns its id.
    static func open(_ h: Harness, _ who: Who = .requester, _ subject: String, body: String = "It is on fire.",
                     _ extra: [String] = [], at now: String? = nil) -> Int {
        let r = run(h, who, ["open", "-s", subject, "-m", body, "-q"] + extra, at: now)
        precondition(r.code == 0, "open failed: \(r.stderr)")
        return id(r)
    }

    /// Alice's ticket (Carol on cc) brought into `status` through the commands.
    static func aliceTicket(in status: String, _ h: Harness, subject: String = "Printer on fire",
                            extra: [String] = ["--cc", "carol@example.com"]) -> Int {
        let id = open(h, .requester, subject, extra)
        func ok(_ r: Harness.Result) { precondition(r.code == 0, "\(status): \(r.stderr)") }
        switch status {
        case "open": break
        case "in-progress": ok(h.agent(["assign", "\(id)"]))
        case "answered": ok(h.agent(["reply", "\(id)", "-m", "Unplug it."]))
        case "customer-reply":
            ok(h.agent(["reply", "\(id)", "-m", "Unplug it."]))
            ok(h.run(["reply", "\(id)", "-m", "Still smoking."]))
        case "closed": ok(h.run(["close", "\(id)"]))
        case "canceled": ok(h.run(["cancel", "\(id)"]))
        default: preconditionFailure(status)
        }
        return id
    }

    /// The tickets as an agent sees them, with their history, and the whole export: equal
    /// before and after a refused command when nothing changed.
    static func snapshot(_ h: Harness, _ ids: [Int]) -> String {
        shows(h, ids) + h.agent(["export"]).stdout
    }

    /// The tickets as an agent sees them, with their history (when others may change).
    static func shows(_ h: Harness, _ ids: [Int]) -> String {
        ids.map { h.agent(["show", "\($0)", "--json", "--history"]).stdout }.joined()
    }

    /// `show --json --history` as `who`.
    static func detail(_ h: Harness, _ id: Int, as who: Who = .agent) throws -> [String: Any] {
        let r = run(h, who, ["show", "\(id)", "--json", "--history"])
        #expect(r.code == 0, "\(r.stderr)")
        return try r.jsonObject()
    }

    static func events(_ h: Harness, _ id: Int, as who: Who = .agent) throws -> [[String: Any]] {
        try #require(try detail(h, id, as: who)["events"] as? [[String: Any]])
    }

    static func messages(_ h: Harness, _ id: Int, as who: Who = .agent) throws -> [[String: Any]] {
        try #require(try detail(h, id, as: who)["messages"] as? [[String: Any]])
    }

    /// An event in one line: `actor action from→to field: old → new` (null for JSON null).
    static func row(_ e: [String: Any]) -> String {
        func s(_ k: String) -> String { e[k] is NSNull ? "null" : (e[k] as? String) ?? "<\(String(describing: e[k]))>" }
        let actor = (e["actor"] as? [String: Any])?["email"] as? String ?? "?"
        return "\(actor) \(s("action")) \(s("from_status"))→\(s("to_status")) \(s("field")): \(s("old_value")) → \(s("new_value"))"
    }

    static func rows(_ h: Harness, _ id: Int, as who: Who = .agent) throws -> [String] {
        try events(h, id, as: who).map(row)
    }

    /// The string at `key`, "null" for JSON null.
    static func string(_ o: [String: Any], _ key: String) -> String {
        o[key] is NSNull ? "null" : (o[key] as? String) ?? "<\(String(describing: o[key]))>"
    }

    /// The documented members of an event.
    static let eventKeys: Set<String> = ["id", "actor", "action", "from_status", "to_status", "field", "old_value",
                                         "new_value", "message_id", "created_at"]

    /// The History table of `show --history` (a wide table, so no cell is cut), as its lines.
    static func historyLines(_ h: Harness, _ id: Int, as who: Who = .agent) -> [String] {
        var e = env(who)
        e["COLUMNS"] = "250"
        let out = h.run(["show", "\(id)", "--history"], env: e).stdout
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "History") else { return [] }
        return lines[(start + 1)...].filter { !$0.isEmpty }
    }

    /// The CHANGE cell of each row of a History table, cut at the header's CHANGE column
    /// (so the table must be aligned for it to come out right), and the WHAT cell likewise.
    static func historyCells(_ lines: [String]) -> [(what: String, change: String)] {
        guard let header = lines.first else { return [] }
        let chars = Array(header)
        func column(_ name: String) -> Int {
            guard let r = header.range(of: name) else { return 0 }
            return header.distance(from: header.startIndex, to: r.lowerBound)
        }
        let what = column("WHAT"), change = column("CHANGE")
        precondition(chars.count >= change)
        return lines.dropFirst().map { line in
            let c = Array(line)
            let w = c.count > what ? String(c[what..<min(change, c.count)]).trimmingCharacters(in: .whitespaces) : ""
            let ch = c.count > change ? String(c[change...]) : ""
            return (w, ch)
        }
    }
}
