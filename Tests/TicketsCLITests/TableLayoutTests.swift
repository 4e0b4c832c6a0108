import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract K: `list` tables at 40, 60, 80 and 120 columns, for a requester and an agent,
/// compared exactly with golden files (Golden/list-*.txt). The subject gets the room:
/// low-value columns go first as the terminal narrows; a requester never sees REQUESTER;
/// an agent's list shows ASSIGNEE; no space before an ellipsis.
///
/// Regenerate (then read them!) with TICKETS_UPDATE_GOLDEN=1 swift test --filter TableLayoutTests.
struct TableLayoutTests {
    static let now = "2026-11-22T10:00:00Z"

    /// Seven tickets: long Latin subjects, Chinese and Japanese ones, two of Carol's,
    /// assigned and unassigned, overdue and answered, opened at different times.
    static func world() -> Harness {
        let h = Harness(now: now)
        func open(_ at: String, _ subject: String, _ priority: String, _ department: String, carol: Bool = false) {
            var env = ["TICKETS_NOW": at]
            if carol { env.merge(["TICKETS_EMAIL": "carol@example.com", "TICKETS_NAME": "Carol"]) { $1 } }
            let r = h.run(["open", "-q", "-s", subject, "-m", "body", "-p", priority, "-d", department], env: env)
            precondition(r.code == 0, r.stderr)
        }
        open("2026-11-20T08:00:00Z", "Printer on fire", "high", "technical")
        open("2026-11-21T09:00:00Z", "Cannot log in to the VPN from the new office in Berlin since the upgrade last Tuesday", "urgent", "account")
        open("2026-11-22T07:00:00Z", "打印机坏了，无法打印任何文件，请尽快帮忙处理", "medium", "technical", carol: true)
        open("2026-11-15T09:00:00Z", "Invoice 4411 charged twice", "low", "billing")
        open("2026-11-22T09:30:00Z", "ログインできません", "medium", "account", carol: true)
        open("2026-11-22T09:55:00Z", "Feature request: export tickets to a spreadsheet with every field and a header row", "medium", "feature")
        open("2026-11-22T09:59:00Z", "配送状況を確認したいのですが、注文番号が見つかりません", "medium", "sales")
        precondition(h.agentEnv(["assign", "1"], env: ["TICKETS_NOW": "2026-11-21T10:00:00Z"]).code == 0)
        precondition(h.agentEnv(["assign", "5", "--to", "kim.longname@support.example"], env: ["TICKETS_NOW": "2026-11-22T09:40:00Z"]).code == 0)
        precondition(h.agentEnv(["reply", "4", "-m", "Refunded"], env: ["TICKETS_NOW": "2026-11-22T08:00:00Z"]).code == 0)
        return h
    }

    static func list(_ h: Harness, agent: Bool, columns: Int) -> Harness.Result {
        let env = ["COLUMNS": "\(columns)"]
        return agent ? h.agentEnv(["list"], env: env) : h.run(["list"], env: env)
    }

    @Test(arguments: ["requester", "agent"], [40, 60, 80, 120])
    func matchesTheGoldenFile(viewer: String, columns: Int) throws {
        let h = Self.world()
        let r = Self.list(h, agent: viewer == "agent", columns: columns)
        #expect(r.code == 0, "\(r.stderr)")
        let name = "list-\(viewer)-\(columns).txt"
        if ProcessInfo.processInfo.environment["TICKETS_UPDATE_GOLDEN"] == "1" {
            try r.stdout.write(to: Golden.dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let golden = try Golden.read(name)
        #expect(r.stdout == golden, "\n\(r.stdout)")
    }

    /// The header's column names at a width.
    static func columns(_ table: String) -> [String] {
        let header = table.split(separator: "\n").first.map(String.init) ?? ""
        // The default columns' headers are single words.
        return header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    /// Every width from 24 to 200: lines fit, no " …", the subject is always there, a
    /// requester never sees REQUESTER, columns leave in the documented order and never
    /// come back as the terminal narrows.
    @Test(arguments: ["requester", "agent"])
    func layoutRulesAtEveryWidth(viewer: String) throws {
        let h = Self.world()
        let agent = viewer == "agent"
        let all = agent ? ["ID", "STATUS", "PRIORITY", "DEPARTMENT", "SUBJECT", "REQUESTER", "ASSIGNEE", "UPDATED"]
                        : ["ID", "STATUS", "PRIORITY", "DEPARTMENT", "SUBJECT", "UPDATED"]
        let dropOrder = ["DEPARTMENT", "ASSIGNEE", "REQUESTER", "PRIORITY", "UPDATED", "STATUS"].filter(all.contains)
        var previous = all
        for width in stride(from: 200, through: 24, by: -1) {
            let table = Self.list(h, agent: agent, columns: width).stdout
            for line in table.split(separator: "\n") {
                #expect(CellWidth.of(String(line)) <= width, "\(width): '\(line)' is \(CellWidth.of(String(line))) cells")
                #expect(!line.contains(" …"), "\(width): space before an ellipsis in '\(line)'")
            }
            let shown = Self.columns(table)
            #expect(shown.contains("SUBJECT"), "\(width): \(shown)")
            #expect(shown.first == "ID")
            if !agent { #expect(!shown.contains("REQUESTER")) }
            #expect(Set(shown).isSubset(of: Set(previous)), "\(width): a column came back: \(shown) after \(previous)")
            // What is missing is a prefix of the drop order.
            let missing = all.filter { !shown.contains($0) }
            #expect(Set(dropOrder.prefix(missing.count)) == Set(missing), "\(width): dropped \(missing)")
            previous = shown
        }
        if agent { #expect(Self.columns(Self.list(h, agent: true, columns: 200).stdout).contains("ASSIGNEE")) }
        #expect(Self.columns(Self.list(h, agent: agent, columns: 200).stdout) == all)
    }

    /// When only ID and SUBJECT are left, the subject takes every remaining cell.
    @Test(arguments: [30, 36, 40, 41], ["requester", "agent"])
    func aNarrowTerminalGivesTheSubjectEveryCell(width: Int, viewer: String) throws {
        let h = Self.world()
        let table = Self.list(h, agent: viewer == "agent", columns: width).stdout
        #expect(Self.columns(table) == ["ID", "SUBJECT"], "\(table)")
        let widest = table.split(separator: "\n").map { CellWidth.of(String($0)) }.max() ?? 0
        // A wide character that does not fit whole leaves at most one cell unused.
        #expect(widest >= width - 1, "\(width): the widest line is \(widest) cells\n\(table)")
    }
}
