import Testing
@testable import TicketsCLI
import TicketsCore

/// Argument parsing: valid and invalid argv, each with its exit code and message.
struct ParsingTests {
    struct Case: CustomStringConvertible, Sendable {
        let args: [String]
        let code: Int32
        let stderr: String
        var description: String { args.joined(separator: " ") }
    }

    static let refusals: [Case] = [
        Case(args: ["frobnicate"], code: 64, stderr: "unknown command 'frobnicate'"),
        Case(args: ["lst"], code: 64, stderr: "Did you mean 'list'?"),
        Case(args: ["list", "--stauts", "open"], code: 64, stderr: "Did you mean '--status'?"),
        Case(args: ["list", "-Z"], code: 64, stderr: "unknown option '-Z'"),
        Case(args: ["open", "-s"], code: 64, stderr: "option '-s' needs a value"),
        Case(args: ["open", "-m", "text"], code: 64, stderr: "missing -s/--subject"),
        Case(args: ["open", "-s", "subject"], code: 64, stderr: "missing the message"),
        Case(args: ["open", "-s", "x", "-m", "y", "-F", "f"], code: 64, stderr: "give the message once"),
        Case(args: ["open", "-s", "x", "-e"], code: 64, stderr: "-e needs a terminal"),
        Case(args: ["open", "-s", "x", "-m", "y", "-d", "legal"], code: 65, stderr: "unknown department 'legal'"),
        Case(args: ["open", "-s", "x", "-m", "y", "-p", "asap"], code: 65, stderr: "unknown priority 'asap'"),
        Case(args: ["open", "-s", "x", "-m", "y", "--cc", "nobody"], code: 65, stderr: "not an email address"),
        Case(args: ["open", "-s", "   ", "-m", "y"], code: 65, stderr: "the subject is empty"),
        Case(args: ["open", "-s", "x", "-m", ""], code: 65, stderr: "the message is empty"),
        Case(args: ["open", "-s", "x", "-m", "y", "extra"], code: 64, stderr: "unexpected argument 'extra'"),
        Case(args: ["show"], code: 64, stderr: "missing <id>"),
        Case(args: ["show", "0"], code: 64, stderr: "'0' is not a ticket id"),
        Case(args: ["show", "-1"], code: 64, stderr: "unknown option '-1'"),
        Case(args: ["show", "--", "-1"], code: 64, stderr: "'-1' is not a ticket id"),
        Case(args: ["show", "1e3"], code: 64, stderr: "'1e3' is not a ticket id"),
        Case(args: ["show", "12345678901234567890"], code: 64, stderr: "is not a ticket id"),
        Case(args: ["show", "#"], code: 64, stderr: "is not a ticket id"),
        Case(args: ["show", "1", "2"], code: 64, stderr: "unexpected argument '2'"),
        Case(args: ["rate", "1", "6"], code: 65, stderr: "1 to 5 stars"),
        Case(args: ["rate", "1", "0"], code: 65, stderr: "1 to 5 stars"),
        Case(args: ["rate", "1", "four"], code: 65, stderr: "1 to 5 stars"),
        Case(args: ["rate", "1"], code: 64, stderr: "missing <stars>"),
        Case(args: ["list", "--status", "pending"], code: 64, stderr: "unknown status 'pending'"),
        Case(args: ["list", "-L", "ten"], code: 64, stderr: "-L/--limit takes a whole number"),
        Case(args: ["list", "-L", "-3"], code: 64, stderr: "-L/--limit takes a whole number"),
        Case(args: ["list", "--sort", "size"], code: 64, stderr: "unknown sort key 'size'"),
        Case(args: ["list", "--fields", "id,colour"], code: 64, stderr: "unknown field 'colour'"),
        Case(args: ["list", "--created-since", "soon"], code: 64, stderr: "--created-since takes a date"),
        Case(args: ["list", "--mine=yes"], code: 64, stderr: "option '--mine' takes no value"),
        Case(args: ["--format", "yaml", "list"], code: 64, stderr: "unknown format 'yaml'"),
        Case(args: ["list", "--", "--json"], code: 64, stderr: "unexpected argument '--json'"),
        Case(args: ["help", "nope"], code: 64, stderr: "unknown command 'nope'"),
        Case(args: ["close"], code: 64, stderr: "missing <id>"),
        Case(args: ["cancel", "x"], code: 64, stderr: "'x' is not a ticket id"),
        Case(args: ["export", "--format", "table"], code: 64, stderr: "export writes json, ndjson or csv"),
    ]

