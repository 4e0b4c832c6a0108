/// Strings: UTF-8 validated byte by byte and escapes decoded as the window goes by.
extension JSONReader {
    /// At the opening quote. A string that lies within the window without escapes (nearly
    /// all of them) is built in one go from the window; any other is decoded into
    /// `scratch` run by run, so only `maxStringBytes` of it is ever held.
    mutating func parseString() throws(JSONReadError) -> String {
        mark = position
        markLocation = nil
        stringIsASCII = true
        var spilled = false // part of the string is in `scratch`
        var start = position + 1 // the run of plain bytes not yet in `scratch`
        var p = start
        while true {
            p = Self.skipPlainASCII(buffer, from: p, to: end)
            if p == end {
                try spill(start..<p, &spilled)
                position = p
                guard try fill(keeping: p) else { throw fail("unterminated string", at: position) }
                p = position
                start = p
                continue
            }
            let b = buffer[p]
            if b &- 0x20 < 0x60 { // printable ASCII, the common case
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") {
                    try spill(start..<p, &spilled)
                    position = p
                    try unescape()
                    p = position
                    start = p
                    continue
                }
                p += 1
            } else if b < 0x20 {
                throw fail("unescaped control character U+00\(hex(b)) in string", at: p)
            } else {
                stringIsASCII = false
                let length = try sequenceLength(at: p)
                if end - p < length {
                    // The sequence crosses the window's end: bring all of it in.
                    try spill(start..<p, &spilled)
                    position = p
                    guard try ensure(length) else { throw fail("invalid UTF-8 (truncated sequence)", at: position) }
                    p = position
                    start = p
                }
                try validateSequence(at: p, length: length)
                p += length
            }
        }
        let string: String
        if spilled {
            try spill(start..<p, &spilled)
            string = String(decoding: scratch, as: UTF8.self)
            // A big scratch is not kept for the next string: memory is one value's worth.
            if scratch.capacity > 1 << 20 { scratch = [] }
        } else {
            if p - start > limits.maxStringBytes { throw stringTooLong() }
            string = String(decoding: UnsafeBufferPointer(start: buffer + start, count: p - start), as: UTF8.self)
        }
        position = p + 1
        return string
    }

    private func stringTooLong() -> JSONReadError {
        limitError(.stringBytes, "a string longer than \(AttachmentPolicy.describe(size: limits.maxStringBytes))",
                   at: markedLocation)
    }

    /// Makes room for `count` more decoded bytes, refusing a string over the limit before
    /// it is held. Grows by doubling but never past the limit, so a string at the limit
    /// costs the limit, not twice it.
    private mutating func reserve(_ count: Int) throws(JSONReadError) {
        let needed = scratch.count + count
        if needed > limits.maxStringBytes { throw stringTooLong() }
        if needed > scratch.capacity {
            scratch.reserveCapacity(min(max(needed, 2 * scratch.capacity, 256), limits.maxStringBytes))
        }
    }

    /// Moves window bytes (already validated) into `scratch`; the first spill of a string
    /// empties it, so a string that never spills costs nothing here.
    private mutating func spill(_ range: Range<Int>, _ spilled: inout Bool) throws(JSONReadError) {
        if !spilled {
            scratch.removeAll(keepingCapacity: true)
            spilled = true
        }
        try reserve(range.count)
        scratch.append(contentsOf: UnsafeBufferPointer(start: buffer + range.lowerBound, count: range.count))
    }

    /// The first index in `p..<end` that is not printable ASCII other than '"' and '\\',
    /// or a nearby earlier one: eight bytes at a time (message bodies are long), the
    /// caller looks at the rest byte by byte.
    @inline(__always)
    static func skipPlainASCII(_ buffer: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var p = start
        while end - p >= 8 {
            let w = UnsafeRawPointer(buffer + p).loadUnaligned(as: UInt64.self)
            // Classic SWAR tests: is any byte below 0x20, zero after an xor with '"' or
            // '\\', or not ASCII (`(x - 0x01..) & ~x & 0x80..` is nonzero iff a byte of
            // x is zero; with 0x20.. iff a byte is below 0x20).
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            let control = (w &- ones &* 0x20) & ~w
            let special = (control | (quote &- ones) & ~quote | (backslash &- ones) & ~backslash | w) & highs
            if special != 0 { break }
            p += 8
        }
        return p
    }

    /// Per Unicode table 3-7, from the lead byte alone.
    private func sequenceLength(at p: Int) throws(JSONReadError) -> Int {
        switch buffer[p] {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        case 0xC0, 0xC1: throw fail("invalid UTF-8 (overlong encoding, byte 0x\(hex(buffer[p])))", at: p)
        case let lead: throw fail("invalid UTF-8 (unexpected byte 0x\(hex(lead)))", at: p)
        }
    }

    /// The whole sequence is in the window. Errors point at its lead byte.
    private func validateSequence(at p: Int, length: Int) throws(JSONReadError) {
        let lead = buffer[p]
        let low: UInt8, high: UInt8 // bounds of the second byte
        switch lead {
        case 0xE0: (low, high) = (0xA0, 0xBF)
        case 0xED: (low, high) = (0x80, 0x9F)
        case 0xF0: (low, high) = (0x90, 0xBF)
        case 0xF4: (low, high) = (0x80, 0x8F)
        default: (low, high) = (0x80, 0xBF)
        }
        let second = buffer[p + 1]
        if second < low || second > high {
            let kind = lead == 0xED && (0xA0...0xBF).contains(second) ? "encoded UTF-16 surrogate"
                : second & 0xC0 == 0x80 ? "overlong or out-of-range encoding" : "missing continuation byte"
            throw fail("invalid UTF-8 (\(kind))", at: p)
        }
        for i in p + 2 ..< p + length where buffer[i] & 0xC0 != 0x80 {
            throw fail("invalid UTF-8 (missing continuation byte)", at: p)
        }
    }

    /// At a backslash: decodes one escape (a surrogate pair counts as one) into `scratch`.
    private mutating func unescape() throws(JSONReadError) {
        guard try ensure(2) else { throw fail("unterminated string", at: end) }
        let decoded: UInt8
        switch buffer[position + 1] {
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case let same where same == UInt8(ascii: "\"") || same == UInt8(ascii: "\\") || same == UInt8(ascii: "/"):
            decoded = same
        case UInt8(ascii: "u"):
            let scalar = try unicodeEscape()
            if !scalar.isASCII { stringIsASCII = false }
            let encoded = UTF8.encode(scalar)!
            try reserve(encoded.count)
            scratch.append(contentsOf: encoded)
            return
        default:
            throw fail("invalid escape sequence in string", at: position)
        }
        try reserve(1)
        scratch.append(decoded)
        position += 2
    }

    /// At "\u": reads its hex digits, joining a surrogate pair; a lone surrogate is
    /// refused since no valid text contains one. Errors point at the backslash.
    private mutating func unicodeEscape() throws(JSONReadError) -> Unicode.Scalar {
        let unit = try hex4(at: 2)
        switch unit {
        case 0xD800...0xDBFF:
            guard try ensure(12), buffer[position + 6] == UInt8(ascii: "\\"), buffer[position + 7] == UInt8(ascii: "u"),
                  case let low = try hex4(at: 8), (0xDC00...0xDFFF).contains(low)
            else { throw fail("lone UTF-16 surrogate in \\u escape", at: position) }
            position += 12
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
        case 0xDC00...0xDFFF:
            throw fail("lone UTF-16 surrogate in \\u escape", at: position)
        default:
            position += 6
            return Unicode.Scalar(unit)!
        }
    }

    /// The four hex digits `offset` bytes after `position`.
    private mutating func hex4(at offset: Int) throws(JSONReadError) -> UInt32 {
        guard try ensure(offset + 4) else { throw fail("invalid \\u escape, expected 4 hex digits", at: position) }
        var v: UInt32 = 0
        for i in position + offset ..< position + offset + 4 {
            let b = buffer[i]
            // `| 0x20` folds A-F onto a-f; digits are tested on the raw byte, since the
            // fold would also turn control bytes 0x10-0x19 into digits.
            let digit = b &- 0x30 < 10 ? b &- 0x30 : (b | 0x20) &- 0x61 < 6 ? (b | 0x20) &- 0x57 : 0xFF
            guard digit != 0xFF else { throw fail("invalid \\u escape, expected 4 hex digits", at: position) }
            v = v << 4 | UInt32(digit)
        }
        return v
    }
}
