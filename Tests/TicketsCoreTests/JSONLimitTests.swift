import Testing
import TicketsCore

/// A limit set low, an input just within it and one just past it; `at` marks the byte
/// the error must point at in `over` (for all but document bytes, see below).
struct LimitCase: Sendable, CustomTestStringConvertible {
    let kind: JSONLimits.Kind
    let value: Int
    let within: String
    let over: String
    let at: String
    let message: String
    var testDescription: String { "\(kind) \(over)" }

    var limits: JSONLimits {
        var l = JSONLimits()
        switch kind {
        case .stringBytes: l.maxStringBytes = value
        case .numberLength: l.maxNumberLength = value
        case .containerCount: l.maxContainerCount = value
        case .documentValues: l.maxDocumentValues = value
        case .documentBytes: l.maxDocumentBytes = value
        case .depth: l.maxDepth = value
        }
        return l
    }
}

@Suite(.hangGuard) struct JSONLimitTests {
    static let cases: [LimitCase] = [
        LimitCase(kind: .stringBytes, value: 10, within: #"{"s":"0123456789"}"#, over: #"{"s":"0123456789A"}"#,
                  at: #"{"s":"#, message: "a string longer than 10 bytes"),
        LimitCase(kind: .stringBytes, value: 10, within: #"{"s":"ééééé"}"#, over: #"{"s":"ééééé!"}"#,
                  at: #"{"s":"#, message: "a string longer than 10 bytes"),
        LimitCase(kind: .stringBytes, value: 10, within: #"{"s":"\n\n\n\n\n\n\n\n\u00e9"}"#, over: #"{"s":"\n\n\n\n\n\n\n\n\n\u00e9"}"#,
                  at: #"{"s":"#, message: "a string longer than 10 bytes"),
        LimitCase(kind: .stringBytes, value: 10, within: #"{"0123456789":1}"#, over: "{\"x\":1,\n \"01234567890\":1}",
                  at: "{\"x\":1,\n ", message: "a string longer than 10 bytes"),
        LimitCase(kind: .numberLength, value: 5, within: #"{"n":[-1234,12345,1.5e1]}"#, over: #"{"n":[1,1.5e10]}"#,
                  at: #"{"n":[1,"#, message: "a number longer than 5 characters"),
        LimitCase(kind: .numberLength, value: 5, within: #"{"n":12345}"#, over: #"{"n":-12345}"#,
                  at: #"{"n":"#, message: "a number longer than 5 characters"),
        LimitCase(kind: .containerCount, value: 3, within: #"{"a":[1,2,3],"b":{"x":1,"y":2,"z":3}}"#, over: #"{"a":[1,2,3,4]}"#,
                  at: #"{"a":[1,2,3,"#, message: "more than 3 elements in one array"),
        LimitCase(kind: .containerCount, value: 3, within: #"{"a":1,"b":2,"c":3}"#, over: #"{"a":1,"b":2,"c":3,"d":4}"#,
                  at: #"{"a":1,"b":2,"c":3,"#, message: "more than 3 members in one object"),
        LimitCase(kind: .documentValues, value: 5, within: "{\"a\":[1,2],\"b\":{\"c\":1}}\n{\"a\":[1,2],\"b\":{\"c\":1}}",
                  over: #"{"a":[1,2],"b":{"c":1,"d":2}}"#, at: #"{"a":[1,2],"b":{"c":1,"d":"#,
                  message: "more than 5 values in one top-level object"),
        LimitCase(kind: .depth, value: 3, within: #"{"a":{"b":[1,2]},"c":[[3]]}"#, over: #"{"a":{"b":[1,[]]}}"#,
                  at: #"{"a":{"b":[1,"#, message: "nesting deeper than 3 levels"),
        LimitCase(kind: .documentBytes, value: 40, within: "{\"a\":\"01234567890123456789012345678901\"}\n{\"b\":1}",
                  over: "{\"b\":1}\n{\"a\":\"012345678901234567890123456789012\"}", at: "{\"b\":1}\n",
                  message: "a top-level object (from line 2) longer than 40 bytes"),
    ]

    @Test(arguments: JSONLimitTests.cases)
    func limitIsEnforcedWhateverTheChunking(_ c: LimitCase) throws {
        var limits = c.limits
        limits.howToRaise[c.kind] = "raise it"
        for chunking in Chunking.all {
            let within = parse(Array(c.within.utf8), chunking, limits: limits)
            #expect(within.error == nil, "\(chunking.testDescription)")
            #expect(within.objects == (try readAll(c.within)))
            let over = parse(Array(c.over.utf8), chunking, limits: limits)
            guard case .syntax(let error)? = over.error else {
                Issue.record("\(chunking.testDescription): \(String(describing: over.error))")
                continue
            }
            #expect(error.exceededLimit == c.kind)
            #expect(error.message.hasPrefix(c.message + " (raise it) at line "), "\(error)")
            if c.kind == .documentBytes {
                // Noticed as the window refills or at the object's end: at most a window late.
                let (line, column) = location(of: c.at.utf8.count + c.value, in: Array(c.over.utf8))
                #expect(error.line > line || (error.line == line && error.column >= column))
            } else {
                let (line, column) = location(of: c.at.utf8.count, in: Array(c.over.utf8))
                #expect(error.line == line && error.column == column, "\(chunking.testDescription): \(error)")
            }
        }
        // Without a setting to name, the message has no hint.
        let plain = parse(Array(c.over.utf8), Chunking(read: .max, window: 65_536), limits: c.limits)
        guard case .syntax(let error)? = plain.error else { Issue.record("no error"); return }
        #expect(error.message.hasPrefix(c.message + " at line "))
    }

    @Test func defaults() {
        let l = JSONLimits()
        #expect(l.maxStringBytes == 16 << 20)
        #expect(l.maxNumberLength == 1_000)
        #expect(l.maxContainerCount == 1_000_000)
        #expect(l.maxDocumentValues == 4_000_000)
        #expect(l.maxDocumentBytes == 1 << 30)
        #expect(l.maxDepth == 64)
        #expect(l.howToRaise.isEmpty)
    }

    @Test func aNumberOfAThousandCharactersIsTheLongest() throws {
        let within = #"{"n":"# + String(repeating: "1", count: 1_000) + "}"
        guard case .number(let n)? = try readAll(within)[0]["n"] else { Issue.record("not a number"); return }
        #expect(n.literal == String(repeating: "1", count: 1_000))
        // The digits go on forever: refused after the limit, not at the end.
        let source = GeneratedSource(prefix: Array(#"{"n":"#.utf8), fill: .byte(UInt8(ascii: "7")), chunk: 7)
        var reader = JSONReader(source: source, bufferSize: 16)
        let error = #expect(throws: JSONReadError.self) { _ = try reader.nextDocumentObject() }
        #expect(error == .syntax(JSONSyntaxError(message: "a number longer than 1000 characters at line 1, column 6",
                                                 line: 1, column: 6, exceededLimit: .numberLength)))
        #expect(source.counter.bytes < 1_100)
        #expect(reader.bufferCapacity <= 2_048)
    }

    @Test func aTenMegabyteStringWithinTheLimitParses() throws {
        let size = 10_000_000
        let source = GeneratedSource(prefix: Array(#"{"a":1,"body":""#.utf8), fill: .byte(UInt8(ascii: "x")), fillCount: size,
                                     suffix: Array(#"","z":"\u00e9"}"#.utf8), chunk: 65_536)
        var reader = JSONReader(source: source)
        let object = try #require(try reader.nextDocumentObject())
        let body = try #require(object["body"]?.stringValue)
        #expect(body.utf8.count == size)
        #expect(body.utf8.allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(object["z"]?.stringValue == "é")
        #expect(try reader.nextDocumentObject() == nil)
        // The 10 MB scratch is let go once the string is built.
        #expect(reader.bufferCapacity <= 65_536 + 1 << 20)
    }

    /// 12,000,000 is no power of two, so a scratch that grew by plain doubling (to 16 MiB)
    /// would show in its capacity.
    @Test(arguments: [16 << 20, 12_000_000])
    func aHundredMegabyteStringStopsAtTheLimit(limit: Int) throws {
        let window = 65_536
        var limits = JSONLimits()
        limits.maxStringBytes = limit
        limits.howToRaise[.stringBytes] = "raise attachment_max_size in the config"
        let source = GeneratedSource(prefix: Array("{\"id\":1,\n \"body\":\"".utf8), fill: .byte(UInt8(ascii: "x")),
                                     fillCount: 100_000_000, suffix: Array(#""}"#.utf8), chunk: window)
        var reader = JSONReader(source: source, limits: limits, bufferSize: window)
        #expect(throws: JSONReadError.syntax(JSONSyntaxError(
            message: "a string longer than \(limit == 16 << 20 ? "16 MiB" : "12000000 bytes") (raise attachment_max_size in the config) at line 2, column 9",
            line: 2, column: 9, exceededLimit: .stringBytes))) {
            _ = try reader.nextDocumentObject()
        }
        #expect(source.counter.bytes <= limit + window + 32, "read \(source.counter.bytes) bytes")
        // The window and the scratch, which never grew past the limit (a page of malloc slack).
        #expect(reader.bufferCapacity <= limit + window + 4_096, "holds \(reader.bufferCapacity) bytes")
        #expect(reader.bufferCapacity >= limit - window)
    }

    /// Keys are checked against a scan below 32 members and a hash set above: a duplicate
    /// on either side of the switch is caught.
    @Test(arguments: [(0, 1), (0, 30), (0, 31), (0, 32), (5, 33), (31, 32), (32, 33), (17, 1_999), (1_998, 1_999)])
    func duplicateKeysInBigObjects(first: Int, second: Int) throws {
        var keys = (0..<2_000).map { "key\($0)" }
        keys[second] = keys[first]
        let members = keys.enumerated().map { #""\#($1)":\#($0)"# }
        let text = "{" + members.joined(separator: ",") + "}"
        let error = try #require(throws: JSONSyntaxError.self) { try readAll(text) }
        let offset = ("{" + members[..<second].joined(separator: ",") + ",").utf8.count
        #expect(error.message == "duplicate key '\(keys[first])' in one object at line 1, column \(offset + 1)")
    }

    /// A hostile object with 50,000 keys: linear, a third of a second in a debug build,
    /// where a scan of all keys for each key (1.25e9 comparisons) takes a minute.
    @Test func aBigObjectWithoutDuplicatesParsesInLinearTime() throws {
        let text = Array(("{" + (0..<50_000).map { #""key\#($0)":\#($0)"# }.joined(separator: ",") + "}").utf8)
        var object = JSONObject()
        let elapsed = try ContinuousClock().measure { object = try readAll(text)[0] }
        #expect(object.count == 50_000)
        #expect(object["key12345"]?.int64Value == 12_345)
        #expect(elapsed < .seconds(10))
    }

    @Test func aLongDuplicateKeyIsShownCut() throws {
        let key = String(repeating: "k", count: 100_000)
        let text = "{\"\(key)\":1,\r\n\"a\":2,\"\(key)\":3}"
        for chunking in Chunking.all {
            let result = parse(Array(text.utf8), chunking)
            #expect(result.error == .syntax(JSONSyntaxError(
                message: "duplicate key '\(String(repeating: "k", count: 40))…' in one object at line 2, column 7", line: 2, column: 7)),
                "\(chunking.testDescription)")
        }
        #expect(throws: JSONSyntaxError.self) { try readAll(#"{"\u0007":1,"\u0007":2}"#) }
        do { _ = try readAll(#"{"\u0007":1,"\u0007":2}"#) } catch {
            #expect(error.message == #"duplicate key '\u0007' in one object at line 1, column 13"#)
        }
    }
}