    @Test(arguments: refusals)
    func refused(c: Case) {
        let h = Harness()
        let r = h.run(c.args)
        #expect(r.code == c.code, "\(r.stderr)")
        #expect(r.stderr.contains(c.stderr), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("tickets: error: "))
        #expect(r.stderr.filter { $0 == "\n" }.count == 1, "one line: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        // Refusals write nothing: not even the database file.
        #expect(!FileSystem.exists(h.dbPath))
    }

    /// An option's value is the next argument even when it begins with '-', or follows '='.
    @Test(arguments: [
        (["-s", "-2+3"], "-2+3"),
        (["--subject=-2+3"], "-2+3"),
        (["--subject", "--agent"], "--agent"),
        (["-s--x"], "--x"),
        (["--subject=a=b"], "a=b"),
    ])
    func optionValuesMayBeginWithADash(args: [String], subject: String) throws {
        let h = Harness()
        let r = h.run(["open"] + args + ["-m", "body", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try r.jsonObject()["subject"] as? String == subject)
    }

    @Test func globalOptionsGoBeforeOrAfterTheCommand() throws {
        let h = Harness()
        h.open()
        let before = h.run(["--json", "--db", h.dbPath, "list"])
        let after = h.run(["list", "--db", h.dbPath, "--format=json"])
        #expect(before.code == 0 && after.code == 0)
        #expect(before.stdout == after.stdout)
        #expect(try before.jsonArray().count == 1)
    }

    @Test func clusteredShortOptions() throws {
        let h = Harness()
        let r = h.run(["open", "-qs", "Clustered", "-m", "body"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "1\n")
    }

    @Test(arguments: ["42", "#42"])
    func ticketIDForms(text: String) throws {
        #expect(try Invocation.ticketID(text) == 42)
    }

    @Test func invalidUTF8InAnArgumentIsRepairedWithAWarning() throws {
        let h = Harness()
        let io = TerminalIO.test()
        let args = [Argument("open"), Argument("-s"), Argument(raw: [0x42, 0x61, 0x64, 0xFF, 0x21]),
                    Argument("-m"), Argument("x"), Argument("--json")]
        let code = TicketsCLI.run(args, environment: h.env, io: io, server: TestStore.serverOpener)
        io.stdout.flush()
        io.stderr.flush()
        #expect(code == 0)
        #expect(io.stderr.text.contains("not valid UTF-8"))
        #expect(io.stdout.text.contains("\"subject\":\"Bad\u{FFFD}!\""))
    }

    @Test(arguments: [["help"], ["--help"], []])
    func overviewHelp(args: [String]) {
        let r = Harness().run(args)
        #expect(r.code == 0)
        #expect(r.stdout.hasPrefix("OVERVIEW: "))
        for c in CommandTable.commands { #expect(r.stdout.contains("  \(c.name) ")) }
        #expect(r.stderr.isEmpty)
    }

    @Test(arguments: CommandTable.commands.map(\.name))
    func commandHelpMatchesItsGoldenFile(name: String) throws {
        let viaFlag = Harness().run([name, "--help"])
        let viaHelp = Harness().run(["help", name])
        #expect(viaFlag.code == 0 && viaHelp.code == 0)
        #expect(viaFlag.stdout == viaHelp.stdout)
        let golden = try Golden.read("help-\(name).txt")
        #expect(viaFlag.stdout == golden, "regenerate with: tickets \(name) --help > Tests/TicketsCLITests/Golden/help-\(name).txt")
        // Every line fits 80 columns, as swift-argument-parser's help does.
        for line in viaFlag.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }

    @Test func versionNamesSQLite() {
        let r = Harness().run(["--version"])
        #expect(r.code == 0)
        #expect(r.stdout.hasPrefix("tickets "))
        #expect(r.stdout.contains("SQLite 3."))
    }
}

import Foundation

enum Golden {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func read(_ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }
}
