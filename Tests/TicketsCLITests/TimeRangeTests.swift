import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract H: times are years 0001 to 9999. TICKETS_NOW outside them, or not a time, is
/// configuration (78) naming TICKETS_NOW; a list filter outside them is a usage error (64);
/// a deadline computed past 9999 is never before the ticket's creation.
struct TimeRangeTests {
    static let badNow: [String] = [
        "0000-01-01T00:00:00Z",
        "0000-12-31T23:59:59Z",
        "10000-01-01T00:00:00Z",
        "99999-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "+2026-11-22T10:00:00Z",
        "tomorrow",
        "now",
        "yesterday 10:00",
        "1732269600",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-22T25:00:00Z",
        "2026-11-22T10:00:00",
        "2026-11-22T10:00:00Zjunk",
        " 2026-11-22T10:00:00Z",
        "２０２６-11-22T10:00:00Z",
        // The instant, in UTC, is outside years 0001-9999.
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
    ]

    @Test(arguments: badNow, [["list"], ["open", "-s", "S", "-m", "x"], ["show", "1"], ["close", "--stale"]])
    func badTicketsNowIs78NamingIt(now: String, args: [String]) throws {
        let h = Harness()
        let r = h.run(args, env: ["TICKETS_NOW": now])
        #expect(r.code == 78, "\(r.stderr)")
        #expect(r.stderr.contains("TICKETS_NOW"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(h.ticketCount() == 0)
    }

    /// The ends of the range are times like any other.
    @Test(arguments: ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-11-22T10:00:00+05:30",
                      "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999Z", "2026-11-22t10:00:00z"])
    func theEndsOfTheRangeWork(now: String) throws {
        let h = Harness()
        let r = h.run(["open", "-s", "S", "-m", "x", "--json"], env: ["TICKETS_NOW": now])
        try #require(r.code == 0, "\(r.stderr)")
        let created = try #require(try r.jsonObject()["created_at"] as? String)
        #expect(Timestamp.parse(created) == Timestamp.parse(now))
    }

    /// A deadline past 9999-12-31T23:59:59Z is written as that end, never before creation.
    @Test(arguments: Priority.allCases.map(\.rawValue), ["9999-12-31T23:59:59Z", "9999-12-31T12:00:00Z", "9999-12-30T00:00:00Z"])
    func aDeadlineAtTheEndOfTimeIsNotBeforeCreation(priority: String, now: String) throws {
        let h = Harness(now: now)
        _ = h.open("Late", ["-p", priority])
        let row = try #require(try h.run(["list", "--json"]).jsonArray().first)
        let created = try #require(row["created_at"] as? String)
        let due = try #require(row["due_at"] as? String)
        #expect(due >= created, "due_at \(due) is before created_at \(created)")
        #expect(Timestamp.parse(due) != nil, "due_at is a valid time: \(due)")
        #expect(row["overdue"] as? Bool == false)
        let show = h.run(["show", "1"])
        #expect(show.code == 0)
        #expect(show.stdout.contains("Due:"), "\(show.stdout)")
        #expect(!show.stdout.contains("overdue"))
        #expect(h.run(["list", "--overdue", "-q"]).stdout.isEmpty)
    }

    static let timeOptions = ["--created-since", "--created-before", "--updated-since", "--updated-before"]

    @Test(arguments: timeOptions, ["0000-01-01", "0000-01-01T00:00:00Z", "10000-01-01", "tomorrow", "2026-02-30", "-7d", "7 days"])
    func aFilterTimeOutsideTheRangeIs64(option: String, value: String) throws {
        let h = Harness()
        _ = h.open()
        for args in [["list", option, value], ["export", option, value], ["close", option, value, "--dry-run"]] {
            let r = h.run(args)
            #expect(r.code == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(option), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test(arguments: timeOptions, ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59Z", "7d", "2026-11-22T10:00:00Z"])
    func aFilterTimeInsideTheRangeWorks(option: String, value: String) throws {
        let h = Harness()
        _ = h.open()
        let r = h.run(["list", option, value, "-q"])
        #expect(r.code == 0, "\(r.stderr)")
        // Created and updated at 2026-11-22T10:00:00Z.
        let created = try #require(Timestamp.parse("2026-11-22T10:00:00Z"))
        let at = Duration.pointInTime(value, now: created)!
        let since = option.hasSuffix("since")
        let expected: Set<Int> = (since ? created >= at : created < at) ? [1] : []
        #expect(r.ids == expected)
    }
}
