import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract A: one identity rule (NFKC + full case folding of the whole address) in every
/// command and every SQL filter. `list` shows exactly what `show` and `reply` allow.
struct IdentityRuleTests {
    /// Ticket ids of the world, by owner.
    enum ID {
        static let karen = 1, jose = 2, carolCCKaren = 3, strasse = 4, karenClosed = 5, carolCCJose = 6, kim = 7,
                   sophos = 8, asa = 9
        static let all = 1...9
    }

    /// Nine tickets: each person's own, two of Carol's with a cc, one closed.
    static func world() -> Harness {
        let h = Harness()
        let opened = [
            h.openAs("karen@example.com", "Karen's printer"),
            h.openAs("jos\u{E9}@example.com", "José's mail"),  // NFC
            h.openAs("carol@example.com", "Carol copies Karen", ["--cc", "karen@example.com"]),
            h.openAs("stra\u{DF}e@example.com", "Straße"),
            h.openAs("karen@example.com", "Karen's old one"),
            h.openAs("carol@example.com", "Carol copies José", ["--cc", "JOSE\u{301}@EXAMPLE.COM"]),  // NFD, upper case
            h.openAs("kim@example.com", "Kim's"),
            h.openAs("\u{3C3}\u{3BF}\u{3C6}\u{3CC}\u{3C2}@example.gr", "σοφός"),  // final sigma, tonos
            h.openAs("\u{E5}sa@example.com", "Åsa's"),
        ]
        precondition(opened == Array(ID.all))
        precondition(h.runAs("karen@example.com", ["close", "\(ID.karenClosed)"]).code == 0)
        return h
    }

    typealias Spelling = Labeled<(email: String, sees: Set<Int>, mine: Set<Int>)>

    /// (spelling, every ticket this person may see, the ones they requested)
    static let spellings: [Spelling] = karenSpellings + otherSpellings

    static let karenSpellings: [Spelling] = Array(allSpellings.prefix(16))
    static let otherSpellings: [Spelling] = Array(allSpellings.dropFirst(16))

    static let allSpellings: [Spelling] = {
        let karen: Set = [ID.karen, ID.carolCCKaren, ID.karenClosed], karenMine: Set = [ID.karen, ID.karenClosed]
        let jose: Set = [ID.jose, ID.carolCCJose], joseMine: Set = [ID.jose]
        func same(_ label: String, _ email: String, _ sees: Set<Int>, _ mine: Set<Int>) -> Spelling {
            Labeled(label, (email, sees, mine))
        }
        func other(_ label: String, _ email: String) -> Spelling {
            Labeled(label + " (another person)", (email, [], []))
        }
        return [
            same("karen as typed", "karen@example.com", karen, karenMine),
            same("KAREN upper case", "KAREN@EXAMPLE.COM", karen, karenMine),
            same("Karen mixed case", "Karen@Example.Com", karen, karenMine),
            same("U+212A KELVIN SIGN", "\u{212A}aren@example.com", karen, karenMine),
            same("KELVIN SIGN, upper case", "\u{212A}AREN@EXAMPLE.COM", karen, karenMine),
            same("fullwidth letters", "\u{FF4B}\u{FF41}\u{FF52}\u{FF45}\u{FF4E}@example.com", karen, karenMine),
            same("mathematical bold", "\u{1D424}\u{1D41A}\u{1D42B}\u{1D41E}\u{1D427}@example.com", karen, karenMine),
            same("circled letters", "\u{24DA}\u{24D0}\u{24E1}\u{24D4}\u{24DD}@example.com", karen, karenMine),
            other("Cyrillic а", "k\u{430}ren@example.com"),
            other("Cyrillic е", "kar\u{435}n@example.com"),
            other("Cyrillic о in the domain", "karen@example.c\u{43E}m"),
            other("Greek ο in the domain", "karen@example.c\u{3BF}m"),
            other("Greek capital kappa", "\u{39A}AREN@EXAMPLE.COM"),
            other("zero width space", "karen\u{200B}@example.com"),
            other("soft hyphen", "ka\u{AD}ren@example.com"),
            other("é for e", "kar\u{E9}n@example.com"),
            // (the first 16 are Karen's and her look-alikes)
            same("josé NFC", "jos\u{E9}@example.com", jose, joseMine),
            same("josé NFD", "jose\u{301}@example.com", jose, joseMine),
            same("JOSÉ NFC upper case", "JOS\u{C9}@EXAMPLE.COM", jose, joseMine),
            same("JOSÉ NFD upper case", "JOSE\u{301}@EXAMPLE.COM", jose, joseMine),
            other("jose without the accent", "jose@example.com"),
            other("josé with Cyrillic о", "j\u{43E}s\u{E9}@example.com"),
            other("josé with dotless ȷ", "\u{237}os\u{E9}@example.com"),
            other("josé with a grave accent", "jos\u{E8}@example.com"),
            same("STRASSE", "STRASSE@EXAMPLE.COM", [ID.strasse], [ID.strasse]),
            same("strasse", "strasse@example.com", [ID.strasse], [ID.strasse]),
            same("capital sharp s ẞ", "STRA\u{1E9E}E@example.com", [ID.strasse], [ID.strasse]),
            other("strase", "strase@example.com"),
            other("Greek β for ß", "stra\u{3B2}e@example.com"),
            same("KIM", "KIM@EXAMPLE.COM", [ID.kim], [ID.kim]),
            same("KELVIN SIGN in kim", "\u{212A}im@example.com", [ID.kim], [ID.kim]),
            other("dotless ı", "k\u{131}m@example.com"),
            other("dotted capital İ", "K\u{130}M@EXAMPLE.COM"),
            other("Cyrillic і", "k\u{456}m@example.com"),
            same("ΣΟΦΌΣ upper case", "\u{3A3}\u{39F}\u{3A6}\u{38C}\u{3A3}@EXAMPLE.GR", [ID.sophos], [ID.sophos]),
            same("σοφόσ with medial sigma", "\u{3C3}\u{3BF}\u{3C6}\u{3CC}\u{3C3}@example.gr", [ID.sophos], [ID.sophos]),
            same("σοφός NFD", "\u{3C3}\u{3BF}\u{3C6}\u{3BF}\u{301}\u{3C2}@example.gr", [ID.sophos], [ID.sophos]),
            other("σοφος without tonos", "\u{3C3}\u{3BF}\u{3C6}\u{3BF}\u{3C2}@example.gr"),
            other("σoφός with Latin o", "\u{3C3}o\u{3C6}\u{3CC}\u{3C2}@example.gr"),
            same("U+212B ANGSTROM SIGN", "\u{212B}SA@EXAMPLE.COM", [ID.asa], [ID.asa]),
            same("åsa NFD", "a\u{30A}sa@example.com", [ID.asa], [ID.asa]),
            other("asa without the ring", "asa@example.com"),
        ]
    }()

