import Glibc

/// Seconds since the Unix epoch, UTC. Calendar maths by hand (Howard Hinnant's
/// days-from-civil) keeps Foundation, and its start-up cost, out of every command.
public struct Timestamp: Comparable, Hashable, Sendable {
    public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    public static func systemNow() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec))
    }

    public func adding(_ delta: Int64) -> Timestamp { Timestamp(seconds: seconds + delta) }

    /// The times that can be written, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    public static let earliest = Timestamp(seconds: -62_135_596_800)
    public static let latest = Timestamp(seconds: 253_402_300_799)

    /// `2026-11-22T01:38:38Z`: the one form the database and machine output use. A time
    /// computed past either end of the writable years (a deadline after 9999) is written
    /// as that end, never as a wrong date inside the range.
    public var rfc3339: String {
        let seconds = min(max(self.seconds, Self.earliest.seconds), Self.latest.seconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secs = seconds - days * 86_400
        let (y, m, d) = Timestamp.civil(fromDays: days)
        var out = [UInt8]()
        out.reserveCapacity(20)
        func two(_ v: Int64) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
        two(y / 100); two(y % 100)
        out.append(0x2D); two(m); out.append(0x2D); two(d)
        out.append(0x54); two(secs / 3600); out.append(0x3A); two(secs / 60 % 60); out.append(0x3A); two(secs % 60)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-11-22 01:38 UTC`, for people.
    public var humanUTC: String {
        let s = rfc3339
        return String(s.prefix(10)) + " " + String(s.dropFirst(11).prefix(5)) + " UTC"
    }

    static func days(fromCivil y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses RFC 3339 (`2026-11-22T01:38:38Z`, `…+01:00`, fractions truncated,
    /// `t`/space separator) or a bare date (`2026-11-01`, midnight UTC).
    public static func parse(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        // Years 0001 to 9999 (RFC 3339 has no year 0000, and a fifth digit cannot be written).
        guard let y = num(0, 4), y >= 1, b.count >= 10, b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D,
              let d = num(8, 2), (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y) else { return nil }
        let day = days(fromCivil: y, mo, d)
        if b.count == 10 { return Timestamp(seconds: day * 86_400) }
        guard b.count >= 20, b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20,
              let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A, let s = num(17, 2),
              h < 24, mi < 60, s < 61 else { return nil }
        var i = 19
        if b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = num(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // An offset can carry a time written inside the years past either end of them.
        let t = Timestamp(seconds: day * 86_400 + h * 3600 + mi * 60 + min(s, 59) - offset)
        return t < earliest || latest < t ? nil : t
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// `90m`, `12h`, `7d`, `2w` (also `s`): a span of time, in seconds.
public enum Duration {
    public static func seconds(_ text: String) -> Int64? {
        guard let unit = text.utf8.last, text.utf8.count >= 2, text.utf8.count <= 12 else { return nil }
        let digits = text.utf8.dropLast()
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        guard let n = Int64(String(decoding: digits, as: UTF8.self)) else { return nil }
        let scale: Int64
        switch unit {
        case UInt8(ascii: "s"): scale = 1
        case UInt8(ascii: "m"): scale = 60
        case UInt8(ascii: "h"): scale = 3600
        case UInt8(ascii: "d"): scale = 86_400
        case UInt8(ascii: "w"): scale = 604_800
        default: return nil
        }
        let (v, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow || v > 100 * 366 * 86_400 ? nil : v
    }

    /// A point in time for list filters: a date, an RFC 3339 time, or a duration back from now.
    public static func pointInTime(_ text: String, now: Timestamp) -> Timestamp? {
        if let t = Timestamp.parse(text) { return t }
        if let d = seconds(text) { return now.adding(-d) }
        return nil
    }

    /// `in 3h` or `2d ago`, for deadlines.
    public static func relative(_ then: Timestamp, now: Timestamp) -> String {
        let d = then.seconds - now.seconds
        if d < 0 { return ago(then, now: now) }
        if d < 60 { return "in \(d)s" }
        if d < 3600 { return "in \(d / 60)m" }
        if d < 86_400 { return "in \(d / 3600)h" }
        return "in \(d / 86_400)d"
    }

    /// `3h ago`, for tables.
    public static func ago(_ then: Timestamp, now: Timestamp) -> String {
        let d = now.seconds - then.seconds
        if d < 0 { return "just now" }
        if d < 60 { return "\(d)s ago" }
        if d < 3600 { return "\(d / 60)m ago" }
        if d < 86_400 { return "\(d / 3600)h ago" }
        if d < 86_400 * 60 { return "\(d / 86_400)d ago" }
        return String(then.rfc3339.prefix(10))
    }
}
