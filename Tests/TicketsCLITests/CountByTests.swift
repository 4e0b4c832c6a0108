import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `tickets list ... --count --by FIELD`: the parsing table, then counts per field, with
/// filters, for an agent and for requesters, and agreeing with `list --count --status S`.
@Suite struct CountByTests {
    // MARK: Parsing

    struct Refusal: CustomStringConvertible, Sendable {
        let args: [String]
        let code: Int32
        let stderr: String
        var description: String { args.joined(separator: " ") }
    }

    static let refusals: [Refusal] = [
        Refusal(args: ["list", "--by", "status"], code: 64, stderr: "--by counts per value and goes with --count: tickets list --count --by status"),
        Refusal(args: ["list", "--count", "--by"], code: 64, stderr: "option '--by' needs a value"),
        Refusal(args: ["list", "--count", "--by", "colour"], code: 64,
                stderr: "unknown field 'colour' for --by; use status, department, priority, assignee, service"),
        Refusal(args: ["list", "--count", "--by", "requester"], code: 64, stderr: "unknown field 'requester' for --by"),
        Refusal(args: ["list", "--count", "--by", "status", "--status", "pending"], code: 64, stderr: "unknown status 'pending'"),
        Refusal(args: ["list", "--count", "--by", "status", "--created-since", "soon"], code: 64, stderr: "--created-since takes a date"),
        Refusal(args: ["list", "--count", "--by", "priority", "-d", "legal"], code: 65, stderr: "unknown department 'legal'"),
        Refusal(args: ["list", "--count", "--by", "department", "-p", "asap"], code: 65, stderr: "unknown priority 'asap'"),
    ]

    @Test(arguments: refusals)
    func refused(c: Refusal) {
        let h = Harness()
        let r = h.run(c.args)
        #expect(r.code == c.code, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: error: ") && r.stderr.contains(c.stderr), "\(r.stderr)")
        #expect(r.stderr.filter { $0 == "\n" }.count == 1)
        #expect(r.stdout.isEmpty)
        #expect(!FileSystem.exists(h.dbPath))
    }

    // MARK: The world

    /// Alice: a1 open (billing, high, VPN, "VPN drops at night"), a2 in progress (technical,
    /// urgent, Bob's, opened at 08:00 so overdue at 10:00), a3 answered (billing, low, Email,
    /// Dana's as "Dana@Support.Example"), a4 closed (other, medium, opened the day before).
    /// Carol: c1 open (billing, medium, VPN, cc Alice), c2 customer-reply (sales, high,
    /// Dana's as "dana@support.example"), c3 canceled (other, medium).
    struct World {
        let h = Harness()
        let a1: Int, a2: Int, a3: Int, a4: Int, c1: Int, c2: Int, c3: Int
        init() {
            func ok(_ r: Harness.Result) { precondition(r.code == 0, r.stderr) }
            a1 = EM.open(h, .requester, "VPN drops at night", ["-d", "billing", "-p", "high", "--service", "VPN"])
            a2 = EM.open(h, .requester, "Laptop dead", ["-d", "technical", "-p", "urgent"], at: "2026-11-22T08:00:00Z")
            ok(EM.run(h, .agent, ["assign", "\(a2)"], at: "2026-11-22T08:10:00Z"))
            a3 = EM.open(h, .requester, "Mail bounces", ["-d", "billing", "-p", "low", "--service", "Email"])
            ok(h.agent(["assign", "\(a3)", "--to", "Dana@Support.Example"]))
            ok(h.agent(["reply", "\(a3)", "-m", "Fixed the MX record."]))
            a4 = EM.open(h, .requester, "Old question", [], at: "2026-11-21T10:00:00Z")
            ok(h.run(["close", "\(a4)"]))
            c1 = EM.open(h, .cc, "VPN slow", ["-d", "billing", "--service", "VPN", "--cc", "alice@example.com"])
            c2 = EM.open(h, .cc, "Quote for 20 seats", ["-d", "sales", "-p", "high"])
            ok(h.agent(["assign", "\(c2)", "--to", "dana@support.example"]))
            ok(h.agent(["reply", "\(c2)", "-m", "Here is the quote."]))
            ok(h.carol(["reply", "\(c2)", "-m", "Can you do better?"]))
            c3 = EM.open(h, .cc, "Never mind", [])
            ok(h.carol(["cancel", "\(c3)"]))
        }