    /// For each spelling: `list` = the ids `show` allows = the ids `reply` does not refuse
    /// as "not permitted" = what the rule says; `--mine`, export and an agent's
    /// `--requester` filter agree.
    @Test(arguments: spellings)
    func listShowReplyAndExportAgree(spelling: Spelling) throws {
        let h = Self.world()
        let email = spelling.value.email
        let listed = h.runAs(email, ["list", "-q", "--status", "all"])
        #expect(listed.code == 0, "\(listed.stderr)")
        let shown = Set(ID.all.filter { h.runAs(email, ["show", "\($0)"]).code == 0 })
        let refusedShows = Set(ID.all.filter { h.runAs(email, ["show", "\($0)"]).code == 77 })
        #expect(listed.ids == shown)
        #expect(listed.ids == spelling.value.sees)
        #expect(refusedShows == Set(ID.all).subtracting(spelling.value.sees), "every other ticket is 77")
        #expect(h.runAs(email, ["list", "-q", "--status", "all", "--mine"]).ids == spelling.value.mine)
        let exported = h.runAs(email, ["export"])
        #expect(exported.code == 0, "\(exported.stderr)")
        #expect(exported.jsonIDs() == spelling.value.sees)
        let requested = h.agentEnv(["list", "-q", "--status", "all", "--requester", email])
        #expect(requested.code == 0, "\(requested.stderr)")
        #expect(requested.ids == spelling.value.mine)
        let counted = h.runAs(email, ["list", "--count", "--status", "all"])
        #expect(counted.stdout == "\(spelling.value.sees.count)\n")
        // Reply last: it changes statuses. A closed ticket refuses it by status (65), not by person.
        let replies = Set(ID.all.filter { h.runAs(email, ["reply", "\($0)", "-m", "me"]).code != 77 })
        #expect(replies == spelling.value.sees)
    }

