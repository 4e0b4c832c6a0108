/// Makes every character that could control a terminal visible before it is printed in
/// a table or `show`: text comes from other people (SPEC §6). C0 controls and DEL become
/// their Unicode control pictures (ESC shows as ␛), C1 controls and bidi controls become
/// `<U+XXXX>`. JSON and CSV never pass through here: they keep the exact text.
enum Sanitizer {
    /// For one-line fields (subjects, names, table cells): newlines and tabs are shown too.
    static func line(_ s: String) -> String { clean(s, multiline: false) }

    /// For message bodies: newline and tab stay; a CR before LF is dropped, a bare CR shown.
    static func body(_ s: String) -> String { clean(s, multiline: true) }

    private static func clean(_ s: String, multiline: Bool) -> String {
        // Fast path: printable ASCII (and, in bodies, newline and tab) passes untouched.
        if s.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || (multiline && ($0 == 0x0A || $0 == 0x09)) }) {
            return s
        }
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            let v = c.value
            switch v {
            case 0x0A where multiline, 0x09 where multiline:
                out.append(c)
            case 0x0D where multiline && i + 1 < scalars.count && scalars[i + 1].value == 0x0A:
                continue
            case 0x00...0x1F:
                out.append(Unicode.Scalar(0x2400 + v)!)
            case 0x7F:
                out.append("\u{2421}")
            case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                out.append(contentsOf: "<U+\(hex4(v))>".unicodeScalars)
            default:
                out.append(c)
            }
        }
        return String(out)
    }

    static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).reversed().map { digits[Int((v >> (UInt32($0) * 4)) & 0xF)] })
    }
}