        /// `list --count --by field` as `who`, JSON: (value or "null", count) in order.
        func counts(_ field: String, _ filters: [String] = [], as who: EM.Who = .agent, env extra: [String: String] = [:]) throws -> [Pair] {
            var e = EM.env(who)
            e.merge(extra) { $1 }
            let r = h.run(["list", "--count", "--by", field, "--json"] + filters, env: e)
            #expect(r.code == 0, "\(r.stderr)")
            return try r.jsonArray().map { o in
                #expect(Set(o.keys) == ["value", "count"])
                return Pair(EM.string(o, "value"), o["count"] as? Int ?? -1)
            }
        }

        /// `list --count` (one number) as `who`.
        func count(_ filters: [String], as who: EM.Who = .agent) throws -> Int {
            let r = EM.run(h, who, ["list", "--count", "--json"] + filters)
            #expect(r.code == 0, "\(r.stderr)")
            return try #require(try r.jsonObject()["count"] as? Int)
        }
    }

    struct Pair: Equatable, CustomStringConvertible {
        let value: String, count: Int
        init(_ v: String, _ c: Int) { value = v; count = c }
        var description: String { "\(value): \(count)" }
    }

    static func pairs(_ list: KeyValuePairs<String, Int>) -> [Pair] { list.map { Pair($0.key, $0.value) } }

    /// As a dictionary, for the fields whose order the contract leaves open; one row per value.
    static func dict(_ p: [Pair]) -> [String: Int] {
        Dictionary(p.map { ($0.value, $0.count) }, uniquingKeysWith: { a, b in
            Issue.record("two rows for one value")
            return a + b
        })
    }

    // MARK: Counts per field

