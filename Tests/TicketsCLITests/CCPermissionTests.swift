import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract B: someone on cc may see the ticket (`show`, `list`, `export`) and `reply`;
/// nothing else. Every other change is 77 and leaves the ticket as it was.
struct CCPermissionTests {
    /// Carol's ticket #1 with Karen on cc (typed `karen@example.com`), in `state`.
    static func world(_ state: String) -> Harness {
        let h = Harness()
        let id = h.openAs("carol@example.com", "Carol's VPN", ["--cc", "karen@example.com", "--cc", "dave@example.com"])
        precondition(id == 1)
        switch state {
        case "open": break
        case "answered": precondition(h.agent(["reply", "1", "-m", "Try again"]).code == 0)
        case "closed": precondition(h.runAs("carol@example.com", ["close", "1"]).code == 0)
        case "canceled": precondition(h.runAs("carol@example.com", ["cancel", "1"]).code == 0)
        default: fatalError(state)
        }
        return h
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let state: String
        let args: [String]
        var stdin = ""
        var testDescription: String { "\(state): \(args.joined(separator: " "))" }
    }

    static let refused: [Case] = [
        Case(state: "open", args: ["close", "1"]),
        Case(state: "answered", args: ["close", "1"]),
        Case(state: "open", args: ["close", "1", "-m", "done here"]),
        Case(state: "open", args: ["close", "1", "--dry-run"]),
        Case(state: "open", args: ["close", "-"], stdin: "1\n"),
        Case(state: "open", args: ["close", "--status", "open", "--yes"]),
        Case(state: "open", args: ["cancel", "1"]),
        Case(state: "open", args: ["cancel", "1", "-m", "not needed"]),
        Case(state: "open", args: ["cancel", "-"], stdin: "1\n"),
        Case(state: "closed", args: ["reopen", "1"]),
        Case(state: "closed", args: ["reopen", "1", "-m", "still broken"]),
        Case(state: "canceled", args: ["reopen", "1"]),
        Case(state: "closed", args: ["rate", "1", "5"]),
        Case(state: "closed", args: ["rate", "1", "1", "--review", "slow"]),
        Case(state: "open", args: ["edit", "1", "-s", "Karen's subject"]),
        Case(state: "open", args: ["edit", "1", "-p", "urgent"]),
        Case(state: "open", args: ["edit", "1", "-d", "billing"]),
        Case(state: "open", args: ["edit", "1", "--service", "vpn"]),
        Case(state: "open", args: ["edit", "1", "--add-cc", "erin@example.com"]),
        Case(state: "open", args: ["edit", "1", "--add-cc", "erin@example.com, frank@example.com"]),
        Case(state: "open", args: ["edit", "1", "--remove-cc", "dave@example.com"]),
        Case(state: "open", args: ["edit", "1", "--remove-cc", "karen@example.com"]),
        Case(state: "closed", args: ["edit", "1", "-s", "Karen's subject"]),
        Case(state: "open", args: ["reply", "1", "-m", "adding Erin", "--cc", "erin@example.com"]),
        Case(state: "open", args: ["reply", "1", "-m", "adding myself again", "--cc", "karen@example.com"]),
        Case(state: "answered", args: ["reply", "1", "-m", "adding two", "--cc", "erin@example.com,frank@example.com"]),
        Case(state: "open", args: ["reply", "1", "-m", "secret", "--internal"]),
        Case(state: "open", args: ["assign", "1"]),
        Case(state: "open", args: ["merge", "1", "--into", "2"]),
    ]

    static let karens = ["karen@example.com", "KAREN@EXAMPLE.COM", "\u{212A}aren@example.com"]

    @Test(arguments: refused, karens)
    func everythingButSeeingAndReplyingIs77(c: Case, as email: String) throws {
        let h = Self.world(c.state)
        if c.args.first == "merge" { _ = h.openAs("carol@example.com", "Second") }
        let before = h.snapshot(1)
        let r = h.runAs(email, c.args, stdin: Array(c.stdin.utf8))
        #expect(r.code == 77, "\(r.stderr)")
        #expect(r.stderr.contains("tickets: error:"), "the refusal says why: \(r.stderr)")
        #expect(h.snapshot(1) == before, "the ticket changed")
    }

    @Test(arguments: ["open", "answered", "closed", "canceled"], karens)
    func aCCMaySeeTheTicketInEveryStatus(state: String, as email: String) throws {
        let h = Self.world(state)
        _ = h.openAs("erin@example.com", "Not Karen's")
        #expect(h.runAs(email, ["show", "1"]).code == 0)
        #expect(h.runAs(email, ["show", "2"]).code == 77)
        #expect(h.runAs(email, ["list", "-q", "--status", "all"]).ids == [1])
        #expect(h.runAs(email, ["list", "-q", "--status", "all", "--mine"]).ids == [], "--mine is what they requested")
        #expect(h.runAs(email, ["export"]).jsonIDs() == [1])
    }

    @Test(arguments: ["open", "answered"], karens)
    func aCCMayReply(state: String, as email: String) throws {
        let h = Self.world(state)
        let r = h.runAs(email, ["reply", "1", "-m", "Same here", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try h.status(1) == (state == "open" ? "open" : "customer-reply"))
        #expect(try h.bodies(1).last == "Same here")
        #expect(try h.field(1, "cc") as? [String] == ["karen@example.com", "dave@example.com"], "cc unchanged")
    }

    /// The ticket's requester may do what a cc may not, so the refusals above are about
    /// the cc, not the actions.
    @Test func theRequesterMayDoWhatTheCCMayNot() throws {
        let h = Self.world("open")
        #expect(h.runAs("carol@example.com", ["edit", "1", "-s", "Renamed", "--add-cc", "erin@example.com"]).code == 0)
        #expect(h.runAs("carol@example.com", ["reply", "1", "-m", "x", "--cc", "frank@example.com"]).code == 0)
        #expect(h.runAs("carol@example.com", ["close", "1"]).code == 0)
        #expect(h.runAs("carol@example.com", ["rate", "1", "3"]).code == 0)
        #expect(h.runAs("carol@example.com", ["reopen", "1"]).code == 0)
        #expect(h.runAs("carol@example.com", ["cancel", "1"]).code == 0)
    }
}
