import Foundation
import Testing
@testable import TicketsCLI

/// `-e` with a scripted $EDITOR (a small sh script that edits "$1"), and the questions
/// `open` asks on a terminal. `terminal: true` is TerminalIO.test's terminal switch.
struct EditorTests {
    /// An $EDITOR that runs a sh script from the harness folder; `seen` gets a copy of
    /// the template. Run through `sh`, not executed: a freshly written executable can
    /// fail with ETXTBSY while parallel tests fork.
    static func editor(_ h: Harness, _ body: String) -> String {
        "sh " + h.write("editor.sh", "cp \"$1\" \"\(h.dir)/seen\"\n" + body + "\n")
    }

    static func messages(_ h: Harness, _ id: Int) throws -> [String] {
        let show = try h.agent(["show", "\(id)", "--json"]).jsonObject()
        return try #require(show["messages"] as? [[String: Any]]).compactMap { $0["body"] as? String }
    }

    /// Only the template's own lines go: Markdown headings and `#2` typed by the person
    /// stay (SPEC §8), above or below the template.
    @Test func replyKeepsEverythingTypedAndDropsOnlyTheTemplate() throws {
        let h = Harness()
        let id = h.open()
        let ed = Self.editor(h, "printf '## Steps to reproduce\\n#2 is related\\nThanks, it works.\\n\\n' >> \"$1\"")
        let r = h.run(["reply", "\(id)", "-e"], env: ["EDITOR": ed], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try Self.messages(h, id).last == "## Steps to reproduce\n#2 is related\nThanks, it works.")
        let template = try String(contentsOfFile: h.dir + "/seen", encoding: .utf8)
        #expect(template.contains("# Your reply to ticket #\(id), in Markdown."))
    }

    @Test func visualComesBeforeEditor() throws {
        let h = Harness()
        let id = h.open()
        let visual = Self.editor(h, "echo 'from visual' > \"$1\"")
        let r = h.run(["reply", "\(id)", "-e"], env: ["VISUAL": visual, "EDITOR": "/bin/false"], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try Self.messages(h, id).last == "from visual")
    }

    @Test func openTakesTheSubjectFromTheFirstLine() throws {
        let h = Harness()
        let ed = Self.editor(h, "printf 'Mail is down\\n\\nSince 9:00.\\n# kept\\nNo bounces.\\n' > \"$1\"")
        let r = h.run(["open", "-e", "-d", "billing", "-p", "high", "--json"], env: ["EDITOR": ed], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        let t = try r.jsonObject()
        #expect(t["subject"] as? String == "Mail is down")
        #expect(t["department"] as? String == "billing")
        #expect(try Self.messages(h, 1) == ["Since 9:00.\n# kept\nNo bounces."])
    }

    @Test func openWithSubjectAndEditorOffersTheSubjectAsFirstLine() throws {
        let h = Harness()
        let ed = Self.editor(h, "echo 'The body.' >> \"$1\"")
        let r = h.run(["open", "-s", "Given subject", "-e", "--json"], env: ["EDITOR": ed], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        let template = try String(contentsOfFile: h.dir + "/seen", encoding: .utf8)
        #expect(template.hasPrefix("Given subject\n"))
        #expect(try r.jsonObject()["subject"] as? String == "Given subject")
        #expect(try Self.messages(h, 1) == ["The body."])
    }

    /// An emptied buffer (or one with only the template) cancels: exit 0, nothing stored.
    @Test(arguments: [
        ["open", "-e"], ["open", "-s", "S", "-e"], ["reply", "1", "-e"], ["close", "1", "-e"], ["cancel", "1", "-e"],
    ])
    func emptyBufferCancels(args: [String]) throws {
        let h = Harness()
        let id = h.open()
        let ed = Self.editor(h, "printf '\\n\\n' > \"$1\"")
        let r = h.run(args, env: ["EDITOR": ed], terminal: true)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("nothing"))
        #expect(try h.status(id) == "open")
        #expect(try Self.messages(h, id).count == 1)
        #expect(h.agent(["list", "-q"]).stdout == "\(id)\n")
    }

    @Test func aFailingEditorStoresNothingAndKeepsWhatWasTypedAsADraft() throws {
        let h = Harness()
        let id = h.open()
        let ed = Self.editor(h, "echo 'Half a reply' >> \"$1\"; exit 3")
        let r = h.run(["reply", "\(id)", "-e"], env: ["EDITOR": ed], terminal: true)
        #expect(r.code == 65)
        #expect(r.stderr.contains("exited with status 3"))
        #expect(try Self.messages(h, id).count == 1)
        let drafts = h.dir + "/state/tickets/drafts"
        let files = try FileManager.default.contentsOfDirectory(atPath: drafts)
        #expect(files.count == 1)
        let draft = try String(contentsOfFile: drafts + "/" + files[0], encoding: .utf8)
        #expect(draft == "Half a reply")
        #expect(r.stderr.contains(drafts + "/" + files[0]))
    }

    @Test func aFailingEditorThatTypedNothingLeavesNoDraft() {
        let h = Harness()
        let id = h.open()
        let r = h.run(["reply", "\(id)", "-e"], env: ["EDITOR": "/bin/false"], terminal: true)
        #expect(r.code == 65)
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/state/tickets/drafts"))
    }

    /// The editor runs while no lock is held: from inside it, another writer gets the
    /// database at once (sqlite3's default busy timeout is zero).
    @Test(.enabled(if: ShellSupport.runs("sqlite3") && TestStore.isSQLite, "SQLite-only: takes SQLite's write lock with sqlite3"))
    func theEditorRunsWithoutTheDatabaseLocked() throws {
        let h = Harness()
        let id = h.open()
        let sqlite = try ShellSupport.require("sqlite3")
        let ed = Self.editor(h, "\(sqlite) \"$TICKETS_DB\" 'BEGIN IMMEDIATE; ROLLBACK;' && echo 'Written unlocked.' >> \"$1\"")
        for args in [["reply", "\(id)", "-e"], ["open", "-s", "Second", "-e"], ["close", "\(id)", "-e"]] {
            let r = h.run(args, env: ["EDITOR": ed], terminal: true)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        #expect(try Self.messages(h, id).contains("Written unlocked."))
    }

    @Test(arguments: [["open", "-s", "S", "-e"], ["reply", "1", "-e"], ["close", "1", "-e"], ["reopen", "1", "-e"]])
    func editorOffATerminalIsAUsageError(args: [String]) {
        let h = Harness()
        _ = h.open()
        let r = h.run(args, env: ["EDITOR": "/bin/true"])
        #expect(r.code == 64)
        #expect(r.stderr.contains("-e needs a terminal"))
    }
}
