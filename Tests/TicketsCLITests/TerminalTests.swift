import Foundation
import Testing
@testable import TicketsCLI

/// The pager choice, and the real binary on a pseudo-terminal (util-linux `script`):
/// questions, editor and pager as a person at a terminal gets them.
struct TerminalTests {
    @Test(arguments: [
        (["list"], [String: String](), true, "less -FRX"),
        (["show", "1"], ["PAGER": "more -d"], true, "more -d"),
        (["list"], [:], false, nil),
        (["list", "--no-pager"], [:], true, nil),
        (["list"], ["PAGER": ""], true, nil),
        (["list"], ["PAGER": "cat"], true, nil),
        (["list", "--help"], [:], true, nil),
        (["open", "-s", "S", "-m", "M"], [:], true, nil),
        (["export"], [:], true, nil),
    ] as [([String], [String: String], Bool, String?)])
    func pagerSelection(args: [String], env: [String: String], terminal: Bool, expected: String?) throws {
        let parsed = try ParsedArguments.parse(args.map(Argument.init))
        let inv = try Invocation(arguments: parsed, environment: env, io: .test(terminal: terminal))
        #expect(Pager.command(for: inv) == expected)
    }

    /// `script -qec CMD /dev/null` runs CMD on a new pseudo-terminal, copying our stdin to it.
    static func onTerminal(_ command: String, typing: String, env: [String: String]) throws -> ShellSupport.Output {
        try ShellSupport.run(try ShellSupport.require("script"), ["-qec", command, "/dev/null"], env: env, stdin: typing)
    }

    @Test(.enabled(if: ShellSupport.runs("script")))
    func theRealBinaryAsksOnATerminalAndNotOffIt() throws {
        let h = Harness()
        var env = h.env
        env["EDITOR"] = EditorTests.editor(h, "printf '%s\\n\\nTyped in the editor\\n' \"$(head -1 \"$1\")\" > \"$1\"")
        let r = try Self.onTerminal("tickets open", typing: "Printer on fire\nbilling\nhigh\n", env: env)
        #expect(r.code == 0, "\(r.stdout)")
        #expect(r.stdout.contains("Subject: "))
        #expect(r.stdout.contains("Priority (low, medium, high, urgent) [medium]: "))
        let t = try #require(try h.agent(["list", "--json"]).jsonArray().first)
        #expect(t["subject"] as? String == "Printer on fire")
        #expect(t["department"] as? String == "billing")
        #expect(t["priority"] as? String == "high")
        // The same binary with a pipe for input asks nothing and names what is missing.
        let off = try BuiltBinary.run(["open"], env: env, stdin: Data("Printer on fire\n".utf8))
        #expect(off.code == 64)
        #expect(!off.stderr.contains("Subject: "))
        #expect(off.stderr.contains("-s/--subject"))
    }

    @Test(.enabled(if: ShellSupport.runs("script")))
    func listGoesThroughThePagerOnATerminalOnly() throws {
        let h = Harness()
        _ = h.open("Paged ticket")
        var env = h.env
        env["PAGER"] = "sed s/^/PAGED:/"
        let paged = try Self.onTerminal("tickets list", typing: "", env: env)
        #expect(paged.code == 0)
        #expect(paged.stdout.contains("PAGED:#1"))
        let unpaged = try Self.onTerminal("tickets list --no-pager", typing: "", env: env)
        #expect(unpaged.stdout.contains("#1") && !unpaged.stdout.contains("PAGED:"))
        let piped = try BuiltBinary.run(["list"], env: env)
        #expect(piped.stdout.contains("#1") && !piped.stdout.contains("PAGED:"))
    }
}
