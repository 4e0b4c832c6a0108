import Glibc

/// The text limits of SPEC §8, in characters (what a person counts: grapheme clusters)
/// and in bytes of UTF-8 (what a hostile input counts: `Z` with 40,000 combining accents
/// is one character and 80 KB). The same rules on `open`, `reply`, `edit`, `import` and
/// for identities from the environment or the config.
public enum TextRules {
    public struct Limit: Sendable {
        public let characters: Int
        public let bytes: Int
    }

    public static let subjectLimit = Limit(characters: 500, bytes: 2_000)
    /// Names, departments, services and emails.
    public static let shortLimit = Limit(characters: 200, bytes: 800)

    /// Why `text` breaks `limit`, or nil. Bytes are counted first: counting the
    /// characters of a megabyte of combining marks costs more than refusing it.
    public static func excess(_ text: String, _ limit: Limit) -> String? {
        let bytes = text.utf8.count
        if bytes > limit.bytes { return "\(bytes) bytes long; at most \(limit.bytes) bytes (and \(limit.characters) characters) are allowed" }
        // Fewer bytes than characters allowed cannot hold too many characters.
        if bytes <= limit.characters { return nil }
        let characters = text.count
        if characters > limit.characters { return "\(characters) characters long; at most \(limit.characters) are allowed" }
        return nil
    }

    /// A subject: trimmed, not empty, one line, within the limit (65 otherwise).
    public static func subject(_ raw: String) throws(TicketsError) -> String {
        let s = raw.trimmingWhitespace()
        guard !s.isEmpty else { throw .invalid("the subject is empty; give a few words with -s") }
        if s.unicodeScalars.contains(where: isLineBreak) {
            throw .invalid("the subject must be one line; put the details in the message")
        }
        if let why = excess(s, subjectLimit) { throw .invalid("the subject is \(why)") }
        return s
    }

    /// Line breaks of Unicode (UAX #14 mandatory breaks): LF, VT, FF, CR, NEL, LS, PS.
    public static func isLineBreak(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// A department, service, name or email given on the command line or in a file (65).
    public static func short(_ s: String, _ what: String) throws(TicketsError) -> String {
        if let why = excess(s, shortLimit) { throw .invalid("the \(what) is \(why)") }
        return s
    }

    public static func service(_ raw: String) throws(TicketsError) -> String {
        let s = raw.trimmingWhitespace()
        guard !s.isEmpty else { throw .invalid("the service name is empty; use --no-service to clear it") }
        if s.unicodeScalars.contains(where: isLineBreak) {
            throw .invalid("the service name must be one line")
        }
        return try short(s, "service name")
    }
}

extension String {
    /// Whether the text holds U+0000, which no store keeps (a PostgreSQL text cannot).
    /// memchr over the contiguous UTF-8: import asks this of every string it reads.
    public var containsNUL: Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0, buffer.count) != nil
        }) {
            return found
        }
        return utf8.contains(0)
    }
}
