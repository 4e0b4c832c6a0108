/// What `--db`, `TICKETS_DB` or the config's `db` names (SPEC §8, §9): a file for
/// SQLite, or a `postgres://` / `postgresql://` URI for a team's PostgreSQL server.
public enum DatabaseLocation {
    /// Whether `location` names a PostgreSQL server (libpq's URI schemes).
    public static func isServer(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// The URI as messages may show it: the password, whether in the userinfo
    /// (`user:secret@host`) or a `password=` parameter, becomes `***` (SPEC §9: a
    /// password never appears in any output), as psql's own connection messages keep it out.
    public static func redacted(_ location: String) -> String {
        scrub(location, of: location)
    }

    /// `text` (a message of libpq's, which may quote the URI) with every password that
    /// `location` carries replaced by `***`.
    public static func scrub(_ text: String, of location: String) -> String {
        var out = text
        for secret in secrets(location) where !secret.isEmpty {
            out = out.replacing(secret, with: "***")
        }
        return out
    }

    /// The passwords written in a URI: the userinfo's, and `password=` values.
    static func secrets(_ location: String) -> [String] {
        guard isServer(location), let scheme = location.firstRange(of: "://") else { return [] }
        let rest = location[scheme.upperBound...]
        var found: [String] = []
        // userinfo ends at the last '@'. A password typed with a raw '/' or '?' (which
        // a URI should percent-encode) must not show either, so the '@' is not looked for
        // only before the path; but an '@' inside a query value (`?user=a@b`) is not it.
        var at = rest.lastIndex(of: "@")
        if let found = at, let query = rest.firstIndex(of: "?"), query < found, rest[query..<found].contains("=") {
            at = rest[..<query].lastIndex(of: "@")
        }
        if let at, let colon = rest[..<at].firstIndex(of: ":") {
            found.append(String(rest[rest.index(after: colon)..<at]))
        }
        if let query = location.firstIndex(of: "?") {
            for p in location[location.index(after: query)...].split(separator: "&") where p.lowercased().hasPrefix("password=") {
                found.append(String(p.dropFirst("password=".count)))
            }
        }
        // Longest first: a password that contains another is replaced whole.
        return found.sorted { $0.count > $1.count }
    }
}
