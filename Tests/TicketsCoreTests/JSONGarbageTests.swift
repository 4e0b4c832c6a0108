import Glibc
import Testing
import TicketsCore

/// One kind of bad input inside an object: `bad` starts with the byte the error must
/// point at, and the document is `{` + a padding member + before + bad + after.
struct BadByte: Sendable, CustomTestStringConvertible {
    let name: String
    let before: [UInt8]
    let bad: [UInt8]
    let after: [UInt8]
    let message: String
    init(_ name: String, _ before: String, _ bad: [UInt8], _ after: String, _ message: String) {
        self.name = name
        self.before = Array(before.utf8)
        self.bad = bad
        self.after = Array(after.utf8)
        self.message = message
    }
    init(_ name: String, _ before: String, _ bad: String, _ after: String, _ message: String) {
        self.init(name, before, Array(bad.utf8), after, message)
    }
    var testDescription: String { name }

    /// Lines before the object, the padding member of `pad` bytes (two-byte 'é's, so
    /// columns and bytes differ), then the case. Returns the document and the bad offset.
    func document(lines: String, pad: Int) -> (bytes: [UInt8], offset: Int) {
        let padding = String(repeating: "é", count: pad / 2) + String(repeating: "a", count: pad % 2)
        let head = Array(lines.utf8) + Array(#"{"pad":"\#(padding)","#.utf8) + before
        return (head + bad + after, head.count)
    }
}

@Suite(.hangGuard) struct JSONGarbageTests {
    static let cases: [BadByte] = [
        BadByte("NUL between tokens", #""a":"#, [0], "1}", "expected a value, found byte 0x00"),
        BadByte("NUL in a string", #""a":"x"#, [0], #""}"#, "unescaped control character U+0000 in string"),
        BadByte("control character in a string", #""a":"x"#, [0x1F], #""}"#, "unescaped control character U+001F"),
        // Inside long plain runs, where strings are scanned eight bytes at a time.
        BadByte("NUL inside a long run", #""a":"0123456789abcdef"#, [0], #"0123456789abcdef"}"#, "unescaped control character U+0000"),
        BadByte("0x01 inside a long run", #""a":"0123456789abcdefg"#, [0x01], #"0123456789abcdef"}"#, "unescaped control character U+0001"),
        BadByte("0x1F inside a long run", #""a":"0123456789abcdefgh"#, [0x1F], #"0123456789abcdef"}"#, "unescaped control character U+001F"),
        BadByte("0xFF inside a long run", #""a":"0123456789abcdefghi"#, [0xFF], #"0123456789abcdef"}"#, "invalid UTF-8 (unexpected byte 0xFF)"),
        BadByte("0x80 inside a long run", #""a":"0123456789abcde"#, [0x80], #"0123456789abcdef"}"#, "invalid UTF-8 (unexpected byte 0x80)"),
        BadByte("raw line feed in a string", #""a":"x"#, [0x0A], #""}"#, "unescaped control character U+000A"),
        BadByte("DEL outside strings", #""a":1"#, [0x7F], "}", "expected ',' or '}', found byte 0x7F"),
        BadByte("overlong C0 AF", #""a":"é"#, [0xC0, 0xAF], #""}"#, "invalid UTF-8 (overlong encoding, byte 0xC0)"),
        BadByte("overlong C1 BF", #""a":""#, [0xC1, 0xBF], #""}"#, "invalid UTF-8 (overlong encoding, byte 0xC1)"),
        BadByte("overlong E0 80 AF", #""a":"日"#, [0xE0, 0x80, 0xAF], #""}"#, "invalid UTF-8 (overlong or out-of-range encoding)"),
        BadByte("overlong F0 8F BF BF", #""a":""#, [0xF0, 0x8F, 0xBF, 0xBF], #""}"#, "invalid UTF-8 (overlong or out-of-range encoding)"),
        BadByte("encoded surrogate ED A0 80", #""a":""#, [0xED, 0xA0, 0x80], #""}"#, "invalid UTF-8 (encoded UTF-16 surrogate)"),
        BadByte("beyond U+10FFFF", #""a":""#, [0xF4, 0x90, 0x80, 0x80], #""}"#, "invalid UTF-8 (overlong or out-of-range encoding)"),
        BadByte("byte F5", #""a":""#, [0xF5, 0x80, 0x80, 0x80], #""}"#, "invalid UTF-8 (unexpected byte 0xF5)"),
        BadByte("byte FF", #""a":"🎉"#, [0xFF], #""}"#, "invalid UTF-8 (unexpected byte 0xFF)"),
        BadByte("lone continuation byte", #""a":"x"#, [0x80], #""}"#, "invalid UTF-8 (unexpected byte 0x80)"),
        BadByte("sequence cut by a quote", #""a":""#, [0xE2, 0x82, 0x22], "}", "invalid UTF-8 (missing continuation byte)"),
        BadByte("sequence cut by ASCII", #""a":""#, [0xC3, 0x28], #""}"#, "invalid UTF-8 (missing continuation byte)"),
        BadByte("invalid UTF-8 in a key", #"""#, [0xFF], #"":1}"#, "invalid UTF-8 (unexpected byte 0xFF)"),
        BadByte("lone high surrogate", #""a":"x"#, #"\ud800"#, #""}"#, "lone UTF-16 surrogate in \\u escape"),
        BadByte("high surrogate, then not a low one", #""a":""#, #"\uD800\u0041"#, #""}"#, "lone UTF-16 surrogate"),
        BadByte("lone low surrogate", #""a":""#, #"\udc00"#, #""}"#, "lone UTF-16 surrogate"),
        BadByte("invalid escape", #""a":"x"#, #"\x"#, #""}"#, "invalid escape sequence in string"),
        BadByte("non-hex \\u escape", #""a":""#, #"\u12G4"#, #""}"#, "invalid \\u escape, expected 4 hex digits"),
        BadByte("control byte in \\u escape", #""a":""#, Array(#"\u00"#.utf8) + [0x10, 0x31], #""}"#, "invalid \\u escape"),
        BadByte("duplicate key", #""a":1,"#, #""a""#, ":2}", "duplicate key 'a' in one object"),
        BadByte("duplicate key, escaped", #""status":"bogus","#, #""st\u0061tus""#, #":"closed"}"#, "duplicate key 'status' in one object"),
        BadByte("duplicate key deeper", #""m":[{"id":1,"b":{"x":[],"#, #""x""#, ":{}}}]}", "duplicate key 'x' in one object"),
        BadByte("leading zero", #""a":"#, "0", "1}", "leading zeros are not allowed in numbers"),
        BadByte("digit missing after '-'", #""a":-"#, "x", "}", "expected a digit after '-'"),
        BadByte("digit missing after '.'", #""a":1."#, "e", "5}", "expected a digit after '.'"),
        BadByte("empty exponent", #""a":1e"#, "}", "", "expected a digit in the exponent"),
        BadByte("NaN", #""a":"#, "NaN", "}", "NaN and Infinity are not JSON numbers"),
        BadByte("plus sign", #""a":"#, "+1", "}", "expected a value, found '+'"),
        BadByte("bad literal", #""a":"#, "tru", "}", "invalid literal, expected 'true'"),
        BadByte("trailing comma", #""a":1,"#, "}", "", "trailing comma before '}'"),
        BadByte("trailing comma in an array", #""a":[1,"#, "]", "}", "trailing comma before ']'"),
        BadByte("missing colon", #""a" "#, "1", "}", "expected ':', found '1'"),
        BadByte("unquoted key", "", "k", ":1}", "expected a string key, found 'k'"),
        BadByte("non-ASCII outside strings", #""a":1"#, [0xC3, 0xA9], "}", "expected ',' or '}', found byte 0xC3"),
        BadByte("object run into the next", #""a":1}"#, "{", "}", "expected a newline after the object, found '{'"),
    ]

    /// Paddings that put the bad byte at every offset of small windows and reads, and
    /// (with `big`) on both sides of a 4096-byte read and a 64 KiB window.
    static func pads(base: Int, for chunking: Chunking) -> [Int] {
        var pads = Array(0..<24)
        let edge = chunking.read == 4096 ? 4096 : chunking.window == 65_536 && chunking.read == .max ? 65_536 : nil
        if let edge { pads += (-3...3).map { edge + $0 - base } }
        return pads
    }

    @Test(arguments: JSONGarbageTests.cases)
    func refusedAtTheBadByteWhateverTheChunking(_ bad: BadByte) {
        for lines in ["", "{\"p\":1}\r\n{\"q\":\"é\"}\n\n"] {
            for chunking in Chunking.all {
                for pad in Self.pads(base: bad.document(lines: lines, pad: 0).offset, for: chunking) {
                    let (bytes, offset) = bad.document(lines: lines, pad: pad)
                    let (line, column) = location(of: offset, in: bytes)
                    let result = parse(bytes, chunking)
                    let expected = "\(bad.message)"
                    guard case .syntax(let error)? = result.error else {
                        Issue.record("\(chunking.testDescription), pad \(pad): \(String(describing: result.error))")
                        continue
                    }
                    #expect(error.message.hasPrefix(expected), "\(chunking.testDescription), pad \(pad)")
                    #expect(error.message.hasSuffix(" at line \(line), column \(column)"), "\(chunking.testDescription), pad \(pad)")
                    #expect(error.line == line && error.column == column, "\(chunking.testDescription), pad \(pad)")
                    #expect(error.exceededLimit == nil)
                }
            }
        }
    }

    /// After the bad byte the input goes on forever: the reader must stop at it, having
    /// read at most the longest token it must see whole (a surrogate pair, 12 bytes).
    @Test(arguments: JSONGarbageTests.cases)
    func refusedWithoutReadingOn(_ bad: BadByte) throws {
        let (bytes, offset) = bad.document(lines: "{}\n", pad: 5)
        let finite = try #require(parse(bytes, Chunking(read: .max, window: 65_536)).error)
        for fill in [UInt8(0), UInt8(ascii: " "), UInt8(ascii: "1")] {
            let source = GeneratedSource(prefix: bytes, fill: .byte(fill), chunk: 1)
            var reader = JSONReader(source: source, bufferSize: 16)
            #expect(throws: finite) { while try reader.nextDocumentObject() != nil {} }
            #expect(source.counter.bytes <= offset + 13, "read \(source.counter.bytes) bytes, the bad one is byte \(offset)")
            #expect(reader.bytesRead == source.counter.bytes)
        }
    }

    @Test func endlessZerosFailAtTheFirstByte() throws {
        for chunk in [1, 65_536] {
            let source = GeneratedSource(fill: .byte(0), chunk: chunk)
            var reader = JSONReader(source: source)
            #expect(throws: JSONReadError.syntax(JSONSyntaxError(
                message: "expected '[' or '{' at the start of the input, found byte 0x00 at line 1, column 1", line: 1, column: 1))) {
                _ = try reader.nextDocumentObject()
            }
            #expect(source.counter.bytes == min(chunk, 65_536))
        }
        // Zeros right after a valid start fail at the first zero too, wherever it is.
        for start in ["[", "[{", "{\"a\"", "{\"a\":", "{\"a\":\"", "{\"a\":1", "{\"a\":[1,", "{\"a\":1}\n"] {
            let source = GeneratedSource(prefix: Array(start.utf8), fill: .byte(0), chunk: 1)
            var reader = JSONReader(source: source)
            let error = #expect(throws: JSONReadError.self) { while try reader.nextDocumentObject() != nil {} }
            guard case .syntax(let e)? = error else { Issue.record("\(start): \(String(describing: error))"); continue }
            #expect(e.line == (start.hasSuffix("\n") ? 2 : 1) && e.column == (start.hasSuffix("\n") ? 1 : start.count + 1), "\(start): \(e)")
            #expect(source.counter.bytes == start.utf8.count + 1, "\(start)")
        }
    }

    @Test(arguments: 0..<300)
    func endlessRandomBytesFailWithinAFewBytes(seed: Int) throws {
        let source = GeneratedSource(fill: .random(SplitMix64(state: UInt64(seed))), chunk: 1)
        var reader = JSONReader(source: source)
        let error = #expect(throws: JSONReadError.self) { while try reader.nextDocumentObject() != nil {} }
        guard case .syntax(let e)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(e.line < 10)
        #expect(source.counter.bytes < 1_000)
    }

    @Test(arguments: ["/dev/zero", "/dev/urandom"])
    func devicesFailAtOnce(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var reader = JSONReader(source: FileDescriptorSource(fd: fd, name: path))
        let error = #expect(throws: JSONReadError.self) { while try reader.nextDocumentObject() != nil {} }
        guard case .syntax(let e)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(e.line < 10)
        #expect(reader.bytesRead <= 65_536)
    }

    @Test func fileDescriptorSourceReadsFilesAndPipes() throws {
        let text = JSONChunkingTests.tickets(20).joined(separator: "\n")
        let expected = try readAll(text)
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        // 20 tickets fit in the pipe's buffer, so one thread can write all, then read.
        let written = Array(text.utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        #expect(written == text.utf8.count)
        close(fds[1])
        defer { close(fds[0]) }
        var reader = JSONReader(source: FileDescriptorSource(fd: fds[0], name: "standard input"))
        var objects: [JSONObject] = []
        while let object = try reader.nextDocumentObject() { objects.append(object) }
        #expect(objects == expected)

        var template = Array("/tmp/jsonstream-test-XXXXXX".utf8CString)
        let out = mkstemp(&template)
        try #require(out >= 0)
        let path = String(cString: template)
        defer { unlink(path) }
        try FileSystem.writeAll(fd: out, Array(text.utf8), name: path)
        close(out)
        let fd = try FileSystem.openForReading(rawPath: Array(path.utf8))
        defer { close(fd) }
        var fileReader = JSONReader(source: FileDescriptorSource(fd: fd, name: path), bufferSize: 4096)
        objects = []
        while let object = try fileReader.nextDocumentObject() { objects.append(object) }
        #expect(objects == expected)
        #expect(throws: TicketsError.notFound("\(path).missing: no such file")) {
            _ = try FileSystem.openForReading(rawPath: Array("\(path).missing".utf8))
        }
        #expect(throws: TicketsError.invalid("/tmp is a directory, not a file")) {
            _ = try FileSystem.openForReading(rawPath: Array("/tmp".utf8))
        }
    }

    @Test func readErrorsComeFromTheSource() throws {
        let fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var reader = JSONReader(source: FileDescriptorSource(fd: fd, name: "export.json"))
        let expected = JSONReadError.source(.io("export.json: Is a directory"))
        #expect(throws: expected) { _ = try reader.nextDocumentObject() }
        #expect(throws: expected) { _ = try reader.nextDocumentObject() }
    }
}
