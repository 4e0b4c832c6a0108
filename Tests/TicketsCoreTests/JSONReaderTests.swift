import Foundation
import Testing
import TicketsCore

/// A named input, so that a failing table row says which document it was.
struct JSONCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    init(_ name: String, _ text: String) { self.name = name; bytes = Array(text.utf8) }
    init(_ name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
    var testDescription: String { name }
}

/// What both parsers can agree on: Foundation drops key order and literal text, so the
/// comparison does too.
indirect enum Plain: Equatable {
    case null, bool(Bool), number(Double), string(String), array([Plain]), object([String: Plain])

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n.double!)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(Plain.init))
        case .object(let o): self = .object(Dictionary(o.members.map { ($0.key, Plain($0.value)) }) { $1 })
        }
    }

    init(foundation any: Any) {
        switch any {
        case is NSNull: self = .null
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(Plain.init(foundation:)))
        case let d as [String: Any]: self = .object(d.mapValues(Plain.init(foundation:)))
        case let n as NSNumber:
            // On Linux a JSON boolean is the NSNumber whose type code is "c".
            self = String(cString: n.objCType) == "c" ? .bool(n.boolValue) : .number(n.doubleValue)
        default: fatalError("unexpected Foundation value \(any)")
        }
    }
}

func readAll(_ bytes: [UInt8]) throws(JSONSyntaxError) -> [JSONObject] {
    var reader = JSONReader(bytes: bytes)
    var objects: [JSONObject] = []
    do {
        while let object = try reader.nextDocumentObject() { objects.append(object) }
    } catch {
        throw syntax(error)
    }
    return objects
}

/// The syntax error inside; an in-memory source cannot fail, so anything else is a bug.
func syntax(_ error: JSONReadError) -> JSONSyntaxError {
    guard case .syntax(let e) = error else {
        Issue.record("unexpected \(error)")
        return JSONSyntaxError(message: "\(error)", line: 0, column: 0)
    }
    return e
}

func readAll(_ text: String) throws(JSONSyntaxError) -> [JSONObject] { try readAll(Array(text.utf8)) }

