extension Timestamp {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 22 Nov 2026 10:00:00 +0000`: the RFC 5322 §3.3 date-time of a `Date:`
    /// header, in UTC like every time we store.
    public var rfc5322: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secs = seconds - days * 86_400
        let (y, m, d) = Timestamp.civil(fromDays: days)
        // 1970-01-01 was a Thursday.
        let weekday = Timestamp.weekdays[Int(((days % 7) + 11) % 7)]
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = max(0, min(9999, y))
        let yyyy = String(repeating: "0", count: 4 - String(year).count) + String(year)
        return "\(weekday), \(two(d)) \(Timestamp.months[Int(m - 1)]) \(yyyy) "
            + "\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) +0000"
    }
}
