import Foundation
import Testing
@testable import TicketsCLI
@testable import TicketsSQLite
import TicketsCore

/// `list` reads the page it shows and no more (bench/NOTES.md: a page query that lost its
/// LIMIT read every active ticket, 3.6 times the shell's time at 100,000 tickets). The
/// statements the command ran are the store's statement cache; the page query must stop
/// one row past the page (that row tells whether "more" is said).
@Suite(.enabled(if: TestStore.isSQLite, "reads the SQLite store's statement cache"))
struct ListPagingTests {
    /// The page query of one in-process `list` run, and its output.
    static func pageQuery(_ h: Harness, _ args: [String]) throws -> (sql: String, stdout: String) {
        let io = TerminalIO.test(stdin: [], terminal: false, columns: nil)
        var statements: [String] = []
        let env = h.env.merging(["TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example"]) { $1 }
        let code = TicketsCLI.run(args.map(Argument.init), environment: env, io: io) { inv in
            statements = ((inv.opened as? SQLiteStore)?.db.cache.keys).map(Array.init) ?? []
        }
        io.stdout.flush()
        try #require(code == 0, "\(io.stderr.text)")
        let page = try #require(statements.first { $0.hasPrefix("SELECT") && $0.contains("ORDER BY") && !$0.contains("count(") },
                                "\(statements)")
        return (page, io.stdout.text)
    }

    @Test(arguments: [
        (["list"], " LIMIT 31"),
        (["list", "-L", "5"], " LIMIT 6"),
        (["list", "-S", "fire"], " LIMIT 31"),
        (["list", "--status", "all", "-L", "12"], " LIMIT 13"),
    ])
    func aTablePageStopsOneRowPastThePage(args: [String], limit: String) throws {
        let h = Harness()
        for i in 1...40 { _ = h.open("Printer \(i) on fire") }
        let (sql, stdout) = try Self.pageQuery(h, args)
        #expect(sql.hasSuffix(limit), "\(sql)")
        let rows = stdout.split(separator: "\n").count - 1
        #expect(rows == Int(limit.split(separator: " ").last!)! - 1, "\(stdout)")
    }

    /// Machine formats and -L 0 list everything: no limit.
    @Test(arguments: [["list", "--json"], ["list", "-L", "0"], ["list", "-q"]])
    func everythingHasNoLimit(args: [String]) throws {
        let h = Harness()
        for i in 1...35 { _ = h.open("Printer \(i) on fire") }
        let (sql, _) = try Self.pageQuery(h, args)
        #expect(!sql.contains("LIMIT"), "\(sql)")
    }
}
