/// Reads what `tickets export` writes, one top-level object at a time: either a JSON
/// array of objects or ndjson (objects separated by whitespace, usually newlines).
///
/// The whole input is in memory as bytes, but only the current object is ever parsed
/// into values, so importing a huge export costs its bytes plus one ticket.
public struct JSONReader: Sendable {
    /// The ticket object is level 1 and a top-level array does not count, so the same
    /// ticket parses identically in either format. Bounded recursion: no stack overflow.
    static let maxDepth = 64

    private enum Mode { case start, array(first: Bool), lines, finished, failed(JSONSyntaxError) }

    private let bytes: [UInt8]
    private var position = 0
    private var mode = Mode.start

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next top-level object, or nil at a clean end of input. After an error every
    /// further call throws the same error, so a caller cannot import half a file by mistake.
    public mutating func nextDocumentObject() throws(JSONSyntaxError) -> JSONObject? {
        switch mode {
        case .finished: return nil
        case .failed(let error): throw error
        default: break
        }
        let input = bytes // a local reference, so that `self` may be mutated below
        do {
            return try input.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) in
                var parser = Parser(buffer: buffer, position: position)
                defer { position = parser.position }
                return try next(&parser)
            }
        } catch {
            mode = .failed(error)
            throw error
        }
    }

    private mutating func next(_ p: inout Parser) throws(JSONSyntaxError) -> JSONObject? {
        if case .start = mode {
            if p.buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
                throw p.error("the input starts with a byte order mark; save it as UTF-8 without a BOM", at: 0)
            }
            p.skipWhitespace()
            switch p.peek() {
            case UInt8(ascii: "["): p.position += 1; mode = .array(first: true)
            case UInt8(ascii: "{"), nil: mode = .lines
            default: throw p.unexpected(expecting: "'[' or '{' at the start of the input")
            }
        }
        p.skipWhitespace()
        if case .array(let first) = mode {
            if !first {
                guard let byte = p.peek(), byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else {
                    throw p.unexpected(expecting: "',' or ']'")
                }
                if byte == UInt8(ascii: ",") {
                    p.position += 1
                    p.skipWhitespace()
                    if p.peek() == UInt8(ascii: "]") { throw p.error("trailing comma before ']'", at: p.position) }
                }
            }
            if p.peek() == UInt8(ascii: "]") {
                p.position += 1
                p.skipWhitespace()
                guard p.peek() == nil else { throw p.error("unexpected data after the top-level array", at: p.position) }
                mode = .finished
                return nil
            }
            guard p.peek() == UInt8(ascii: "{") else { throw p.unexpected(expecting: "an object in the top-level array") }
            mode = .array(first: false)
            return try p.parseObject(depth: 1)
        }
        guard let byte = p.peek() else { mode = .finished; return nil }
        guard byte == UInt8(ascii: "{") else { throw p.unexpected(expecting: "'{' (ndjson holds one object per line)") }
        let object = try p.parseObject(depth: 1)
        // Objects run together on one line are almost surely a broken file, not ndjson.
        if let after = p.peek(), !Parser.isWhitespace(after) { throw p.unexpected(expecting: "a newline after the object") }
        return object
    }
}

/// The byte-level scanner. All hot paths index an `UnsafeBufferPointer`, whose bounds
/// checks vanish in release builds; every index is checked against `count` by hand.
private struct Parser {
    let buffer: UnsafeBufferPointer<UInt8>
    var position: Int

    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    func peek() -> UInt8? { position < buffer.count ? buffer[position] : nil }

    mutating func skipWhitespace() {
        while position < buffer.count, Parser.isWhitespace(buffer[position]) { position += 1 }
    }

    /// Errors are rare, so the location is worked out only here, by rescanning from the
    /// start, and the hot loops never count lines.
    func error(_ reason: String, at offset: Int) -> JSONSyntaxError {
        let end = min(offset, buffer.count)
        var line = 1, lineStart = 0
        for i in 0..<end where buffer[i] == 0x0A { line += 1; lineStart = i + 1 }
        var column = 1
        for i in lineStart..<end where buffer[i] & 0xC0 != 0x80 { column += 1 }
        return JSONSyntaxError(message: "\(reason) at line \(line), column \(column)", line: line, column: column)
    }