    /// Writes by the requester under any spelling of their address: close, rate, reopen,
    /// edit, cancel, reply --cc. A look-alike gets 77 and changes nothing.
    @Test(arguments: karenSpellings)
    func writesFollowTheRule(spelling: Spelling) throws {
        let h = Self.world()
        let email = spelling.value.email
        let isKaren = spelling.value.sees.contains(ID.karen)
        let steps: [[String]] = [
            ["reply", "\(ID.karen)", "-m", "more", "--cc", "dave@example.com"],
            ["edit", "\(ID.karen)", "-s", "Renamed by Karen"],
            ["close", "\(ID.karen)", "-m", "fixed"],
            ["rate", "\(ID.karen)", "4"],
            ["reopen", "\(ID.karen)"],
            ["cancel", "\(ID.karen)"],
        ]
        for step in steps {
            let before = h.snapshot(ID.karen)
            let r = h.runAs(email, step)
            if isKaren {
                #expect(r.code == 0, "\(step): \(r.stderr)")
            } else {
                #expect(r.code == 77, "\(step): \(r.stderr)")
                #expect(h.snapshot(ID.karen) == before, "\(step) changed the ticket")
            }
        }
        if isKaren {
            #expect(try h.status(ID.karen) == "canceled")
            #expect(try h.field(ID.karen, "subject") as? String == "Renamed by Karen")
        }
        // cc matching: Karen under this spelling on Carol's ticket.
        let r = h.runAs(email, ["reply", "\(ID.carolCCKaren)", "-m", "from the cc"])
        #expect(r.code == (isKaren ? 0 : 77), "\(r.stderr)")
    }

    /// The cc list keeps one entry per person, and removes a person by any spelling.
    @Test func ccListsCompareByTheRule() throws {
        let h = Self.world()
        for spelling in ["KAREN@EXAMPLE.COM", "\u{212A}aren@example.com", "\u{FF4B}aren@example.com"] {
            #expect(h.agent(["reply", "\(ID.carolCCKaren)", "-m", "x", "--cc", spelling]).code == 0)
            #expect(h.agent(["edit", "\(ID.carolCCKaren)", "--add-cc", spelling]).code == 0)
            #expect(try h.field(ID.carolCCKaren, "cc") as? [String] == ["karen@example.com"], "\(spelling)")
        }
        #expect(h.agent(["edit", "\(ID.carolCCJose)", "--add-cc", "jos\u{E9}@example.com"]).code == 0)
        #expect(try h.field(ID.carolCCJose, "cc") as? [String] == ["JOSE\u{301}@EXAMPLE.COM"])
        #expect(h.agent(["edit", "\(ID.carolCCKaren)", "--remove-cc", "\u{212A}AREN@EXAMPLE.COM"]).code == 0)
        #expect(try h.field(ID.carolCCKaren, "cc") as? [String] == [])
        #expect(h.runAs("karen@example.com", ["show", "\(ID.carolCCKaren)"]).code == 77)
        #expect(h.agent(["edit", "\(ID.carolCCJose)", "--remove-cc", "jos\u{E9}@example.com"]).code == 0)
        #expect(try h.field(ID.carolCCJose, "cc") as? [String] == [])
        // A look-alike is someone else: added beside, not merged.
        #expect(h.agent(["edit", "\(ID.carolCCJose)", "--add-cc", "jose@example.com", "--add-cc", "j\u{43E}s\u{E9}@example.com"]).code == 0)
        #expect(try h.field(ID.carolCCJose, "cc") as? [String] == ["jose@example.com", "j\u{43E}s\u{E9}@example.com"])
    }

    /// An agent's --mine and counts by assignee compare assignees by the rule too.
    @Test func assigneesCompareByTheRule() throws {
        let h = Self.world()
        #expect(h.agent(["assign", "\(ID.karen)", "--to", "kim@support.example"]).code == 0)
        #expect(h.agent(["assign", "\(ID.jose)", "--to", "KIM@SUPPORT.EXAMPLE"]).code == 0)
        #expect(h.agent(["assign", "\(ID.kim)", "--to", "k\u{131}m@support.example"]).code == 0)
        for spelling in ["kim@support.example", "\u{212A}IM@support.example", "\u{FF4B}im@SUPPORT.example"] {
            let mine = h.agentEnv(["list", "-q", "--mine"], env: ["TICKETS_EMAIL": spelling])
            #expect(mine.ids == [ID.karen, ID.jose], "\(spelling)")
        }
        #expect(h.agentEnv(["list", "-q", "--mine"], env: ["TICKETS_EMAIL": "k\u{131}m@support.example"]).ids == [ID.kim])
        let counts = try h.agent(["list", "--count", "--by", "assignee", "--json"]).jsonArray()
        let byValue = counts.map { ($0["value"] as? String ?? "(none)", $0["count"] as? Int ?? -1) }
        #expect(byValue.count == 3, "kim and KIM are one group, kım another: \(byValue)")
        #expect(byValue.contains { $0.0.lowercased() == "kim@support.example" && $0.1 == 2 }, "\(byValue)")
        #expect(byValue.contains { $0.0 == "k\u{131}m@support.example" && $0.1 == 1 }, "\(byValue)")
        // Reassigning to the same person under another spelling is the no-op it is.
        let same = h.agent(["assign", "\(ID.karen)", "--to", "\u{212A}IM@SUPPORT.EXAMPLE"])
        #expect(same.code == 0)
        #expect(same.stderr.contains("already assigned"), "\(same.stderr)")
    }
}