@Suite struct JSONReaderTests {
    static let validDocuments: [JSONCase] = [
        JSONCase("empty object", "{}"),
        JSONCase("scalars", #"  {"a" : [1, 2.5, -3e-2, 0, -0, 1E+2, 4e0] , "b":{"c":null,"d":true,"e":false}}  "#),
        JSONCase("escapes", #"{"s":"quote \" backslash \\ slash \/ \b\f\n\r\t end"}"#),
        JSONCase("unicode escapes", #"{"u":"\u00e9\u4E2D\ud83d\ude00 \u0000 \u001f \u2028"}"#),
        JSONCase("raw UTF-8", #"{"raw":"café 日本語 🎉 \#u{2028} \#u{10FFFF}","日本":"キー"}"#),
        JSONCase("escaped key", #"{"a\"b":1,"\u00e9":2}"#),
        JSONCase("long strings", #"{"plain":"\#(String(repeating: "abcdefgh", count: 100))","esc":"\#(String(repeating: #"x\n"#, count: 100))"}"#),
        JSONCase("nesting", #"{"deep":[[[[[[[[[[{"x":[],"y":{}}]]]]]]]]]]}"#),
        JSONCase("numbers", #"{"n":[9223372036854775807,-9223372036854775808,1.5e300,-2.25E-5,0.1,123456789]}"#),
        JSONCase("whitespace everywhere", "\t{\r\n\"a\"\t:\n[ 1 ,\r2 ]\n}\n\n"),
        JSONCase("array of objects", #"[{"a":1},{"b":[true,null]}, {} ]"#),
        JSONCase("ticket", #"[{"id":42,"subject":"Printer \"jams\"","status":"open","service":null,"cc":["a@b.c"],"rating":{"stars":5,"review":"ok","rated_at":"2026-11-22T01:38:38Z"},"messages":[{"id":1,"body":"line 1\nline 2\n","internal":false,"attachments":[]}]}]"#),
    ]

    @Test(arguments: JSONReaderTests.validDocuments)
    func validDocumentMatchesFoundation(_ document: JSONCase) throws {
        let foundation = Plain(foundation: try JSONSerialization.jsonObject(with: Data(document.bytes)))
        let objects = try readAll(document.bytes)
        let isArray = document.bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "[")
        let ours = isArray ? Plain.array(objects.map { Plain(.object($0)) }) : Plain(.object(try #require(objects.first)))
        #expect(isArray || objects.count == 1)
        #expect(ours == foundation)
    }

    static let invalidDocuments: [JSONCase] = [
        JSONCase("trailing comma in object", #"{"a":1,}"#),
        JSONCase("trailing comma in array", #"{"a":[1,]}"#),
        JSONCase("trailing comma at top level", #"[{"a":1},]"#),
        JSONCase("leading zero", #"{"a":01}"#),
        JSONCase("fraction without digits", #"{"a":1.}"#),
        JSONCase("fraction without integer", #"{"a":.5}"#),
        JSONCase("NaN", #"{"a":NaN}"#),
        JSONCase("Infinity", #"{"a":Infinity}"#),
        JSONCase("-Infinity", #"{"a":-Infinity}"#),
        JSONCase("plus sign", #"{"a":+1}"#),
        JSONCase("empty exponent", #"{"a":1e}"#),
        JSONCase("bare minus", #"{"a":-}"#),
        JSONCase("raw tab in string", "{\"a\":\"x\ty\"}"),
        JSONCase("raw newline in string", "{\"a\":\"x\ny\"}"),
        JSONCase("raw NUL in string", bytes: Array(#"{"a":""#.utf8) + [0] + Array(#""}"#.utf8)),
        JSONCase("lone high surrogate", #"{"a":"\ud800"}"#),
        JSONCase("lone low surrogate", #"{"a":"\udc00"}"#),
        JSONCase("high surrogate then non-surrogate", #"{"a":"\ud800\u0041"}"#),
        JSONCase("invalid escape", #"{"a":"\x"}"#),
        JSONCase("short \\u escape", #"{"a":"\u12"}"#),
        JSONCase("non-hex \\u escape", #"{"a":"\u12G4"}"#),
        JSONCase("invalid UTF-8 C3 28", bytes: Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)),
        JSONCase("overlong C0 AF", bytes: Array(#"{"a":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)),
        JSONCase("overlong E0 80 AF", bytes: Array(#"{"a":""#.utf8) + [0xE0, 0x80, 0xAF] + Array(#""}"#.utf8)),
        JSONCase("encoded surrogate ED A0 80", bytes: Array(#"{"a":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)),
        JSONCase("beyond U+10FFFF", bytes: Array(#"{"a":""#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""}"#.utf8)),
        JSONCase("lone continuation byte", bytes: Array(#"{"a":""#.utf8) + [0x80] + Array(#""}"#.utf8)),
        JSONCase("truncated sequence", bytes: Array(#"{"a":""#.utf8) + [0xE2, 0x82]),
        JSONCase("invalid UTF-8 in key", bytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]),
        JSONCase("non-ASCII outside strings", bytes: Array("{\"a\":1}\n".utf8) + [0xC3, 0xA9]),
        JSONCase("depth 10,000 of [", String(repeating: "[", count: 10_000)),
        JSONCase("depth 10,000 inside an object", #"{"a":"# + String(repeating: "[", count: 10_000)),
        JSONCase("depth 65", String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)),
        JSONCase("truncated after colon", #"{"a":"#),
        JSONCase("truncated string", #"{"a":"abc"#),
        JSONCase("truncated array", #"{"a":[1,2"#),
        JSONCase("unclosed top-level array", #"[{"a":1}"#),
        JSONCase("lone brace", "{"),
        JSONCase("lone bracket", "["),
        JSONCase("bad literal", #"{"a":tru}"#),
        JSONCase("missing colon", #"{"a" 1}"#),
        JSONCase("unquoted key", "{a:1}"),
        JSONCase("single quotes", "{'a':1}"),
        JSONCase("number at top level of array", "[1]"),
        JSONCase("non-object after an object", #"[{"a":1},2]"#),
        JSONCase("nested array at top level", "[[]]"),
        JSONCase("top-level scalar", "1"),
        JSONCase("top-level string", #""x""#),
        JSONCase("byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)),
        JSONCase("garbage after array", #"[{"a":1}] x"#),
        JSONCase("two arrays", "[] []"),
        JSONCase("ndjson then array", "{\"a\":1}\n["),
        JSONCase("objects run together", #"{"a":1}{"b":2}"#),
        JSONCase("ndjson scalar line", "{\"a\":1}\n2\n"),
        JSONCase("duplicate key", #"{"k":1,"k":2}"#),
        JSONCase("duplicate key deeper", #"{"k":1,"other":[{"k":"a","k":"b"}]}"#),
        JSONCase("duplicate key, canonically equivalent", #"{"\u00e9":1,"e\u0301":2}"#),
        JSONCase("duplicate key, KELVIN SIGN after 'K'", #"{"a":1,"K":1,"b":2,"\u212a":2}"#),
        JSONCase("duplicate key, 'K' after KELVIN SIGN", "{\"a\":1,\"\u{212A}\":1,\"b\":2,\"K\":2}"),
        JSONCase("duplicate key, same length and last byte", #"{"ab":1,"xb":2,"ab":3}"#),
    ]

    @Test(arguments: JSONReaderTests.invalidDocuments)
    func invalidDocumentThrows(_ document: JSONCase) {
        var reader = JSONReader(bytes: document.bytes)
        var first: JSONReadError?
        do {
            while try reader.nextDocumentObject() != nil {}
        } catch {
            first = error
        }
        guard let first else {
            Issue.record("no error for \(document.name)")
            return
        }
        let e = syntax(first)
        #expect(e.message.hasSuffix(" at line \(e.line), column \(e.column)"))
        // A failed reader stays failed: the same error again, never a partial import.
        #expect(throws: first) { _ = try reader.nextDocumentObject() }
    }

    @Test func specificErrorMessages() throws {
        func message(_ text: String) -> String {
            do { _ = try readAll(text); return "no error" } catch { return error.message }
        }
        #expect(message("[\n  {\"a\": 1},\n  {\"b\": 2} x\n]") == "expected ',' or ']', found 'x' at line 3, column 12")
        #expect(message(#"{"é": 1,}"#) == "trailing comma before '}' at line 1, column 9")
        #expect(message(#"{"a":01}"#).hasPrefix("leading zeros are not allowed"))
        #expect(message(#"{"a":"\ud800"}"#).hasPrefix("lone UTF-16 surrogate"))
        #expect(message(#"{"a":NaN}"#).hasPrefix("NaN and Infinity are not JSON numbers"))
        #expect(message("\u{FEFF}{}").hasPrefix("the input starts with a byte order mark"))
        #expect(message(String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65))
            .hasPrefix("nesting deeper than 64 levels"))
        #expect(message(#"{"a":"\#u{07}"}"#) == "unescaped control character U+0007 in string at line 1, column 7")
        let error = #expect(throws: JSONSyntaxError.self) { try readAll([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]) }
        #expect(error?.message == "invalid UTF-8 (encoded UTF-16 surrogate) at line 1, column 7")
        #expect(error?.line == 1 && error?.column == 7)
        #expect(message(#"{"status":"bogus","status":"closed"}"#) == "duplicate key 'status' in one object at line 1, column 19")
        #expect(message("{\"m\":[\n {\"id\":1,\r\n  \"id\":2}]}") == "duplicate key 'id' in one object at line 3, column 3")
        #expect(error?.exceededLimit == nil)
    }

    /// The import checks each object as it comes: a broken line must fail as syntax
    /// before its first object is handed out and judged as a ticket.
    @Test func objectsRunTogetherFailBeforeTheFirstIsReturned() {
        var reader = JSONReader(bytes: Array(#"{"id": 1}{"id": 2}"#.utf8))
        #expect(throws: JSONReadError.syntax(JSONSyntaxError(
            message: "expected a newline after the object, found '{' at line 1, column 10", line: 1, column: 10))) {
            _ = try reader.nextDocumentObject()
        }
    }

    @Test func depthLimitIsSixtyFourLevels() throws {
        let deepest = String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)
        #expect(try readAll(deepest).count == 1)
        // A top-level array does not count as a level: the same object parses in both forms.
        #expect(try readAll("[" + deepest + "]").count == 1)
    }

    @Test(arguments: ["", "  \n\r\n\t", "[]", " [ \n ] \n"])
    func emptyInputsYieldNothing(_ text: String) throws {
        var reader = JSONReader(bytes: Array(text.utf8))
        #expect(try reader.nextDocumentObject() == nil)
        #expect(try reader.nextDocumentObject() == nil)
    }

    @Test func ndjsonWithBlankLinesAndCRLF() throws {
        let objects = try readAll("\r\n{\"id\":1}\r\n\r\n  \n{\"id\":2,\"s\":\"a\\r\\nb\"}\r\n\n")
        #expect(objects.count == 2)
        #expect(objects.map { $0["id"]?.int64Value } == [1, 2])
        #expect(objects[1]["s"]?.stringValue == "a\r\nb")
    }

    @Test func unicodeRoundTrips() throws {
        let expected = "\u{2028}x\u{2029}🎉👩‍👩‍👧 é"
        let objects = try readAll(#"{"raw":"\#(expected)","esc":"\u2028x\u2029\ud83c\udf89\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67 \u00e9"}"#)
        #expect(objects[0]["raw"]?.stringValue == expected)
        #expect(objects[0]["esc"]?.stringValue == expected)
        #expect(Array(objects[0]["raw"]!.stringValue!.utf8) == Array(expected.utf8))
    }

    @Test func numbersKeepTheirLiteralAndConvertExactly() throws {
        let o = try readAll(#"{"a":-0,"b":1e3,"c":9223372036854775807,"d":9223372036854775808,"e":-9223372036854775808,"f":-9223372036854775809,"g":2.0,"h":1e400,"i":0}"#)[0]
        func number(_ key: String) -> JSONNumber? { if case .number(let n) = o[key] { return n } else { return nil } }
        #expect(number("a")?.literal == "-0")
        #expect(number("a")?.int64 == 0)
        #expect(number("a")?.double?.sign == .minus)
        #expect(number("b")?.int64 == nil)
        #expect(number("b")?.double == 1000)
        #expect(number("c")?.int64 == Int64.max)
        #expect(number("d")?.int64 == nil)
        #expect(number("d")?.literal == "9223372036854775808")
        #expect(number("e")?.int64 == Int64.min)
        #expect(number("f")?.int64 == nil)
        #expect(number("g")?.int64 == nil)
        #expect(number("h")?.double == nil)
        #expect(o["i"]?.int64Value == 0)
        #expect(JSONNumber(-42).literal == "-42")
    }

    @Test func objectsKeepOrder() throws {
        let o = try readAll(#"{"z":1,"a":{"k":"first","j":"second"},"m":[true,null],"k":false}"#)[0]
        #expect(o.keys == ["z", "a", "m", "k"])
        #expect(o["a"]?.objectValue?.keys == ["k", "j"])
        #expect(o["a"]?.objectValue?["j"]?.stringValue == "second")
        #expect(o["m"]?.arrayValue == [.bool(true), .null])
        #expect(o["m"]?.arrayValue?[1].isNull == true)
        #expect(o["k"]?.boolValue == false)
        #expect(o["missing"] == nil)
        #expect(o["z"]?.stringValue == nil)
        let literal: JSONObject = ["z": .number(JSONNumber(1)), "a": .null]
        #expect(literal.keys == ["z", "a"])
        // Only an object built by hand can repeat a key; lookup then finds the last.
        let repeated = JSONObject([(key: "k", value: .null), (key: "k", value: .bool(true))])
        #expect(repeated["k"] == .bool(true))
    }

    @Test func parsesManyTicketLikeObjects() throws {
        var ndjson = ""
        for i in 1...20_000 {
            let messages = (1...3).map { m in
                #"{"id":\#(i * 3 + m),"author":{"name":"Agent \#(m)","email":"a\#(m)@example.com"},"role":"agent","internal":\#(m == 2),"body":"Hello #\#(i)\n\nLine \"\#(m)\" café 🎉","created_at":"2026-11-22T01:38:38Z","attachments":[]}"#
            }
            ndjson += #"{"id":\#(i),"subject":"Ticket \#(i) \u00e9","status":"open","priority":"medium","service":null,"#
                + #""cc":["x@example.com"],"rating":null,"messages":[\#(messages.joined(separator: ","))]}"# + "\n"
        }
        var reader = JSONReader(bytes: Array(ndjson.utf8))
        var count = 0, messageCount = 0, idSum: Int64 = 0
        while let ticket = try reader.nextDocumentObject() {
            count += 1
            idSum += ticket["id"]?.int64Value ?? 0
            let messages = ticket["messages"]?.arrayValue ?? []
            messageCount += messages.count
            if count == 12_345 {
                #expect(ticket["subject"]?.stringValue == "Ticket 12345 é")
                #expect(ticket["rating"]?.isNull == true)
                #expect(messages[1].objectValue?["body"]?.stringValue == "Hello #12345\n\nLine \"2\" café 🎉")
                #expect(messages[1].objectValue?["internal"]?.boolValue == true)
                #expect(messages[2].objectValue?["author"]?.objectValue?["email"]?.stringValue == "a3@example.com")
            }
        }
        #expect(count == 20_000)
        #expect(messageCount == 60_000)
        #expect(idSum == 20_000 * 20_001 / 2)
    }
}
