/// A parsed JSON value, as `JSONReader` produces it for `tickets import`.
///
/// The model is lossless on purpose: objects keep their key order and numbers keep
/// their literal text, so a value read from an export says exactly what the file said.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as an exact `Int64`; nil for non-numbers, fractions, exponents and
    /// integers out of range, so an id can never be silently rounded.
    public var int64Value: Int64? {
        if case .number(let n) = self { return n.int64 }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let n) = self { return n.double }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

/// A JSON number kept as its literal text (already checked against the RFC 8259
/// grammar by the reader), converted only when asked.
///
/// Equality compares the text: `1.0` and `1` are different literals. That keeps the
/// model lossless; callers that want numeric equality compare `int64` or `double`.
public struct JSONNumber: Equatable, Sendable, CustomStringConvertible {
    public let literal: String

    /// The reader has already validated the grammar, so nothing is checked here.
    init(validatedLiteral: String) {
        literal = validatedLiteral
    }

    public init(_ value: Int64) {
        literal = String(value)
    }

    public var description: String { literal }

    /// Exact integers only: nil for a fraction or exponent (even `1e3` or `2.0`) and for
    /// anything outside `Int64`, because import must not guess at ids and sizes.
    public var int64: Int64? {
        var utf8 = literal.utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty else { return nil }
        // Accumulate on the negative side so that Int64.min still fits.
        var value: Int64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// The nearest `Double`; nil when the literal is beyond the finite range (`1e400`).
    public var double: Double? {
        guard let d = Double(literal), d.isFinite else { return nil }
        return d
    }
}

/// A JSON object with its members in document order.
///
/// `JSONReader` refuses an object that gives a key twice, so a parsed object has each
/// key once; one built by hand may repeat a key, and lookup then returns the last.
public struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// Linear search from the end: ticket objects have a dozen or so keys, where a scan
    /// beats building a hash table for every object read.
    public subscript(key: String) -> JSONValue? {
        var i = members.endIndex
        while i > members.startIndex {
            i -= 1
            if members[i].key == key { return members[i].value }
        }
        return nil
    }

    /// Order-sensitive, like the document: `{"a":1,"b":2}` differs from `{"b":2,"a":1}`.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (l, r) in zip(lhs.members, rhs.members) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }
}

/// A strict RFC 8259 error, located by line and 1-based column (in Unicode scalars),
/// so that a user can open a million-line export at the right place. Lines end at a
/// line feed (so CRLF is one break); a lone CR is not a line break, as in `wc -l`.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The full text, location included: "expected ',' or ']' at line 3, column 17".
    public let message: String
    public let line: Int
    public let column: Int
    /// Set when the input was refused for crossing one of `JSONLimits`, not for its syntax.
    public let exceededLimit: JSONLimits.Kind?

    public init(message: String, line: Int, column: Int, exceededLimit: JSONLimits.Kind? = nil) {
        self.message = message
        self.line = line
        self.column = column
        self.exceededLimit = exceededLimit
    }

    public var description: String { message }
}

/// Why `JSONReader` could not read the next object: the input itself (exit 65 at the
/// CLI), or the source it is read from (a read(2) error, exit 74).
public enum JSONReadError: Error, Equatable, Sendable {
    case syntax(JSONSyntaxError)
    /// What the `ByteSource` threw, unchanged: it already names the input.
    case source(TicketsError)
}
