/// Streams JSON as bytes into an `OutputStream`: no intermediate tree, no `JSONEncoder`,
/// so exporting a million tickets needs the memory of one ticket. Strings are escaped as
/// RFC 8259 requires; U+2028/U+2029 are escaped too so the output is safe in JavaScript.
struct JSONWriter {
    let out: OutputStream
    /// Per open container: nothing written in it yet.
    private var first = [true]
    private var afterKey = false

    init(_ out: OutputStream) { self.out = out }

    /// The comma between members, unless this value follows its key.
    private mutating func prefix() {
        if afterKey {
            afterKey = false
            return
        }
        if !first[first.count - 1] { out.write(byte: 0x2C) }
        first[first.count - 1] = false
    }

    mutating func beginObject() { prefix(); out.write(byte: 0x7B); first.append(true) }
    mutating func endObject() { first.removeLast(); out.write(byte: 0x7D) }
    mutating func beginArray() { prefix(); out.write(byte: 0x5B); first.append(true) }
    mutating func endArray() { first.removeLast(); out.write(byte: 0x5D) }

    mutating func key(_ k: String) {
        prefix()
        JSONWriter.writeString(k, to: out)
        out.write(byte: 0x3A)
        afterKey = true
    }

    mutating func string(_ s: String?) {
        prefix()
        if let s { JSONWriter.writeString(s, to: out) } else { out.write("null") }
    }

    mutating func int(_ n: Int64?) {
        prefix()
        out.write(n.map { String($0) } ?? "null")
    }

    mutating func bool(_ b: Bool) {
        prefix()
        out.write(b ? "true" : "false")
    }

    mutating func null() {
        prefix()
        out.write("null")
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, to out: OutputStream) {
        out.write(byte: 0x22)
        var s = s
        s.withUTF8 { buf in
            var start = 0
            var i = 0
            while i < buf.count {
                let b = buf[i]
                // The common byte needs nothing: one range test and two compares, then on.
                if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C {
                    i += 1
                    continue
                }
                var escape: [UInt8]? = nil
                if b == 0x22 { escape = [0x5C, 0x22] }
                else if b == 0x5C { escape = [0x5C, 0x5C] }
                else if b == 0x0A { escape = [0x5C, 0x6E] }
                else if b == 0x0D { escape = [0x5C, 0x72] }
                else if b == 0x09 { escape = [0x5C, 0x74] }
                else if b < 0x20 || b == 0x7F { escape = [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]] }
                else if b == 0xE2, i + 2 < buf.count, buf[i + 1] == 0x80, buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9 {
                    out.write(bytes: UnsafeBufferPointer(rebasing: buf[start..<i]))
                    out.write(buf[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 3
                    start = i
                    continue
                }
                if let escape {
                    out.write(bytes: UnsafeBufferPointer(rebasing: buf[start..<i]))
                    out.write(bytes: escape)
                    start = i + 1
                }
                i += 1
            }
            out.write(bytes: UnsafeBufferPointer(rebasing: buf[start..<buf.count]))
        }
        out.write(byte: 0x22)
    }
}
