import Testing
import TicketsCore

/// The reader sees its input through a window refilled by reads of any size: however the
/// input is cut, the objects and errors must be the same as from one piece.
@Suite struct JSONChunkingTests {
    /// Tickets as export writes them, with escapes and multi-byte text in every string.
    static func tickets(_ count: Int) -> [String] {
        (1...count).map { i in
            let messages = (1...3).map { m in
                #"{"id":\#(i * 3 + m),"author":{"name":"Agent \#(m) Åsa","email":"a\#(m)@example.com"},"role":"agent","internal":\#(m == 2),"body":"Hello #\#(i)\r\n\tLine \"\#(m)\" café 🎉 \ud83d\ude00 \u00e9\\","created_at":"2026-11-22T01:38:38Z","attachments":[]}"#
            }
            return #"{"id":\#(i),"subject":"Ticket \#(i) \u00e9 日本","status":"open","priority":"medium","service":null,"size":-12.5e-3,"#
                + #""cc":["x@example.com"],"rating":null,"messages":[\#(messages.joined(separator: ","))]}"#
        }
    }

    static let corpus: [JSONCase] = JSONReaderTests.validDocuments + [
        JSONCase("tickets as ndjson", tickets(40).joined(separator: "\n") + "\n"),
        JSONCase("tickets as an array", "[\n" + tickets(40).joined(separator: ",\r\n") + "\r\n]\n"),
        JSONCase("dense escapes", "{\"e\":\"" + String(repeating: #"\ud83d\ude00\n\u00e9\\\"\/é日🎉"#, count: 50) + "\"}"),
        JSONCase("long plain string", #"{"s":"\#(String(repeating: "0123456789abcdé", count: 9_000))"}"#),
        JSONCase("long number", #"{"n":[-\#(String(repeating: "9", count: 600)).\#(String(repeating: "1", count: 300))e-12,1]}"#),
        JSONCase("long key", #"{"\#(String(repeating: "k", count: 70_000))":true,"k":false}"#),
        JSONCase("keys past the scan limit", "{" + (0..<100).map { #""key\#($0)":\#($0)"# }.joined(separator: ",") + "}"),
    ]

    @Test(arguments: JSONChunkingTests.corpus)
    func validInputParsesTheSameWhateverTheChunking(_ document: JSONCase) throws {
        let whole = try readAll(document.bytes)
        #expect(!whole.isEmpty)
        for chunking in Chunking.all {
            let result = parse(document.bytes, chunking)
            #expect(result.error == nil, "\(chunking.testDescription)")
            #expect(result.objects == whole, "\(chunking.testDescription)")
            #expect(result.bytesRead == document.bytes.count)
        }
    }

    @Test(arguments: JSONReaderTests.invalidDocuments)
    func invalidInputFailsTheSameWhateverTheChunking(_ document: JSONCase) throws {
        let whole = parse(document.bytes, Chunking(read: .max, window: 1 << 20))
        let error = try #require(whole.error)
        for chunking in Chunking.all {
            let result = parse(document.bytes, chunking)
            #expect(result.error == error, "\(chunking.testDescription)")
            #expect(result.objects == whole.objects, "\(chunking.testDescription)")
        }
    }

    @Test func ndjsonAndArrayGiveTheSameObjects() throws {
        let tickets = Self.tickets(300)
        let inputs = [
            tickets.joined(separator: "\n"),
            tickets.joined(separator: "\r\n") + "\r\n",
            "\n\n" + tickets.joined(separator: "\n \n\t") + "\n\n",
            "[" + tickets.joined(separator: ",") + "]",
            "[\n  " + tickets.joined(separator: ",\n  ") + "\n]\n",
            " [ " + tickets.joined(separator: " , ") + " ] ",
        ]
        let expected = try readAll(inputs[0])
        #expect(expected.count == 300)
        #expect(expected[41]["messages"]?.arrayValue?[1].objectValue?["body"]?.stringValue
            == "Hello #42\r\n\tLine \"2\" café 🎉 😀 é\\")
        for input in inputs {
            for chunking in [Chunking(read: 7, window: 16), Chunking(read: 4096, window: 65_536), Chunking(read: .max, window: 65_536)] {
                let result = parse(Array(input.utf8), chunking)
                #expect(result.error == nil)
                #expect(result.objects == expected, "\(chunking.testDescription)")
            }
        }
    }
}
