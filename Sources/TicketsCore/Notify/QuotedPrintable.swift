/// The body's transfer encoding (RFC 2045 §6.7). Quoted-printable keeps every output
/// line at 76 characters or fewer whatever the text holds (a 5,000-byte log line, a
/// bare CR, a NUL), keeps the message 7-bit, so it passes any relay with or without
/// 8BITMIME, and leaves ASCII text readable in the raw message.
enum QuotedPrintable {
    static let lineLimit = 76

    /// The encoded text, each line ending in LF. The text's line breaks (LF or CRLF)
    /// become hard line breaks; any other CR is encoded. Two more characters are encoded
    /// where they would be at risk in transit: a `.` starting a line (a lone dot ends
    /// the message for a `sendmail` run without `-oi`) and the `F` of a line starting
    /// `From ` (mbox files rewrite it to `>From `).
    ///
    /// Index loops over the UTF-8 buffer: the generic `split`, `starts(with:)` and
    /// slices cost about 150 instructions a byte, the largest part of what notifying
    /// adds to an `open` (bench/NOTES.md).
    static func encode(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.isEmpty else { return [] }
            // Each byte takes at most 3 columns, each output line of up to 76 columns
            // holds at least 25 bytes, and each line adds at most `=` LF or LF.
            let capacity = 5 * bytes.count + 16
            return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
                var w = Writer(out: out)
                var start = 0
                while true {
                    var lf = start
                    while lf < bytes.count && bytes[lf] != 0x0A { lf += 1 }
                    if lf == bytes.count {
                        // The last line, with no LF: a CR at its very end is text.
                        encodeLine(bytes, start, lf, into: &w)
                        w.put(0x0A)
                        break
                    }
                    // The CR of a CRLF line end.
                    encodeLine(bytes, start, lf > start && bytes[lf - 1] == 0x0D ? lf - 1 : lf, into: &w)
                    w.put(0x0A)
                    start = lf + 1
                    if start == bytes.count { break }
                }
                count = w.count
            }
        }
    }

    /// Appends to a buffer `encode` sized for the worst case.
    private struct Writer {
        let out: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        mutating func put(_ byte: UInt8) {
            precondition(count < out.count, "quoted-printable output past its bound")
            out[count] = byte
            count += 1
        }
    }

    /// Encodes the line `b[lo..<hi]` (no line break in it), with soft breaks.
    private static func encodeLine(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, into out: inout Writer) {
        var column = 0
        var i = lo
        let startsFrom = hi - lo >= 5 && b[lo] == 0x46 && b[lo + 1] == 0x72 && b[lo + 2] == 0x6F && b[lo + 3] == 0x6D
            && b[lo + 4] == 0x20  // "From "
        // Whether byte j goes out as itself; otherwise as =XX.
        func isLiteral(_ j: Int) -> Bool {
            let c = b[j]
            let literal = (c >= 0x21 && c <= 0x7E && c != 0x3D) || ((c == 0x20 || c == 0x09) && j != hi - 1)
            let risky = j == lo && (c == 0x2E || (c == 0x46 && startsFrom))
            return literal && !risky
        }
        while i < hi {
            // A UTF-8 sequence goes on one line, so the raw message stays readable text.
            let length = sequenceLength(b, at: i, end: hi)
            var width = 0
            for j in i..<(i + length) { width += isLiteral(j) ? 1 : 3 }
            // The last piece of a line may use the column a soft break's `=` needs.
            let last = i + length == hi
            if column + width > lineLimit - (last ? 0 : 1) {
                out.put(0x3D)
                out.put(0x0A)
                column = 0
            }
            for j in i..<(i + length) {
                let c = b[j]
                if isLiteral(j) {
                    out.put(c)
                } else {
                    out.put(0x3D)
                    out.put(hexDigit(c >> 4))
                    out.put(hexDigit(c & 0x0F))
                }
            }
            column += width
            i += length
        }
    }

    /// `0`-`9`, `A`-`F` for 0-15 (RFC 2045 §6.7: upper case).
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x37 + v }

    /// Bytes of the UTF-8 sequence starting at `i`, within `end`; 1 for a byte that starts none.
    private static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let lead = b[i]
        let n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1
        guard i + n <= end else { return 1 }
        for j in (i + 1)..<(i + n) where b[j] & 0xC0 != 0x80 { return 1 }
        return n
    }
}
