/// Reads what `tickets export` writes, one top-level object at a time: either a JSON
/// array of objects or ndjson (objects separated by whitespace, usually newlines).
///
/// The input streams from a `ByteSource` through a window of `bufferSize` bytes, and
/// parsed bytes leave the window: memory is the window, the string being decoded and the
/// object being built, whatever the size of the input. Garbage is refused at its first
/// bad byte without reading on, so `import /dev/zero` fails at line 1, column 1.
///
/// Strict RFC 8259 (no trailing commas, NaN, leading zeros, raw control characters,
/// invalid UTF-8 or lone surrogates), each key once per object, and `JSONLimits`.
///
/// Not copyable: it owns its window and its place in the source, and a copy would read
/// on from the same source.
public struct JSONReader: ~Copyable {
    enum Mode { case start, array(first: Bool), lines, finished, failed(JSONReadError) }

    var source: any ByteSource
    let limits: JSONLimits
    var mode = Mode.start

    // The window: buffer[0..<end] holds input bytes `base ..< base + end`, of which
    // [position, end) are not parsed yet. Bytes before `position` are dropped on refill,
    // except those of a token that must be whole (a number, an escape, a UTF-8 sequence).
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var position = 0
    var end = 0
    var base = 0
    var atEndOfInput = false

    // Where `position` is, kept cheaply: in valid JSON a line feed can only be whitespace
    // between tokens, so `skipWhitespace` alone counts lines. Columns are counted only
    // for an error, and for the bytes of the current line that leave the window.
    var line = 1
    /// Input offset of the current line's first byte.
    var lineStart = 0
    /// Unicode scalars of the current line that have left the window (when lineStart < base).
    var droppedColumns = 0

    /// Window index of the last string's opening quote, or -1 once it has left the
    /// window, when `markLocation` keeps where it was: errors about a whole string (too
    /// long, a duplicate key) point at its start, which may be far behind.
    var mark = -1
    var markLocation: (line: Int, column: Int)?

    /// Input offset and line of the current top-level object's '{', and its values so far.
    var documentStart = 0
    var documentLine = 1
    var documentValues = 0
    var inDocument = false
    /// The `id` of the current top-level object once its member was read: an error later
    /// in the object can name the ticket (`import` says "ticket #7").
    public internal(set) var documentID: Int64?

    /// Decoded bytes of a string that has escapes or does not fit in the window.
    var scratch: [UInt8] = []
    /// Whether the last string decoded to ASCII only (for the duplicate-key filter).
    var stringIsASCII = true

    /// - Parameters:
    ///   - source: read on demand, `bufferSize` bytes at most per call.
    ///   - limits: see `JSONLimits` for the defaults.
    ///   - bufferSize: the window in bytes (at least 16). It grows only to hold one
    ///     number literal, so with the default 64 KiB it never does.
    public init(source: some ByteSource, limits: JSONLimits = JSONLimits(), bufferSize: Int = 64 << 10) {
        self.source = source
        self.limits = limits
        capacity = max(bufferSize, 16)
        buffer = .allocate(capacity: capacity)
    }

    /// Input already in memory; the window is no larger than the input.
    public init(bytes: [UInt8], limits: JSONLimits = JSONLimits()) {
        self.init(source: MemorySource(bytes), limits: limits, bufferSize: min(bytes.count, 64 << 10))
    }

    deinit { buffer.deallocate() }

    /// Bytes taken from the source so far.
    public var bytesRead: Int { base + end }

    /// Bytes allocated now for the window and the string being decoded (not counting
    /// the values already built). After a failure it still shows what the failing value
    /// had taken, which tests use to check that a limit stopped it in time.
    public var bufferCapacity: Int { capacity + scratch.capacity }

    /// The next top-level object, or nil at a clean end of input. In ndjson the byte after
    /// the object is read too: it must be whitespace or the end.
    ///
    /// - Throws: `.syntax` at the first byte that is not acceptable, or at the value that
    ///   crossed a limit; `.source` when reading fails. After an error every further call
    ///   throws the same error, so a caller cannot import half a file by mistake.
    public mutating func nextDocumentObject() throws(JSONReadError) -> JSONObject? {
        switch mode {
        case .finished: return nil
        case .failed(let error): throw error
        default: break
        }
        do {
            return try next()
        } catch {
            mode = .failed(error)
            throw error
        }
    }

    private mutating func next() throws(JSONReadError) -> JSONObject? {
        inDocument = false
        if case .start = mode { try readStart() }
        try skipWhitespace()
        if case .array(let first) = mode {
            if !first {
                guard let byte = try peek(), byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") else {
                    throw unexpected(expecting: "',' or ']'")
                }
                if byte == UInt8(ascii: ",") {
                    position += 1
                    try skipWhitespace()
                    if try peek() == UInt8(ascii: "]") { throw fail("trailing comma before ']'", at: position) }
                }
            }
            if try peek() == UInt8(ascii: "]") {
                position += 1
                try skipWhitespace()
                guard try peek() == nil else { throw fail("unexpected data after the top-level array", at: position) }
                mode = .finished
                return nil
            }
            guard try peek() == UInt8(ascii: "{") else { throw unexpected(expecting: "an object in the top-level array") }
            mode = .array(first: false)
            return try document()
        }
        guard let byte = try peek() else { mode = .finished; return nil }
        guard byte == UInt8(ascii: "{") else { throw unexpected(expecting: "'{' (ndjson holds one object per line)") }
        let object = try document()
        // Objects run together on one line are almost surely a broken file, not ndjson:
        // refused before the first of them is handed out.
        if let after = try peek(), !Self.isWhitespace(after) { throw unexpected(expecting: "a newline after the object") }
        return object
    }

    /// Decides between a top-level array and ndjson.
    private mutating func readStart() throws(JSONReadError) {
        if try peek() == 0xEF, try ensure(3), buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
            throw fail("the input starts with a byte order mark; save it as UTF-8 without a BOM", at: position)
        }
        try skipWhitespace()
        switch try peek() {
        case UInt8(ascii: "["): position += 1; mode = .array(first: true)
        case UInt8(ascii: "{"), nil: mode = .lines
        default: throw unexpected(expecting: "'[' or '{' at the start of the input")
        }
    }

    private mutating func document() throws(JSONReadError) -> JSONObject {
        inDocument = true
        documentStart = base + position
        documentLine = line
        documentValues = 0
        documentID = nil
        let object = try parseObject(depth: 1)
        try checkDocumentBytes()
        inDocument = false
        return object
    }
}
