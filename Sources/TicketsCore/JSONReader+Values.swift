/// Values, objects, arrays, numbers and literals.
extension JSONReader {
    /// Below this many members an object finds a duplicate key by scanning its keys;
    /// from here on by a hash set, so a hostile million-key object stays linear.
    static let keyScanLimit = 32

    /// `depth` is the level of the container holding the value.
    mutating func parseValue(depth: Int) throws(JSONReadError) -> JSONValue {
        guard let byte = try peek() else { throw unexpected(expecting: "a value") }
        documentValues += 1
        if documentValues > limits.maxDocumentValues {
            throw limitError(.documentValues, "more than \(limits.maxDocumentValues) values in one top-level object",
                             at: location(at: position))
        }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"), UInt8(ascii: "I"): throw fail("NaN and Infinity are not JSON numbers", at: position)
        default: throw unexpected(expecting: "a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard try ensure(text.count),
              UnsafeBufferPointer(start: buffer + position, count: text.count).elementsEqual(text)
        else { throw fail("invalid literal, expected '\(word)'", at: position) }
        position += text.count
    }

    /// At the opening bracket; the depth limit is checked here, before any recursion.
    private mutating func open(depth: Int) throws(JSONReadError) {
        if depth > limits.maxDepth {
            throw limitError(.depth, "nesting deeper than \(limits.maxDepth) levels", at: location(at: position))
        }
        position += 1
    }

    private func checkCount(_ count: Int, _ noun: String) throws(JSONReadError) {
        if count == limits.maxContainerCount {
            throw limitError(.containerCount, "more than \(limits.maxContainerCount) \(noun)", at: location(at: position))
        }
    }

    mutating func parseObject(depth: Int) throws(JSONReadError) -> JSONObject {
        try open(depth: depth)
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>() // filled from `keyScanLimit` members on
        var seen: UInt64 = 0 // the filter below
        try skipWhitespace()
        if try peek() == UInt8(ascii: "}") { position += 1; return JSONObject() }
        while true {
            guard try peek() == UInt8(ascii: "\"") else {
                if try peek() == UInt8(ascii: "}") { throw fail("trailing comma before '}'", at: position) }
                throw unexpected(expecting: "a string key")
            }
            try checkCount(members.count, "members in one object")
            let key = try parseString()
            // Keys compare as Swift strings compare (canonical equivalence), as lookups
            // do: two keys a lookup could not tell apart are one key given twice.
            var repeated = false
            if members.count < Self.keyScanLimit {
                // Two ASCII keys are equal only if their bytes are, so a filter of their
                // (length, last byte) spares most comparisons. A key that is not ASCII
                // may equal one that is (KELVIN SIGN is 'K'): it turns the filter off.
                let bit: UInt64 = stringIsASCII
                    ? 1 << ((UInt64(key.utf8.count) &* 31 &+ UInt64(key.utf8.last ?? 0)) & 63) : ~0
                if seen & bit != 0 { repeated = members.contains { $0.key == key } }
                seen |= bit
            } else {
                if keys.isEmpty { keys = Set(members.lazy.map(\.key)) }
                repeated = !keys.insert(key).inserted
            }
            if repeated { throw fail("duplicate key \(Self.quoted(key)) in one object", at: markedLocation) }
            try skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':'") }
            position += 1
            try skipWhitespace()
            let value = try parseValue(depth: depth)
            if depth == 1 && key == "id" { documentID = value.int64Value }
            members.append((key: key, value: value))
            try skipWhitespace()
            guard let byte = try peek(), byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") else {
                throw unexpected(expecting: "',' or '}'")
            }
            position += 1
            if byte == UInt8(ascii: "}") { break }
            try skipWhitespace()
        }
        return JSONObject(members)
    }

    mutating func parseArray(depth: Int) throws(JSONReadError) -> [JSONValue] {
        try open(depth: depth)
        var elements: [JSONValue] = []
        try skipWhitespace()
        if try peek() == UInt8(ascii: "]") { position += 1; return [] }
        while true {
            if try peek() == UInt8(ascii: "]") { throw fail("trailing comma before ']'", at: position) }
            try checkCount(elements.count, "elements in one array")
            let value = try parseValue(depth: depth)
            elements.append(value)
            try skipWhitespace()
            guard let byte = try peek(), byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else {
                throw unexpected(expecting: "',' or ']'")
            }
            position += 1
            if byte == UInt8(ascii: "]") { break }
            try skipWhitespace()
        }
        return elements
    }

    /// RFC 8259 grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    ///
    /// The literal is kept whole in the window: first its extent (bytes that can occur in
    /// a number, at most one past the length limit), then the grammar over that slice.
    mutating func parseNumber() throws(JSONReadError) -> JSONNumber {
        var length = 0
        while length <= limits.maxNumberLength {
            if position + length == end { guard try fill(keeping: position) else { break } }
            guard Self.isNumberByte(buffer[position + length]) else { break }
            length += 1
        }
        let buffer = buffer, start = position, end = start + length
        var p = start
        func isDigit(_ i: Int) -> Bool { i < end && buffer[i] &- UInt8(ascii: "0") < 10 }
        if buffer[p] == UInt8(ascii: "-") { p += 1 }
        guard isDigit(p) else { throw fail("expected a digit after '-'", at: p) }
        if buffer[p] == UInt8(ascii: "0") {
            p += 1
            if isDigit(p) { throw fail("leading zeros are not allowed in numbers", at: p - 1) }
        } else {
            while isDigit(p) { p += 1 }
        }
        if p < end, buffer[p] == UInt8(ascii: ".") {
            p += 1
            guard isDigit(p) else { throw fail("expected a digit after '.'", at: p) }
            while isDigit(p) { p += 1 }
        }
        if p < end, buffer[p] | 0x20 == UInt8(ascii: "e") {
            p += 1
            if p < end, buffer[p] == UInt8(ascii: "+") || buffer[p] == UInt8(ascii: "-") { p += 1 }
            guard isDigit(p) else { throw fail("expected a digit in the exponent", at: p) }
            while isDigit(p) { p += 1 }
        }
        if p - start > limits.maxNumberLength {
            throw limitError(.numberLength, "a number longer than \(limits.maxNumberLength) characters", at: location(at: start))
        }
        position = p
        return JSONNumber(validatedLiteral: String(decoding: UnsafeBufferPointer(start: buffer + start, count: p - start), as: UTF8.self))
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10 || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
            || b | 0x20 == UInt8(ascii: "e")
    }

    /// A key as an error message shows it: quoted, control characters escaped, and cut
    /// short, since a hostile key may be megabytes long.
    static func quoted(_ key: String) -> String {
        var out = "'"
        for (i, scalar) in key.unicodeScalars.enumerated() {
            if i == 40 { out += "…"; break }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u00" + hex(UInt8(scalar.value))
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }
}
