/// The syntax of one git config file, as git-config(1) CONFIGURATION FILE describes it and
/// as git 2.39's config.c (git_parse_source, get_value, parse_value, get_base_var) reads
/// it, byte for byte:
///
/// - a UTF-8 byte order mark may open the file (a partial one is an error);
/// - CR LF is one line end; a lone CR is white space;
/// - `#` and `;` start a comment, outside quotes;
/// - `[section]`, `[section "subsection"]` (the subsection keeps its case; `\` escapes
///   the next byte, a line end inside is an error), legacy `[section.subsection]`
///   (all lowercased); section names are letters, digits, `-` and `.`;
/// - `name = value` where the name starts with a letter and has letters, digits and `-`,
///   case-insensitive; `name` alone is a key with no value (boolean true);
/// - a value: leading and trailing white space dropped, each inner run of unquoted white
///   space kept as that many spaces, `"..."` quotes (kept verbatim), the escapes `\"`,
///   `\\`, `\n`, `\t`, `\b`, and `\` at the end of a line joining the next; any other
///   escape, or a quote left open at the end of a line, is an error.
///
/// Keys reach the caller as git hands them on: `section.subsection.name`, section and name
/// lowercased. git's strings stop at a NUL byte, so keys and values are cut there too.
struct GitConfigParser {
    /// Where git would say "bad config line N".
    struct BadLine: Error { let line: Int }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    private var eof = false
    private(set) var line = 1
    private var key: [UInt8] = []
    private var value: [UInt8] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Calls `entry` for each variable of `text` in order; the key and value buffers are
    /// reused between calls. Errors from `entry` pass through; syntax errors end the parse
    /// with `BadLine`, after the entries before them were delivered (as git does).
    static func parse<E: Error>(_ text: [UInt8],
                                entry: (_ key: [UInt8], _ value: [UInt8]?) throws(E) -> Void) throws(ParseError<E>) {
        try text.withUnsafeBufferPointer { (buffer) throws(ParseError<E>) in
            var parser = GitConfigParser(buffer)
            try parser.run(entry)
        }
    }

    enum ParseError<E: Error>: Error {
        case syntax(line: Int)
        case entry(E)
    }

    private static let lf: UInt8 = 0x0A

    /// get_next_char(): CR LF folds to LF, and the end of the text reads as LF (again and
    /// again) with `eof` set.
    private mutating func next() -> UInt8 {
        guard pos < bytes.count else {
            eof = true
            line += 1
            return Self.lf
        }
        var c = bytes[pos]
        pos += 1
        if c == 0x0D, pos < bytes.count, bytes[pos] == Self.lf {
            pos += 1
            c = Self.lf
        }
        if c == Self.lf { line += 1 }
        return c
    }

    private mutating func run<E: Error>(_ entry: (_ key: [UInt8], _ value: [UInt8]?) throws(E) -> Void) throws(ParseError<E>) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var bomMatched = 0
        var checkingBOM = true
        var comment = false
        var baseLength = 0
        while true {
            let c = next()
            if checkingBOM && bomMatched < 3 {
                if c == bom[bomMatched] {
                    bomMatched += 1
                    continue
                }
                // Part of a BOM is not tolerated.
                if bomMatched != 0 { throw .syntax(line: line) }
                checkingBOM = false
            }
            if c == Self.lf {
                if eof { return }
                comment = false
                continue
            }
            if comment { continue }
            if GitASCII.isSpace(c) { continue }
            if c == UInt8(ascii: "#") || c == UInt8(ascii: ";") {
                comment = true
                continue
            }
            if c == UInt8(ascii: "[") {
                key.removeAll(keepingCapacity: true)
                guard sectionHeader(), !key.isEmpty else { throw .syntax(line: line) }
                key.append(UInt8(ascii: "."))
                baseLength = key.count
                continue
            }
            guard GitASCII.isAlpha(c) else { throw .syntax(line: line) }
            key.removeSubrange(baseLength...)
            key.append(GitASCII.lower(c))
            guard let hasValue = variable() else { throw .syntax(line: line) }
            do {
                try entry(Self.cString(key), hasValue ? Self.cString(value) : nil)
            } catch {
                throw .entry(error)
            }
        }
    }

    /// git passes C strings on: a NUL byte ends them.
    private static func cString(_ s: [UInt8]) -> [UInt8] {
        guard let nul = s.firstIndex(of: 0) else { return s }
        return Array(s[..<nul])
    }

    /// get_value(): the rest of the name, then nothing or `= value`. Returns whether there
    /// was a value, nil on a syntax error.
    private mutating func variable() -> Bool? {
        var c: UInt8
        repeat {
            c = next()
            if eof || !GitASCII.isKeyChar(c) { break }
            key.append(GitASCII.lower(c))
        } while true
        while c == 0x20 || c == 0x09 { c = next() }
        if c == Self.lf { return false }
        guard c == UInt8(ascii: "=") else { return nil }
        return parseValue() ? true : nil
    }

    /// parse_value(): into `value`; false on an unknown escape or an open quote.
    private mutating func parseValue() -> Bool {
        value.removeAll(keepingCapacity: true)
        var quote = false
        var comment = false
        var spaces = 0
        while true {
            var c = next()
            if c == Self.lf { return !quote }
            if comment { continue }
            if GitASCII.isSpace(c) && !quote {
                if !value.isEmpty { spaces += 1 }
                continue
            }
            if !quote && (c == UInt8(ascii: ";") || c == UInt8(ascii: "#")) {
                comment = true
                continue
            }
            while spaces > 0 {
                value.append(0x20)
                spaces -= 1
            }
            if c == UInt8(ascii: "\\") {
                c = next()
                switch c {
                case Self.lf: continue
                case UInt8(ascii: "t"): c = 0x09
                case UInt8(ascii: "b"): c = 0x08
                case UInt8(ascii: "n"): c = Self.lf
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): break
                default: return false
                }
                value.append(c)
                continue
            }
            if c == UInt8(ascii: "\"") {
                quote.toggle()
                continue
            }
            value.append(c)
        }
    }

    /// get_base_var(): `[section]` or `[section.legacy]`, lowercased, or on to the quoted
    /// subsection at the first white space. False on a syntax error.
    private mutating func sectionHeader() -> Bool {
        while true {
            let c = next()
            if eof { return false }
            if c == UInt8(ascii: "]") { return true }
            if GitASCII.isSpace(c) { return subsection(after: c) }
            guard GitASCII.isKeyChar(c) || c == UInt8(ascii: ".") else { return false }
            key.append(GitASCII.lower(c))
        }
    }

    /// get_extended_base_var(): white space, `"subsection"`, then `]` at once.
    private mutating func subsection(after first: UInt8) -> Bool {
        var c = first
        repeat {
            if c == Self.lf { return false }
            c = next()
        } while GitASCII.isSpace(c)
        guard c == UInt8(ascii: "\"") else { return false }
        key.append(UInt8(ascii: "."))
        while true {
            var c = next()
            if c == Self.lf { return false }
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                c = next()
                if c == Self.lf { return false }
            }
            key.append(c)
        }
        return next() == UInt8(ascii: "]")
    }
}
