import TicketsCore

/// `SearchText`'s form as PostgreSQL full-text values, written as literals (`'tok':1`,
/// `'a' <-> 'b':*`) so that no parser or dictionary of the server changes a token: both
/// stores match by the one rule of SPEC §5.
enum PostgresSearch {
    /// A lexeme holds at most 2,046 bytes; longer tokens are cut (both when indexed and
    /// when searched, so they still match each other).
    static let maxTokenBytes = 2_000
    /// A tsvector holds at most 1 MB and positions up to 16,383: long messages are
    /// indexed in parts of this many tokens...
    static let partTokens = 4_096
    /// ...and at most this many bytes of tokens,
    static let partBytes = 600_000
    /// each part starting this many tokens before the last one ended, so a phrase of up
    /// to this many tokens is never split between two parts.
    static let overlap = 64

    static func cut(_ token: Substring) -> Substring {
        guard token.utf8.count > maxTokenBytes else { return token }
        var end = token.utf8.index(token.utf8.startIndex, offsetBy: maxTokenBytes)
        while end > token.startIndex, !token.unicodeScalars.indices.contains(end) { end = token.utf8.index(before: end) }
        return token[..<end]
    }

    static func quoted(_ token: Substring) -> String {
        "'" + cut(token).replacing("\\", with: "\\\\").replacing("'", with: "''") + "'"
    }

    /// The tsvector literal of a search form that fits one part (a subject).
    static func vector(_ form: String) -> String {
        parts(form).first ?? ""
    }

    /// The tsvector literals of a search form, in overlapping parts; none for no token.
    static func parts(_ form: String) -> [String] {
        let tokens = form.split(separator: " ")
        var out = [String]()
        var start = 0
        while start < tokens.count {
            var end = start
            var bytes = 0
            var literal = ""
            while end < tokens.count && end - start < partTokens && bytes < partBytes {
                let q = quoted(tokens[end])
                bytes += q.utf8.count
                if !literal.isEmpty { literal += " " }
                literal += q + ":\(end - start + 1)"
                end += 1
            }
            out.append(literal)
            if end >= tokens.count { break }
            start = max(start + 1, end - overlap)
        }
        return out
    }

    /// One query term as a tsquery literal: its tokens as a phrase (`<->`), the last a
    /// prefix (`:*`) when the word ended in `*`.
    static func query(_ term: SearchTerm) -> String {
        let phrase = term.tokens.map { quoted(Substring($0)) }
        return phrase.joined(separator: " <-> ") + (term.prefix ? ":*" : "")
    }
}
