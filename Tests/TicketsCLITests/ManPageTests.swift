import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// man/tickets.1 cannot drift from the command table, and `tickets help <topic>` says
/// what the man page says.
struct ManPageTests {
    static let page = (try? String(contentsOf: ShellSupport.repository.appendingPathComponent("man/tickets.1"), encoding: .utf8)) ?? ""

    /// The mdoc source of one `.Sh` section.
    static func section(_ name: String) -> String {
        guard let start = page.range(of: "\n.Sh \(name)\n") else { return "" }
        let rest = page[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n.Sh ")?.lowerBound ?? rest.endIndex)])
    }

    /// Whether `text` holds `needle` as a whole word (not the start of `--status-x`).
    static func has(_ needle: String, in text: String) -> Bool {
        var search = text[...]
        while let r = search.range(of: needle) {
            let next = search[r.upperBound...].first
            if next == nil || !(next!.isLetter || next!.isNumber || next! == "-" || next! == "_") { return true }
            search = search[r.upperBound...]
        }
        return false
    }

    @Test(arguments: CommandTable.commands.filter { !$0.hidden }.map(\.name))
    func everyCommandAndItsOptionsAreInThePage(name: String) throws {
        let command = try #require(CommandTable.command(named: name))
        #expect(Self.has("Cm \(name)", in: Self.section("COMMANDS")), "man page lacks command \(name)")
        for o in command.allOptions {
            #expect(Self.has("Fl -\(o.long)", in: Self.page), "man page lacks --\(o.long) (\(name))")
            if let s = o.short {
                // The short form next to its long form, as the page lists them.
                #expect(Self.has("Fl \(s) , Fl -\(o.long)", in: Self.page), "man page lacks -\(s), --\(o.long) (\(name))")
            }
        }
    }

    @Test func globalOptionsAreInThePage() {
        for o in CommandTable.globalOptions {
            #expect(Self.has("Fl -\(o.long)", in: Self.section("DESCRIPTION")), "--\(o.long) is not under Global options")
        }
        #expect(Self.has("Fl -version", in: Self.section("SYNOPSIS")))
    }

    /// Skipped (visibly) on a workstation without mandoc; CI installs it, and under
    /// CI=true the test runs and fails without it.
    @Test(.enabled(if: ShellSupport.runs("mandoc"), "mandoc is not installed (apt-get install mandoc)"))
    func mandocLintReportsNothing() throws {
        let mandoc = try ShellSupport.require("mandoc")
        let path = ShellSupport.repository.appendingPathComponent("man/tickets.1").path
        let r = try ShellSupport.run(mandoc, ["-T", "lint", "-W", "warning", path], env: [:])
        #expect(r.code == 0)
        #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stdout)\(r.stderr)")
    }

    @Test func exitCodesTopicAgreesWithThePage() {
        let topic = Harness().run(["help", "exit-codes"]).stdout
        let man = Self.section("EXIT STATUS")
        let manCodes = Set(man.split(separator: "\n").filter { $0.hasPrefix(".It ") }.map { String($0.dropFirst(4)) })
        let codes = Set(["0"] + TicketsError.Kind.allCases.map { "\(ExitCode.code(for: $0))" })
        #expect(manCodes == codes)
        for code in codes { #expect(topic.contains("\n  \(code) "), "help exit-codes lacks \(code)") }
        for kind in TicketsError.Kind.allCases where kind != .canceled {
            #expect(Self.has(ExitCode.name(for: kind), in: man), "man page lacks error.code \(ExitCode.name(for: kind))")
            #expect(Self.has(ExitCode.name(for: kind), in: topic))
        }
    }

    @Test func environmentTopicAgreesWithThePage() {
        let topic = Harness().run(["help", "environment"]).stdout
        let man = Self.section("ENVIRONMENT")
        // Every `Ev NAME` on an item line of the section.
        let manVariables = Set(man.split(separator: "\n").filter { $0.hasPrefix(".It ") }.flatMap { line in
            line.split(separator: " ").split(separator: "Ev").dropFirst().compactMap { $0.first.map(String.init) }
        })
        #expect(manVariables == Set(HelpTopic.variables.map(\.name)))
        for v in HelpTopic.variables { #expect(topic.contains("  \(v.name) ")) }
    }

    @Test func formattingTopicAgreesWithThePage() {
        let topic = Harness().run(["help", "formatting"]).stdout
        let man = Self.section("OUTPUT")
        for f in TicketField.allCases {
            #expect(man.contains("\n.It \(f.rawValue)\n"), "man OUTPUT lacks field \(f.rawValue)")
            #expect(topic.contains("  \(f.rawValue) "), "help formatting lacks field \(f.rawValue)")
        }
        for column in ["requester_name", "rating_stars", "due_at", "overdue"] {
            #expect(Self.has(column, in: man) && Self.has(column, in: topic), "\(column)")
        }
        let words = topic.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(man.contains("\\(aq") && words.contains("gets a ' in front"), "the CSV formula prefix is explained")
    }

    @Test(arguments: HelpTopic.allCases)
    func topicsAreReachableAndListed(topic: HelpTopic) {
        let h = Harness()
        let r = h.run(["help", topic.rawValue])
        #expect(r.code == 0 && r.stdout == topic.text)
        #expect(h.run(["help"]).stdout.contains("  \(topic.rawValue) "))
    }
}
