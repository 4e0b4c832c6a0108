/// The body's transfer encoding (RFC 2045 §6.7). Quoted-printable keeps every output
/// line at 76 characters or fewer whatever the text holds (a 5,000-byte log line, a
/// bare CR, a NUL), keeps the message 7-bit, so it passes any relay with or without
/// 8BITMIME, and leaves ASCII text readable in the raw message.
enum QuotedPrintable {
    static let lineLimit = 76
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// The encoded text, each line ending in LF. The text's line breaks (LF or CRLF)
    /// become hard line breaks; any other CR is encoded. Two more characters are encoded
    /// where they would be at risk in transit: a `.` starting a line (a lone dot ends
    /// the message for a `sendmail` run without `-oi`) and the `F` of a line starting
    /// `From ` (mbox files rewrite it to `>From `).
    static func encode(_ text: String) -> [UInt8] {
        var out = [UInt8]()
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }
        for (i, var line) in lines.enumerated() {
            // The CR of a CRLF line end; a CR at the very end, with no LF, is text.
            if line.last == 0x0D && (i < lines.count - 1 || bytes.last == 0x0A) { line = line.dropLast() }
            encodeLine(Array(line), into: &out)
            out.append(0x0A)
        }
        return out
    }

    private static func encodeLine(_ line: [UInt8], into out: inout [UInt8]) {
        var column = 0
        var i = 0
        let startsFrom = line.starts(with: [0x46, 0x72, 0x6F, 0x6D, 0x20])  // "From "
        // Whether byte j goes out as itself; otherwise as =XX.
        func isLiteral(_ j: Int) -> Bool {
            let b = line[j]
            let literal = (b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && j != line.count - 1)
            let risky = j == 0 && (b == 0x2E || (b == 0x46 && startsFrom))
            return literal && !risky
        }
        while i < line.count {
            // A UTF-8 sequence goes on one line, so the raw message stays readable text.
            let length = sequenceLength(line, at: i)
            var width = 0
            for j in i..<(i + length) { width += isLiteral(j) ? 1 : 3 }
            // The last piece of a line may use the column a soft break's `=` needs.
            let last = i + length == line.count
            if column + width > lineLimit - (last ? 0 : 1) {
                out.append(0x3D)
                out.append(0x0A)
                column = 0
            }
            for j in i..<(i + length) {
                let b = line[j]
                if isLiteral(j) {
                    out.append(b)
                } else {
                    out.append(0x3D)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0x0F)])
                }
            }
            column += width
            i += length
        }
    }

    /// Bytes of the UTF-8 sequence starting at `i`; 1 for a byte that starts none.
    private static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        let n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1
        guard i + n <= b.count, b[(i + 1)..<(i + n)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return 1 }
        return n
    }
}
