import Foundation
import Testing
@testable import TicketsCLI

/// `tickets open` on a terminal asks for what is missing; off a terminal it never asks.
struct PromptTests {
    @Test func onATerminalOpenAsksThenOpensTheEditor() throws {
        let h = Harness()
        let ed = EditorTests.editor(h, "printf '%s\\n\\nBody from the editor\\n' \"$(head -1 \"$1\")\" > \"$1\"")
        let r = h.run(["open", "--json"], stdin: Array("Asked subject\nbilling\nurgent\n".utf8), env: ["EDITOR": ed],
                      terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Subject: "))
        #expect(r.stderr.contains("Department (technical, billing, sales, account, bug, feature, other) [other]: "))
        #expect(r.stderr.contains("Priority (low, medium, high, urgent) [medium]: "))
        let t = try r.jsonObject()
        #expect(t["subject"] as? String == "Asked subject")
        #expect(t["department"] as? String == "billing")
        #expect(t["priority"] as? String == "urgent")
        let template = try String(contentsOfFile: h.dir + "/seen", encoding: .utf8)
        #expect(template.hasPrefix("Asked subject\n"))
        #expect(template.contains("# Department billing, priority urgent."))
    }

    @Test func anUnknownAnswerIsAskedAgainAndEmptyTakesTheDefault() throws {
        let h = Harness()
        // -m given: the questions, but no editor (a failing one would show).
        let r = h.run(["open", "-m", "Body", "--json"], stdin: Array("S\nnope\nsales\n\n".utf8),
                      env: ["EDITOR": "/bin/false"], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("'nope' is not one of them"))
        let t = try r.jsonObject()
        #expect(t["department"] as? String == "sales")
        #expect(t["priority"] as? String == "medium")
    }

    @Test(arguments: ["", "\n", "Subject\n"])
    func endOfInputOrAnEmptySubjectOpensNothing(typed: String) {
        let h = Harness()
        let r = h.run(["open", "-m", "Body"], stdin: Array(typed.utf8), terminal: true)
        #expect(r.code == 0)
        #expect(r.stderr.contains("nothing was opened"))
        #expect(h.agent(["list", "-q"]).stdout.isEmpty)
    }

    @Test(arguments: [
        (["open"], ["-s/--subject", "-m <text>, -F <file> or -e"]),
        (["open", "-m", "Body"], ["-s/--subject"]),
        (["open", "-s", "Subject"], ["-m <text>, -F <file> or -e"]),
    ])
    func offATerminalNothingIsAskedAndTheMissingOptionsAreNamed(args: [String], named: [String]) {
        let h = Harness()
        let r = h.run(args, stdin: Array("Subject\nbilling\nhigh\n".utf8))
        #expect(r.code == 64)
        for n in named { #expect(r.stderr.contains(n)) }
        #expect(!r.stderr.contains("Subject: "))
        if named.count == 1 { #expect(!r.stderr.contains(" and ")) }
    }
}
