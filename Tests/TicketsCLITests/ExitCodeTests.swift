import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Every error class of SPEC §7: its exit code, its one line on stderr, and its JSON form.
struct ExitCodeTests {
    @Test func theMapCoversEveryKindWithDistinctNames() {
        let expected: [TicketsError.Kind: (Int32, String)] = [
            .usage: (64, "usage"), .invalidInput: (65, "invalid_input"), .invalidTransition: (65, "invalid_transition"),
            .notFound: (66, "not_found"), .unavailable: (69, "unavailable"), .internalError: (70, "internal"), .cannotCreate: (73, "cannot_create"),
            .io: (74, "io"), .busy: (75, "busy"), .notPermitted: (77, "not_permitted"), .config: (78, "config"),
            // A canceled edit is a note and exit 0, never an error object.
            .canceled: (0, "canceled"),
        ]
        for kind in TicketsError.Kind.allCases {
            #expect(ExitCode.code(for: kind) == expected[kind]?.0)
            #expect(ExitCode.name(for: kind) == expected[kind]?.1)
        }
    }

    /// (setup, argv, code, error.code, message fragment)
    @Test func eachClassFromARealSituation() throws {
        let h = Harness()
        let id = h.open()
        h.run(["close", "\(id)"])
        let missingDir = h.dir + "/nowhere/out.json"
        let existing = h.write("exists.json", "keep me")
        let badConfig = h.write("bad-config", "colour = red\n")
        let foreign = h.dir + "/foreign.db"
        FileManager.default.createFile(atPath: foreign, contents: Data("SQLite format 3\0".utf8) + Data(repeating: 7, count: 5000))
        let cases: [([String], [String: String], Int32, String, String)] = [
            (["lsit"], [:], 64, "usage", "Did you mean 'list'?"),
            (["rate", "\(id)", "9"], [:], 65, "invalid_input", "1 to 5 stars"),
            (["reply", "\(id)", "-m", "x"], [:], 65, "invalid_transition", "reopen"),
            (["show", "42"], [:], 66, "not_found", "no ticket #42"),
            (["reply", "\(id)", "-F", h.dir + "/no-such-file"], [:], 66, "not_found", "no such file"),
            (["export", "-o", missingDir], [:], 73, "cannot_create", "no folder"),
            (["export", "-o", existing], [:], 73, "cannot_create", "--force"),
            (["show", "\(id)"], ["TICKETS_EMAIL": "mallory@example.com"], 77, "not_permitted", "another requester"),
            (["list"], ["TICKETS_CONFIG": badConfig], 78, "config", "bad-config:1: unknown key 'colour'"),
            (["list"], ["TICKETS_DB": foreign], 78, "config", "not a tickets database"),
            (["list"], ["TICKETS_ROLE": "boss"], 78, "config", "TICKETS_ROLE"),
        ]
        for (args, env, code, name, fragment) in cases {
            let text = h.run(args, env: env)
            #expect(text.code == code, "\(args): \(text.stderr)")
            #expect(text.stderr.hasPrefix("tickets: error: ") && text.stderr.contains(fragment), "\(args): \(text.stderr)")
            #expect(text.stderr.filter { $0 == "\n" }.count == 1)
            let json = h.run(args + ["--format", "json"], env: env)
            #expect(json.code == code)
            let obj = try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: [String: String]]
            #expect(obj?["error"]?["code"] == name, "\(args): \(json.stderr)")
            #expect(obj?["error"]?["message"]?.contains(fragment) == true)
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    }

    @Test func exportWritesTheFileOnlyWhenComplete() throws {
        let h = Harness()
        h.open()
        let out = h.dir + "/export.json"
        #expect(h.run(["export", "-o", out]).code == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(try JSONSerialization.jsonObject(with: first) is [Any])
        h.open("Second")
        #expect(h.run(["export", "-o", out]).code == 73)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == first)
        #expect(h.run(["export", "-o", out, "--force"]).code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) != first)
        let attrs = try FileManager.default.attributesOfItem(atPath: out)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: h.dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aDraftKeepsTheMessageTypedOnStandardInputWhenTheCommandFails() throws {
        let h = Harness()
        let r = h.run(["reply", "77", "-F", "-"], stdin: Array("A long reply I typed.".utf8))
        #expect(r.code == 66)
        let match = try #require(r.stderr.firstMatch(of: /saved to (\S+): retry with -F (\S+)/))
        #expect(match.1 == match.2)
        let draft = String(match.1)
        #expect(try String(contentsOfFile: draft, encoding: .utf8) == "A long reply I typed.")
        #expect((try FileManager.default.attributesOfItem(atPath: draft)[.posixPermissions] as? Int) == 0o600)
        #expect(draft.hasPrefix(h.dir + "/state/tickets/drafts/"))
        // A message given with -m is already in the user's shell history: no draft.
        #expect(!h.run(["reply", "77", "-m", "short"]).stderr.contains("draft"))
        // Success leaves no draft behind.
        let id = h.open()
        let before = try FileManager.default.contentsOfDirectory(atPath: h.dir + "/state/tickets/drafts").count
        #expect(h.run(["reply", "\(id)", "-F", "-"], stdin: Array("fine".utf8)).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.dir + "/state/tickets/drafts").count == before)
    }
}
