import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract E: after `-e`, only the template's own lines are removed; everything typed
/// stays, lines starting with `#` included, wherever they are in the buffer. A buffer
/// left as the template, or emptied, cancels: exit 0, a note, nothing stored.
struct EditorTemplateTests {
    /// Ticket 1 and 2 open, 3 closed, all Alice's.
    static func world() -> Harness {
        let h = Harness()
        _ = h.open("First")
        _ = h.open("Second")
        let closed = h.open("Third")
        precondition(h.run(["close", "\(closed)"]).code == 0)
        return h
    }

    struct Command: Sendable, CustomTestStringConvertible {
        let args: [String]
        var agent = false
        /// The ticket whose last message is the typed text.
        var ticket = 1
        var testDescription: String { (agent ? "agent " : "") + args.joined(separator: " ") }
    }

    /// Commands whose whole buffer is the message.
    static let messageCommands: [Command] = [
        Command(args: ["reply", "1", "-e"]),
        Command(args: ["reply", "1", "-e", "--internal"], agent: true),
        Command(args: ["close", "1", "-e"]),
        Command(args: ["cancel", "1", "-e"]),
        Command(args: ["reopen", "3", "-e"], ticket: 3),
        Command(args: ["close", "1", "-e"], agent: true),
    ]

    /// (how the buffer is edited, the message stored)
    static let typed: [Labeled<(script: String, body: String)>] = [
        Labeled("Markdown heading and #2 above the template", (
            "{ printf '## Steps to reproduce\\n1. Boot\\n#2 is related\\n'; cat \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\"",
            "## Steps to reproduce\n1. Boot\n#2 is related")),
        Labeled("# lines below the template", (
            "printf '# Heading typed by me\\n#2 is related\\n' >> \"$1\"",
            "# Heading typed by me\n#2 is related")),
        Labeled("# lines between template lines", (
            "awk 'NR==3 {print; print \"# my own line\"; print \"#hashtag\"; next} {print}' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\"",
            "# my own line\n#hashtag")),
        Labeled("only a # heading, the template deleted", (
            "printf '# Only a heading\\n' > \"$1\"",
            "# Only a heading")),
        Labeled("#, #! and an indented #", (
            "printf '#\\n  # indented\\n#!/bin/sh\\n' >> \"$1\"",
            "#\n  # indented\n#!/bin/sh")),
        Labeled("one template line deleted, text typed", (
            "sed '/Markdown/d' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\" && printf 'Text\\n' >> \"$1\"",
            "Text")),
        Labeled("a # line that differs from a template line by a space", (
            "printf '#  These lines are removed when you save; everything else you write is kept.\\n' >> \"$1\"",
            "#  These lines are removed when you save; everything else you write is kept.")),
        Labeled("## heading of a template line's words", (
            "printf '## An empty message cancels.\\n' >> \"$1\"",
            "## An empty message cancels.")),
    ]

    @Test(arguments: messageCommands, typed)
    func typedLinesAreKept(command: Command, edit: Labeled<(script: String, body: String)>) throws {
        let h = Self.world()
        let ed = EditorTests.editor(h, edit.value.script)
        var env = ["EDITOR": ed]
        if command.agent { env.merge(["TICKETS_ROLE": "agent", "TICKETS_EMAIL": "bob@support.example"]) { $1 } }
        let r = h.run(command.args, env: env, terminal: true)
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try h.bodies(command.ticket).last == edit.value.body)
    }

    /// `open -e`: the first line is the subject, the rest the message, `#` lines kept.
    @Test(arguments: [
        ("printf 'Mail is down\\n\\n## Steps\\n#2 is related\\n' > \"$1\"", "Mail is down", "## Steps\n#2 is related"),
        ("{ printf 'Mail is down\\n# seen since 9:00\\n'; cat \"$1\"; } > \"$1.new\" && mv \"$1.new\" \"$1\"", "Mail is down", "# seen since 9:00"),
        ("printf 'Mail is down\\n' > \"$1.new\" && cat \"$1\" >> \"$1.new\" && printf '# below\\nplain\\n' >> \"$1.new\" && mv \"$1.new\" \"$1\"", "Mail is down", "# below\nplain"),
    ])
    func openKeepsHashLines(script: String, subject: String, body: String) throws {
        let h = Harness()
        let r = h.run(["open", "-e", "--json"], env: ["EDITOR": EditorTests.editor(h, script)], terminal: true)
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["subject"] as? String == subject)
        #expect(try h.bodies(1) == [body])
    }

    /// `open -s S -e` offers S as the first line; text typed below it is the message.
    @Test func openWithASubjectKeepsHashLines() throws {
        let h = Harness()
        let ed = EditorTests.editor(h, "printf '## Steps\\n#2 is related\\n' >> \"$1\"")
        let r = h.run(["open", "-s", "Given", "-e", "--json"], env: ["EDITOR": ed], terminal: true)
        try #require(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["subject"] as? String == "Given")
        #expect(try h.bodies(1) == ["## Steps\n#2 is related"])
    }

    static let allCommands: [Command] = messageCommands + [
        Command(args: ["open", "-e"]),
        Command(args: ["open", "-s", "Given subject", "-e"]),
        Command(args: ["edit", "1", "-s", "New subject", "-e"]),
        Command(args: ["edit", "1", "-p", "urgent", "-e"], agent: true),
        Command(args: ["merge", "2", "--into", "1", "-e"], agent: true),
        Command(args: ["close", "--status", "open", "--yes", "-e"]),
    ]

    static let nothingTyped: [Labeled<String>] = [
        Labeled("left as the template", ":"),
        Labeled("emptied", ": > \"$1\""),
        Labeled("only blank lines", "printf '  \\n\\t\\n\\n' > \"$1\""),
        Labeled("template without its blank lines", "sed '/^$/d' \"$1\" > \"$1.new\" && mv \"$1.new\" \"$1\""),
    ]

    @Test(arguments: allCommands, nothingTyped)
    func nothingTypedCancels(command: Command, edit: Labeled<String>) throws {
        let h = Self.world()
        let before = (1...3).map { h.snapshot($0) }
        var env = ["EDITOR": EditorTests.editor(h, edit.value)]
        if command.agent { env.merge(["TICKETS_ROLE": "agent", "TICKETS_EMAIL": "bob@support.example"]) { $1 } }
        let r = h.run(command.args, env: env, terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(r.stderr.contains("nothing"), "a note says nothing was done: \(r.stderr)")
        #expect((1...3).map { h.snapshot($0) } == before, "a ticket changed")
        #expect(h.ticketCount() == 3)
    }
}
