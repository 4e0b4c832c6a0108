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
        let startsFrom = line.starts(with: Array("From ".utf8))
        while i < line.count {
            // A UTF-8 sequence goes on one line, so the raw message stays readable text.
            let length = sequenceLength(line, at: i)
            var piece = [UInt8]()
            for j in i..<(i + length) {
                let b = line[j]
                let atEnd = j == line.count - 1
                let literal = (b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && !atEnd)
                let risky = j == 0 && (b == 0x2E || (b == 0x46 && startsFrom))
                if literal && !risky {
                    piece.append(b)
                } else {
                    piece += [0x3D, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
                }
            }
            // The last piece of a line may use the column a soft break's `=` needs.
            let last = i + length == line.count
            if column + piece.count > lineLimit - (last ? 0 : 1) {
                out += [0x3D, 0x0A]
                column = 0
            }
            out += piece
            column += piece.count
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
