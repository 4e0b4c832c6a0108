import Foundation
import Testing
@testable import TicketsSQLite
import TicketsCore

/// The indexes the read commands depend on (bench/RESULTS.md). Each test runs a command's
/// store call on a fresh connection, then asks SQLite for the plan of every statement that
/// call prepared (the connection's statement cache), so the SQL checked is the SQL that ran.
/// Without statistics SQLite plans for large tables, so a small database shows the plans a
/// million tickets get.
struct QueryPlanTests {
    static let now = Timestamp.parse("2026-11-22T12:00:00Z")!
    static let agent = Actor(person: Person(name: "Bob", email: "bob@support.example"), role: .agent)
    static let requester = Actor(person: Person(name: "Alice", email: "alice@example.com"), role: .requester)

    /// A database with a few tickets, and a second connection that has run nothing yet.
    static func store() throws -> SQLiteStore {
        let path = NSTemporaryDirectory() + "tickets-plan-" + UUID().uuidString + ".db"
        let writer = try SQLiteStore.open(path: path, access: .write)
        for i in 1...3 {
            _ = try writer.openTicket(NewTicket(subject: "Printer \(i) on fire", body: "Smoke, then quokkafrost.",
                                                department: "other", priority: .medium, service: nil, cc: [],
                                                dedupeKey: nil), actor: requester, now: now)
        }
        return try SQLiteStore.open(path: path, access: .read)
    }

    /// The plan lines of every non-PRAGMA statement `body` prepared.
    static func plans(_ store: SQLiteStore, after body: () throws -> Void) throws -> [String: [String]] {
        let before = Set(store.db.cache.keys)
        try body()
        var out = [String: [String]]()
        for sql in store.db.cache.keys where !before.contains(sql) && !sql.hasPrefix("PRAGMA") {
            let s = try store.db.prepare("EXPLAIN QUERY PLAN " + sql)
            var lines = [String]()
            while try s.step() { lines.append(s.text(3)) }
            out[sql] = lines
        }
        return out
    }

    /// "SCAN t" or "SCAN messages" alone: every row of a table read.
    static func fullScans(_ plans: [String: [String]]) -> [String] {
        plans.values.flatMap { $0 }.filter { line in
            line.hasPrefix("SCAN ") && !line.contains(" USING ") && !line.contains("VIRTUAL TABLE")
        }
    }

    @Test func defaultListReadsTheNewestActiveTicketsOffThePartialIndex() throws {
        let store = try Self.store()
        var filter = TicketFilter()
        filter.limit = 31
        let plans = try Self.plans(store) { _ = try store.list(TicketQuery(filter, viewer: Viewer(Self.agent), now: Self.now)) }
        let main = try #require(plans.first { $0.key.contains("ORDER BY t.updated_at DESC") }?.value)
        #expect(main.contains { $0.contains("USING INDEX tickets_active_updated") }, "\(main)")
        #expect(!main.contains { $0.contains("TEMP B-TREE") }, "sorted every active ticket: \(main)")
        #expect(Self.fullScans(plans).isEmpty, "\(plans)")
    }

    @Test func requesterListAndCountUseIndexes() throws {
        let store = try Self.store()
        let plans = try Self.plans(store) {
            _ = try store.list(TicketQuery(TicketFilter(), viewer: Viewer(Self.requester), now: Self.now))
            _ = try store.count(TicketQuery(TicketFilter(), viewer: Viewer(Self.agent), now: Self.now), limit: nil)
        }
        #expect(Self.fullScans(plans).isEmpty, "\(plans)")
    }

    @Test func showReadsOneTicketByKeyAndItsRowsByIndex() throws {
        let store = try Self.store()
        let plans = try Self.plans(store) { _ = try store.detail(2, viewer: Viewer(Self.agent), history: true) }
        #expect(plans.count >= 3, "ticket, messages, attachments, events: \(plans.keys)")
        #expect(Self.fullScans(plans).isEmpty, "\(plans)")
        let ticket = try #require(plans.first { $0.key.contains("WHERE t.id = ?") }?.value)
        #expect(ticket.contains { $0.contains("INTEGER PRIMARY KEY") }, "\(ticket)")
    }

    @Test func searchStartsFromTheFullTextIndexes() throws {
        let store = try Self.store()
        var filter = TicketFilter()
        filter.search = "quokkafrost"
        filter.limit = 31
        var found = [Ticket]()
        let plans = try Self.plans(store) { found = try store.list(TicketQuery(filter, viewer: Viewer(Self.agent), now: Self.now)) }
        #expect(found.count == 3)
        let main = try #require(plans.first { $0.key.contains("MATCH") }?.value)
        #expect(main.contains { $0.contains("subject_fts VIRTUAL TABLE") }, "\(main)")
        #expect(main.contains { $0.contains("message_fts VIRTUAL TABLE") }, "\(main)")
        #expect(Self.fullScans(plans).isEmpty, "\(plans)")
    }

    @Test func staleCandidatesComeFromTheStatusIndex() throws {
        let store = try Self.store()
        let plans = try Self.plans(store) { _ = try store.staleTickets(idleSince: Self.now) }
        #expect(Self.fullScans(plans).isEmpty, "\(plans)")
    }
}
