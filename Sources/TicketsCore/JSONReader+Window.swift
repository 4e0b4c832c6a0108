import Glibc

/// The window over the source, and error locations.
extension JSONReader {
    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// The byte at `position`, reading more input if needed; nil at the end of input.
    @inline(__always)
    mutating func peek() throws(JSONReadError) -> UInt8? {
        if position < end { return buffer[position] }
        return try fill(keeping: position) ? buffer[position] : nil
    }

    /// Makes `count` bytes from `position` on available; false if the input ends first.
    mutating func ensure(_ count: Int) throws(JSONReadError) -> Bool {
        while end - position < count {
            guard try fill(keeping: position) else { return false }
        }
        return true
    }

    /// Compact JSON has no whitespace between tokens, so the usual case is decided
    /// inline: the next byte is above ' ' and nothing is skipped.
    @inline(__always)
    mutating func skipWhitespace() throws(JSONReadError) {
        if position < end, buffer[position] > 0x20 { return }
        try skipWhitespaceSlowly()
    }

    private mutating func skipWhitespaceSlowly() throws(JSONReadError) {
        while true {
            while position < end {
                switch buffer[position] {
                case 0x20, 0x09, 0x0D: position += 1
                case 0x0A: position += 1; line += 1; lineStart = base + position
                default: return
                }
            }
            guard try fill(keeping: position) else { return }
        }
    }

    /// Reads more input after `end`, first dropping the window's bytes before `keep`
    /// (which then becomes index 0; `position` and `mark` move with it). Returns false
    /// at the end of input, having read nothing.
    mutating func fill(keeping keep: Int) throws(JSONReadError) -> Bool {
        if atEndOfInput { return false }
        if inDocument { try checkDocumentBytes() }
        if keep > 0 {
            drop(keep)
        } else if end == capacity {
            // One token fills the window: only a long number can (see `init`).
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.initialize(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        let n: Int
        do {
            n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        } catch {
            throw .source(error)
        }
        precondition(n >= 0 && n <= capacity - end, "a ByteSource returned \(n) bytes for room for \(capacity - end)")
        guard n > 0 else { atEndOfInput = true; return false }
        end += n
        return true
    }

    /// Checked at each refill (once a window) and at the object's end, so memory is
    /// bounded by the limit plus a window, and a small input that fits in one window
    /// meets the same limit.
    func checkDocumentBytes() throws(JSONReadError) {
        if base + position - documentStart > limits.maxDocumentBytes {
            throw limitError(.documentBytes, "a top-level object (from line \(documentLine)) longer than "
                             + AttachmentPolicy.describe(size: limits.maxDocumentBytes), at: location(at: position))
        }
    }

    /// Forgets the window's first `count` bytes, keeping what the location needs.
    private mutating func drop(_ count: Int) {
        if mark >= 0 {
            if mark < count {
                if markLocation == nil { markLocation = location(at: mark) }
                mark = -1
            } else {
                mark -= count
            }
        }
        let lineIndex = lineStart - base
        if lineIndex < count {
            droppedColumns = (lineIndex >= 0 ? 0 : droppedColumns) + scalars(max(lineIndex, 0)..<count)
        }
        memmove(buffer, buffer + count, end - count)
        base += count
        end -= count
        position -= count
    }

    /// Counts the bytes that start a UTF-8 sequence (or are invalid on their own): one
    /// column each, the same count as a scan from the start of the line would give.
    private func scalars(_ range: Range<Int>) -> Int {
        var n = 0
        for i in range where buffer[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Line and 1-based column of the window byte at `index`, which is never before the
    /// current line's start (every line feed up to `position` has been counted).
    func location(at index: Int) -> (line: Int, column: Int) {
        let lineIndex = lineStart - base
        if lineIndex >= 0 { return (line, 1 + scalars(min(lineIndex, index)..<index)) }
        return (line, 1 + droppedColumns + scalars(0..<index))
    }

    func fail(_ reason: String, at index: Int) -> JSONReadError {
        fail(reason, at: location(at: index))
    }

    func fail(_ reason: String, at where: (line: Int, column: Int)) -> JSONReadError {
        .syntax(JSONSyntaxError(message: "\(reason) at line \(`where`.line), column \(`where`.column)",
                                line: `where`.line, column: `where`.column))
    }

    /// `what` names the limit ("nesting deeper than 64 levels"); a setting behind it is
    /// named by `limits.howToRaise`.
    func limitError(_ kind: JSONLimits.Kind, _ what: String, at where: (line: Int, column: Int)) -> JSONReadError {
        let hint = limits.howToRaise[kind].map { " (\($0))" } ?? ""
        return .syntax(JSONSyntaxError(message: "\(what)\(hint) at line \(`where`.line), column \(`where`.column)",
                                       line: `where`.line, column: `where`.column, exceededLimit: kind))
    }

    /// Where the last string began: its opening quote, still in the window or not.
    var markedLocation: (line: Int, column: Int) {
        markLocation ?? location(at: mark)
    }

    /// For a byte the caller has just peeked at: in the window, or the end of input.
    func unexpected(expecting what: String) -> JSONReadError {
        guard position < end else { return fail("unexpected end of input, expected \(what)", at: position) }
        let byte = buffer[position]
        let found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex(byte))"
        return fail("expected \(what), found \(found)", at: position)
    }
}

func hex(_ byte: UInt8) -> String {
    (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
}
