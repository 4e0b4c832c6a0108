import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract I: dedupe keys are per requester. Two requesters filing one key get two
/// tickets and neither learns of the other's; the same requester (any spelling of the
/// address) gets `"deduplicated": true`. `reopen` of a ticket whose key another active
/// ticket of the same requester now carries is refused (65) naming that ticket.
struct DedupeScopeTests {
    static func file(_ h: Harness, as email: String, key: String, _ extra: [String] = []) -> Harness.Result {
        h.runAs(email, ["open", "-s", "CI failed", "-m", "log from \(email)", "--dedupe-key", key, "--json"] + extra)
    }

    static let keys = ["ci:main:build", "nightly", "Ключ-ß", "键 with spaces", "a\"quote'and\\backslash", repeated("k", 500)]

    @Test(arguments: keys)
    func twoRequestersGetTwoTicketsAndLearnNothing(key: String) throws {
        let h = Harness()
        let first = Self.file(h, as: "alice@example.com", key: key)
        try #require(first.code == 0, "\(first.stderr)")
        let second = Self.file(h, as: "carol@example.com", key: key)
        try #require(second.code == 0, "\(second.stderr)")
        let a = try first.jsonObject(), c = try second.jsonObject()
        #expect(a["deduplicated"] as? Bool == false)
        #expect(c["deduplicated"] as? Bool == false)
        let aID = try #require(a["id"] as? Int), cID = try #require(c["id"] as? Int)
        #expect(aID != cID)
        // Nothing Carol sees names Alice's ticket, in any output format.
        for args in [["open", "-s", "again", "-m", "x", "--dedupe-key", key],
                     ["open", "-s", "again", "-m", "x", "--dedupe-key", key, "--json"],
                     ["open", "-s", "again", "-m", "x", "--dedupe-key", key, "-q"]] {
            let r = h.runAs("carol@example.com", args)
            #expect(r.code == 0)
            let text = r.stdout + r.stderr
            #expect(!text.contains("#\(aID)") && !text.contains("\"id\":\(aID)") && r.stdout != "\(aID)\n", "\(text)")
            #expect(!text.contains("alice"), "\(text)")
        }
        #expect(h.runAs("carol@example.com", ["list", "-q", "--status", "all"]).ids == [cID])
        #expect(h.runAs("alice@example.com", ["list", "-q", "--status", "all"]).ids == [aID])
        #expect(try h.bodies(aID) == ["log from alice@example.com"], "Carol's filings never reached Alice's ticket")
        #expect(try h.bodies(cID).count == 4)
    }

    /// The same requester under any spelling of the address (rule A) is deduplicated.
    @Test(arguments: ["karen@example.com", "KAREN@EXAMPLE.COM", "\u{212A}aren@example.com", "\u{FF4B}aren@Example.com"])
    func theSameRequesterIsDeduplicated(spelling: String) throws {
        let h = Harness()
        let first = try Self.file(h, as: "karen@example.com", key: "nightly").jsonObject()
        let again = Self.file(h, as: spelling, key: "nightly")
        try #require(again.code == 0, "\(again.stderr)")
        let j = try again.jsonObject()
        #expect(j["deduplicated"] as? Bool == true)
        #expect(j["id"] as? Int == first["id"] as? Int)
        #expect(again.stderr.contains("#\(first["id"] as? Int ?? -1)"))
        #expect(h.ticketCount() == 1)
    }

    /// Look-alikes are other people: they get their own ticket.
    @Test(arguments: ["k\u{430}ren@example.com", "karen\u{200B}@example.com", "kar\u{E9}n@example.com"])
    func aLookAlikeIsAnotherRequester(spelling: String) throws {
        let h = Harness()
        let first = try Self.file(h, as: "karen@example.com", key: "nightly").jsonObject()
        let other = try Self.file(h, as: spelling, key: "nightly").jsonObject()
        #expect(other["deduplicated"] as? Bool == false)
        #expect(other["id"] as? Int != first["id"] as? Int)
        #expect(try h.bodies(1).count == 1)
    }

    /// The key holder changed while the ticket was closed or canceled: reopening is refused
    /// with the holder's id and what to do, never SQLite's words.
    struct Reopen: Sendable, CustomTestStringConvertible {
        let args: [String]
        let byAgent: Bool
        var testDescription: String { (byAgent ? "agent " : "") + args.joined(separator: " ") }
    }

    static let reopens: [Reopen] = [["reopen", "1"], ["reopen", "1", "-m", "back"], ["reopen", "#1"]].flatMap {
        [Reopen(args: $0, byAgent: false), Reopen(args: $0, byAgent: true)]
    }

    @Test(arguments: ["close", "cancel"], reopens)
    func reopenIsRefusedWhileAnotherTicketHoldsTheKey(end: String, how: Reopen) throws {
        let reopen = how.args, byAgent = how.byAgent
        let h = Harness()
        try #require(Self.file(h, as: "alice@example.com", key: "nightly").code == 0)
        try #require(h.run([end, "1"]).code == 0)
        let second = try Self.file(h, as: "ALICE@example.com", key: "nightly").jsonObject()
        #expect(second["deduplicated"] as? Bool == false)
        #expect(second["id"] as? Int == 2)
        let before = h.snapshot(1)
        let r = byAgent ? h.agent(reopen) : h.run(reopen)
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr.contains("#2"), "names the holder: \(r.stderr)")
        #expect(r.stderr.contains("close #2") || r.stderr.contains("reply"), "says what to do: \(r.stderr)")
        #expect(!r.stderr.localizedCaseInsensitiveContains("constraint") && !r.stderr.contains("SQLITE"), "\(r.stderr)")
        #expect(h.snapshot(1) == before)
        // Once #2 is closed, #1 reopens and carries the key again.
        #expect(h.run(["close", "2"]).code == 0)
        #expect((byAgent ? h.agent(reopen) : h.run(reopen)).code == 0)
        #expect(try Self.file(h, as: "alice@example.com", key: "nightly").jsonObject()["id"] as? Int == 1)
    }

    /// The refusal in a bulk reopen is reported for its ticket; the others reopen.
    @Test func bulkReopenReportsTheHolderAndGoesOn() throws {
        let h = Harness()
        _ = Self.file(h, as: "alice@example.com", key: "nightly")
        let plain = h.open("No key")
        #expect(h.run(["close", "1", "\(plain)"]).code == 0)
        _ = Self.file(h, as: "alice@example.com", key: "nightly")  // #3
        let r = h.run(["reopen", "-", "--json"], stdin: Array("1\n\(plain)\n".utf8))
        #expect(r.code == 65, "\(r.stderr)")
        #expect(r.stderr.contains("#3"))
        #expect(!r.stderr.localizedCaseInsensitiveContains("constraint"))
        #expect(r.jsonIDs() == [plain])
        #expect(try h.status(1) == "closed")
        #expect(try h.status(plain) == "open")
    }

    /// Another requester's active ticket with the same key does not block a reopen.
    @Test func anotherRequestersKeyDoesNotBlockReopen() throws {
        let h = Harness()
        _ = Self.file(h, as: "alice@example.com", key: "nightly")
        #expect(h.run(["close", "1"]).code == 0)
        _ = Self.file(h, as: "carol@example.com", key: "nightly")
        let r = h.run(["reopen", "1"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("#2"))
    }
}
