/// Ticket text (a subject, a name) on its way into a mail header. Every character that
/// could end a line or steer a display is made visible first, with the pictures `show`
/// uses (the CLI's Sanitizer): C0 controls and DEL become their control pictures
/// (CR LF shows as ␍␊, so `\r\nBcc: x` stays inside the Subject as text), C1 controls,
/// the line and paragraph separators and the bidi controls become `<U+XXXX>`. After
/// this no character of the text can start a header line, neither in the bytes we
/// write nor in what a reader decodes from an encoded-word: U+0085, U+2028 and U+2029
/// are line breaks to some decoders (Python's `str.splitlines`).
enum HeaderText {
    static func clean(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            let v = c.value
            switch v {
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + v)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                out.append(contentsOf: "<U+\(hex4(v))>".unicodeScalars)
            default: out.append(c)
            }
        }
        return String(out)
    }

    private static func hex4(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).reversed().map { digits[Int((v >> (UInt32($0) * 4)) & 0xF)] })
    }

    /// Printable ASCII: what a header may carry without an encoded-word.
    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `=?` in plain text would be read as the start of an encoded-word (RFC 2047 §6.1
    /// decoders are lenient), showing other text than we meant; such text is encoded.
    static func looksEncoded(_ s: String) -> Bool {
        var previous: UInt8 = 0
        for b in s.utf8 {
            if previous == 0x3D && b == 0x3F { return true }  // "=?"
            previous = b
        }
        return false
    }
}
