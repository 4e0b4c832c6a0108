import Foundation
import Testing
@testable import TicketsCore

struct TimestampTests {
    @Test(arguments: [
        ("2026-11-22T01:38:38Z", Int64(1_795_311_518)),
        ("1970-01-01T00:00:00Z", 0),
        ("2000-02-29T12:00:00Z", 951_825_600),
        ("2026-11-22T02:38:38+01:00", 1_795_311_518),
        ("2026-11-21T20:38:38-05:00", 1_795_311_518),
        ("2026-11-22t01:38:38.999z", 1_795_311_518),
        ("2026-11-01", 1_793_491_200),
    ])
    func parses(text: String, seconds: Int64) {
        #expect(Timestamp.parse(text)?.seconds == seconds)
    }

    @Test(arguments: ["", "2026-13-01", "2026-02-30", "2026-11-22T25:00:00Z", "2026-11-22T01:38:38", "yesterday",
                      "2026-11-22T01:38:38Zjunk", "2026-11-22 ", "12345"])
    func refuses(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatsAgreeWithFoundation() {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        for s in stride(from: Int64(-2_000_000_000), to: 4_000_000_000, by: 86_399 * 37) {
            let ours = Timestamp(seconds: s).rfc3339
            #expect(ours == f.string(from: Date(timeIntervalSince1970: TimeInterval(s))))
            #expect(Timestamp.parse(ours)?.seconds == s)
        }
    }

    @Test(arguments: [("90m", Int64(5400)), ("12h", 43_200), ("7d", 604_800), ("2w", 1_209_600), ("30s", 30)])
    func durations(text: String, seconds: Int64) {
        #expect(Duration.seconds(text) == seconds)
    }

    @Test(arguments: ["7", "d", "-7d", "7x", "1.5h", "99999999999999w", ""])
    func badDurations(text: String) {
        #expect(Duration.seconds(text) == nil)
    }
}
