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
        guard isServer(location), let scheme = location.firstRange(of: "://") else { return location }
        var rest = Substring(location[scheme.upperBound...])
        var out = String(location[..<scheme.upperBound])
        // userinfo ends at the last '@' before the path or query.
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            let userinfo = rest[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                out += userinfo[..<colon] + ":***"
            } else {
                out += userinfo
            }
            rest = rest[at...]
        }
        out += rest
        // password=... among the query parameters.
        var parts = out.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 {
            parts[1] = parts[1].split(separator: "&", omittingEmptySubsequences: false).map { p in
                p.lowercased().hasPrefix("password=") ? "password=***" : String(p)
            }.joined(separator: "&")
            out = parts.joined(separator: "?")
        }
        return out
    }
}