    @Test func everyStatusAndPriorityIsPresentInOrderWithZeroCounts() throws {
        let w = World()
        #expect(try w.counts("status", ["--status", "all"]) == Self.pairs([
            "open": 2, "in-progress": 1, "answered": 1, "customer-reply": 1, "closed": 1, "canceled": 1,
        ]))
        #expect(try w.counts("status") == Self.pairs([
            "open": 2, "in-progress": 1, "answered": 1, "customer-reply": 1, "closed": 1, "canceled": 1,
        ]), "the status tabs count every status unless --status says which")
        #expect(try w.counts("status", ["--status", "active"]) == Self.pairs([
            "open": 2, "in-progress": 1, "answered": 1, "customer-reply": 1, "closed": 0, "canceled": 0,
        ]))
        #expect(try w.counts("priority", ["--status", "all"]) == Self.pairs(["low": 1, "medium": 3, "high": 2, "urgent": 1]))
        #expect(try w.counts("priority", ["-d", "sales"]) == Self.pairs(["low": 0, "medium": 0, "high": 1, "urgent": 0]))
        let empty = Harness()
        let none = empty.agent(["list", "--count", "--by", "priority", "--json"])
        #expect(try none.jsonArray().map { "\($0["value"] as? String ?? "?")=\($0["count"] as? Int ?? -1)" } ==
                ["low=0", "medium=0", "high=0", "urgent=0"])
    }

    @Test func departmentAssigneeAndServiceCountTheValuesFoundAndNull() throws {
        let w = World()
        #expect(Self.dict(try w.counts("department", ["--status", "all"])) == ["billing": 3, "other": 2, "sales": 1, "technical": 1])
        #expect(Self.dict(try w.counts("department")) == ["billing": 3, "sales": 1, "technical": 1], "no zero rows for departments")
        #expect(Self.dict(try w.counts("service", ["--status", "all"])) == ["VPN": 2, "Email": 1, "null": 4])
        // One person is one row however the address was typed.
        let assignees = try w.counts("assignee", ["--status", "all"])
        #expect(Self.dict(assignees.map { Pair($0.value.lowercased(), $0.count) }) ==
                ["bob@support.example": 1, "dana@support.example": 2, "null": 4])
        #expect(assignees.count == 3, "\(assignees)")
    }

    @Test func theTableHasTwoColumns() {
        let w = World()
        let status = w.h.agent(["list", "--count", "--by", "status"])
        #expect(status.code == 0)
        #expect(status.stdout == """
            STATUS          COUNT
            open                2
            in-progress         1
            answered            1
            customer-reply      1
            closed              1
            canceled            1

            """)
        let service = w.h.agent(["list", "--count", "--by", "service", "--status", "all"])
        let rows = service.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.first == ["SERVICE", "COUNT"])
        #expect(Set(rows.dropFirst().map { $0.joined(separator: "=") }) == ["Email=1", "VPN=2", "(none)=4"], "\(service.stdout)")
        #expect(rows.allSatisfy { $0.count == 2 })
    }

    // MARK: Filters

    @Test func everyFilterIsHonoured() throws {
        let w = World()
        #expect(try w.counts("priority", ["--status", "all", "-d", "billing"]) == Self.pairs(["low": 1, "medium": 1, "high": 1, "urgent": 0]))
        #expect(try w.counts("status", ["--status", "all", "--requester", "CAROL@example.com"]) == Self.pairs([
            "open": 1, "in-progress": 0, "answered": 0, "customer-reply": 1, "closed": 0, "canceled": 1,
        ]))
        #expect(Self.dict(try w.counts("department", ["--service", "VPN"])) == ["billing": 2])
        #expect(Self.dict(try w.counts("assignee", ["-p", "high"]).map { Pair($0.value.lowercased(), $0.count) }) ==
                ["dana@support.example": 1, "null": 1])
        #expect(try w.counts("status", ["--mine"]) == Self.pairs([
            "open": 0, "in-progress": 1, "answered": 0, "customer-reply": 0, "closed": 0, "canceled": 0,
        ]), "Bob's")
        #expect(try w.counts("status", ["--mine"], env: EM.danaEnv) == Self.pairs([
            "open": 0, "in-progress": 0, "answered": 1, "customer-reply": 1, "closed": 0, "canceled": 0,
        ]), "Dana's, however her address was typed")
        #expect(try w.counts("status", ["-S", "night"]) == Self.pairs([
            "open": 1, "in-progress": 0, "answered": 0, "customer-reply": 0, "closed": 0, "canceled": 0,
        ]))
        #expect(Self.dict(try w.counts("department", ["--status", "closed", "--status", "canceled"])) == ["other": 2])
        #expect(try w.counts("status", ["--status", "all", "--created-since", "2026-11-22"]) == Self.pairs([
            "open": 2, "in-progress": 1, "answered": 1, "customer-reply": 1, "closed": 0, "canceled": 1,
        ]))
        #expect(try w.counts("priority", ["--overdue"]) == Self.pairs(["low": 0, "medium": 0, "high": 0, "urgent": 1]))
    }

    // MARK: Requesters

    @Test func aRequesterCountsOnlyTheTicketsTheyMaySee() throws {
        let w = World()
        // Alice: her four and Carol's c1, where she is on cc.
        #expect(try w.counts("status", ["--status", "all"], as: .requester) == Self.pairs([
            "open": 2, "in-progress": 1, "answered": 1, "customer-reply": 0, "closed": 1, "canceled": 0,
        ]))
        #expect(Self.dict(try w.counts("department", ["--status", "all"], as: .requester)) == ["billing": 3, "other": 1, "technical": 1])
        #expect(try w.counts("priority", ["--status", "all"], as: .requester) == Self.pairs(["low": 1, "medium": 2, "high": 1, "urgent": 1]))
        #expect(Self.dict(try w.counts("service", ["--status", "all"], as: .requester)) == ["VPN": 2, "Email": 1, "null": 2])
        // --mine for a requester: opened by her, so not c1.
        #expect(Self.dict(try w.counts("department", ["--status", "all", "--mine"], as: .requester)) == ["billing": 2, "other": 1, "technical": 1])
        // Carol: her three only, although Alice's a1 shares her service.
        #expect(try w.counts("status", ["--status", "all"], as: .cc) == Self.pairs([
            "open": 1, "in-progress": 0, "answered": 0, "customer-reply": 1, "closed": 0, "canceled": 1,
        ]))
        #expect(Self.dict(try w.counts("service", ["--status", "all"], as: .cc)) == ["VPN": 1, "null": 2])
        // A requester filtering by another requester sees nothing of theirs but the shared ticket.
        #expect(Self.dict(try w.counts("department", ["--status", "all", "--requester", "carol@example.com"], as: .requester)) == ["billing": 1])
        // A stranger counts zeros.
        let stranger = try w.counts("status", ["--status", "all"], env: ["TICKETS_ROLE": "requester", "TICKETS_EMAIL": "mallory@example.com"])
        #expect(stranger.allSatisfy { $0.count == 0 } && stranger.count == 6, "\(stranger)")
    }

    // MARK: Agreement with list --count

    /// For each status S, `--by status` says what `list --count --status S` says: for an
    /// agent, Alice and Carol, over every ticket and under a department filter.
    @Test(arguments: [EM.Who.agent, .requester, .cc])
    func byStatusOverAllAgreesWithCountPerStatus(who: EM.Who) throws {
        let w = World()
        for filters in [[], ["-d", "billing"], ["-p", "medium"]] {
            let by = try w.counts("status", ["--status", "all"] + filters, as: who)
            #expect(by.map(\.value) == EM.statuses)
            for p in by {
                #expect(p.count == (try w.count(["--status", p.value] + filters, as: who)), "\(who) \(filters) \(p.value)")
            }
            #expect(by.map(\.count).reduce(0, +) == (try w.count(["--status", "all"] + filters, as: who)))
        }
    }

    /// The same without `--status`: `list --count --by status` next to `list --count
    /// --status S`, as the issue asks. Every status is a row, so a row must not say 0 when
    /// `list --count --status S` finds tickets in S.
    @Test(arguments: [EM.Who.agent, .requester, .cc])
    func byStatusAgreesWithCountPerStatus(who: EM.Who) throws {
        let w = World()
        let by = try w.counts("status", as: who)
        #expect(by.map(\.value) == EM.statuses)
        for p in by {
            let n = try w.count(["--status", p.value], as: who)
            #expect(p.count == n, "\(who): --by status says \(p.value) \(p.count), list --count --status \(p.value) says \(n)")
        }
    }

    /// The per-value counts add up to `list --count` with the same filters, for every field
    /// (`--by status` without `--status` counts every status, so it adds up to `--status all`).
    @Test(arguments: ["status", "department", "priority", "assignee", "service"])
    func countsAddUpToTheTotal(field: String) throws {
        let w = World()
        for who in [EM.Who.agent, .requester, .cc] {
            for filters in [[], ["--status", "all"], ["--status", "closed", "-d", "other"]] {
                let sum = try w.counts(field, filters, as: who).map(\.count).reduce(0, +)
                let total = field == "status" && filters.isEmpty ? ["--status", "all"] : filters
                #expect(sum == (try w.count(total, as: who)), "\(who) \(filters)")
            }
        }
    }

    /// Edits and merges move tickets between rows.
    @Test func editAndMergeMoveTicketsBetweenRows() throws {
        let w = World()
        #expect(w.h.agent(["edit", "\(w.a1)", "-d", "sales", "--no-service"]).code == 0)
        #expect(Self.dict(try w.counts("department")) == ["billing": 2, "sales": 2, "technical": 1])
        #expect(Self.dict(try w.counts("service")) == ["VPN": 1, "Email": 1, "null": 3])
        #expect(w.h.agent(["merge", "\(w.c1)", "--into", "\(w.a1)"]).code == 0)
        #expect(try w.counts("status", ["--status", "all"]) == Self.pairs([
            "open": 1, "in-progress": 1, "answered": 1, "customer-reply": 1, "closed": 2, "canceled": 1,
        ]))
        // Carol, now on a1's cc, counts it.
        #expect(try w.counts("status", ["--status", "all"], as: .cc) == Self.pairs([
            "open": 1, "in-progress": 0, "answered": 0, "customer-reply": 1, "closed": 1, "canceled": 1,
        ]))
    }
}