    func unexpected(expecting what: String) -> JSONSyntaxError {
        guard let byte = peek() else { return error("unexpected end of input, expected \(what)", at: position) }
        let found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
        return error("expected \(what), found \(found)", at: position)
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard let byte = peek() else { throw unexpected(expecting: "a value") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"), UInt8(ascii: "I"): throw error("NaN and Infinity are not JSON numbers", at: position)
        default: throw unexpected(expecting: "a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard buffer.count - position >= text.count,
              UnsafeBufferPointer(rebasing: buffer[position..<position + text.count]).elementsEqual(text)
        else { throw error("invalid literal, expected '\(word)'", at: position) }
        position += text.count
    }

    mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONObject {
        if depth > JSONReader.maxDepth { throw error("nesting deeper than \(JSONReader.maxDepth) levels", at: position) }
        position += 1 // '{'
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return JSONObject() }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                if peek() == UInt8(ascii: "}") { throw error("trailing comma before '}'", at: position) }
                throw unexpected(expecting: "a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':'") }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key: key, value: value))
            skipWhitespace()
            guard let byte = peek(), byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") else {
                throw unexpected(expecting: "',' or '}'")
            }
            position += 1
            if byte == UInt8(ascii: "}") { break }
            skipWhitespace()
        }
        return JSONObject(members)
    }

    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
        if depth > JSONReader.maxDepth { throw error("nesting deeper than \(JSONReader.maxDepth) levels", at: position) }
        position += 1 // '['
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return [] }
        while true {
            if peek() == UInt8(ascii: "]") { throw error("trailing comma before ']'", at: position) }
            let value = try parseValue(depth: depth)
            elements.append(value)
            skipWhitespace()
            guard let byte = peek(), byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else {
                throw unexpected(expecting: "',' or ']'")
            }
            position += 1
            if byte == UInt8(ascii: "]") { break }
            skipWhitespace()
        }
        return elements
    }

    /// RFC 8259 grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = position
        var p = position
        let end = buffer.count
        func isDigit(_ i: Int) -> Bool { i < end && buffer[i] &- UInt8(ascii: "0") < 10 }
        if buffer[p] == UInt8(ascii: "-") { p += 1 }
        guard isDigit(p) else { throw error("expected a digit after '-'", at: p) }
        if buffer[p] == UInt8(ascii: "0") {
            p += 1
            if isDigit(p) { throw error("leading zeros are not allowed in numbers", at: p - 1) }
        } else {
            while isDigit(p) { p += 1 }
        }
        if p < end, buffer[p] == UInt8(ascii: ".") {
            p += 1
            guard isDigit(p) else { throw error("expected a digit after '.'", at: p) }
            while isDigit(p) { p += 1 }
        }
        if p < end, buffer[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < end, buffer[p] == UInt8(ascii: "+") || buffer[p] == UInt8(ascii: "-") { p += 1 }
            guard isDigit(p) else { throw error("expected a digit in the exponent", at: p) }
            while isDigit(p) { p += 1 }
        }
        position = p
        return JSONNumber(validatedLiteral: String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<p]), as: UTF8.self))
    }

    /// One pass finds the end, validating UTF-8 and escape letters; a string without
    /// escapes (nearly all of them) is then built in one go from the slice.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position + 1
        var p = start
        let end = buffer.count
        var escaped = false
        while true {
            guard p < end else { throw error("unterminated string", at: p) }
            let b = buffer[p]
            if b &- 0x20 < 0x60 { // printable ASCII, the common case
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") {
                    guard p + 1 < end else { throw error("unterminated string", at: end) }
                    switch buffer[p + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "u"):
                        escaped = true
                        p += 2
                        continue
                    default:
                        throw error("invalid escape sequence in string", at: p)
                    }
                }
                p += 1
            } else if b < 0x20 {
                throw error("unescaped control character U+00\(hex(b)) in string", at: p)
            } else {
                p = try validateUTF8(at: p)
            }
        }
        position = p + 1
        if !escaped { return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<p]), as: UTF8.self) }
        return try unescape(start..<p)
    }

    /// Returns the index after the multi-byte sequence at `p`, per Unicode table 3-7.
    func validateUTF8(at p: Int) throws(JSONSyntaxError) -> Int {
        let lead = buffer[p]
        let length: Int, low: UInt8, high: UInt8 // bounds of the second byte
        switch lead {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        case 0xC0, 0xC1: throw error("invalid UTF-8 (overlong encoding, byte 0x\(hex(lead)))", at: p)
        default: throw error("invalid UTF-8 (unexpected byte 0x\(hex(lead)))", at: p)
        }
        guard p + length <= buffer.count else { throw error("invalid UTF-8 (truncated sequence)", at: p) }
        let second = buffer[p + 1]
        if second < low || second > high {
            let kind = lead == 0xED && (0xA0...0xBF).contains(second) ? "encoded UTF-16 surrogate"
                : second & 0xC0 == 0x80 ? "overlong or out-of-range encoding" : "missing continuation byte"
            throw error("invalid UTF-8 (\(kind))", at: p)
        }
        for i in p + 2 ..< p + length where buffer[i] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 (missing continuation byte)", at: p)
        }
        return p + length
    }

    /// Decodes escapes straight into the new string's storage: escapes only ever shrink,
    /// so the raw length is enough capacity.
    func unescape(_ range: Range<Int>) throws(JSONSyntaxError) -> String {
        var failure: JSONSyntaxError?
        let string = String(unsafeUninitializedCapacity: range.count) { out in
            var o = 0, p = range.lowerBound
            while p < range.upperBound {
                let b = buffer[p]
                if b != UInt8(ascii: "\\") { out[o] = b; o += 1; p += 1; continue }
                let letter = buffer[p + 1] // pass one guaranteed a letter after each backslash
                p += 2
                switch letter {
                case UInt8(ascii: "b"): out[o] = 0x08
                case UInt8(ascii: "f"): out[o] = 0x0C
                case UInt8(ascii: "n"): out[o] = 0x0A
                case UInt8(ascii: "r"): out[o] = 0x0D
                case UInt8(ascii: "t"): out[o] = 0x09
                case UInt8(ascii: "u"):
                    do throws(JSONSyntaxError) {
                        let scalar = try unicodeEscape(at: &p, limit: range.upperBound)
                        for byte in UTF8.encode(scalar)! { out[o] = byte; o += 1 }
                    } catch {
                        failure = error
                        return 0
                    }
                    continue
                default: out[o] = letter // '"', '\\' and '/' stand for themselves
                }
                o += 1
            }
            return o
        }
        if let failure { throw failure }
        return string
    }

    /// Reads the hex digits of a \u escape (`p` is just past the "\u"), joining a
    /// surrogate pair; a lone surrogate is refused since no valid text contains one.
    func unicodeEscape(at p: inout Int, limit: Int) throws(JSONSyntaxError) -> Unicode.Scalar {
        let escapeStart = p - 2
        func hex4(_ i: Int) throws(JSONSyntaxError) -> UInt32 {
            guard i + 4 <= limit else { throw error("invalid \\u escape, expected 4 hex digits", at: escapeStart) }
            var v: UInt32 = 0
            for j in i..<i + 4 {
                // `| 0x20` folds A-F onto a-f and leaves digits alone; pass one already
                // refused the control bytes it could otherwise fold onto digits.
                let c = buffer[j] | 0x20
                let digit = c &- 0x30 < 10 ? c &- 0x30 : c &- 0x61 < 6 ? c &- 0x57 : 0xFF
                guard digit != 0xFF else { throw error("invalid \\u escape, expected 4 hex digits", at: escapeStart) }
                v = v << 4 | UInt32(digit)
            }
            return v
        }
        let unit = try hex4(p)
        p += 4
        switch unit {
        case 0xD800...0xDBFF:
            guard p + 2 <= limit, buffer[p] == UInt8(ascii: "\\"), buffer[p + 1] == UInt8(ascii: "u"),
                  case let low = try hex4(p + 2), (0xDC00...0xDFFF).contains(low)
            else { throw error("lone UTF-16 surrogate in \\u escape", at: escapeStart) }
            p += 6
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
        case 0xDC00...0xDFFF:
            throw error("lone UTF-16 surrogate in \\u escape", at: escapeStart)
        default:
            return Unicode.Scalar(unit)!
        }
    }
}

private func hex(_ byte: UInt8) -> String {
    (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
}
