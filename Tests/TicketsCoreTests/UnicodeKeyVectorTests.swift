import Foundation
import Testing
@testable import TicketsCore

/// The Swift key against Python's `unicodedata` (the definition), from fixtures written by
/// `scripts/unicode/generate-tables.py --vectors`.
@Suite struct UnicodeKeyVectorTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func lines(_ name: String) throws -> [Substring] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n")
    }

    static func scalars(_ hex: Substring) -> String {
        var s = String.UnicodeScalarView()
        for word in hex.split(separator: " ") { s.append(Unicode.Scalar(UInt32(word, radix: 16)!)!) }
        return String(s)
    }

    static func hex(_ s: String) -> String {
        s.unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }

    @Test func fixturesAreFromTheTablesUnicodeVersion() throws {
        for name in ["unicode-key-vectors.txt", "unicode-key-scalar-digests.txt"] {
            let header = try #require(try Self.lines(name).first)
            #expect(header.contains("Unicode \(UnicodeData.version)."), "\(name): \(header)")
        }
    }

    /// Random strings, then edge cases that a simpler algorithm would get wrong (U+0345
    /// folded inside D*(c), or the late marks U+FF9E/U+FF9F ignored).
    @Test func stringsMatchPython() throws {
        let lines = try Self.lines("unicode-key-vectors.txt")
        let edges = try #require(lines.firstIndex { $0.hasPrefix("# edge cases") })
        let random = lines[..<edges].filter { !$0.hasPrefix("#") }, edge = lines[(edges + 1)...]
        #expect(random.count == 3000)
        #expect(edge.count == 300)
        var failures = 0
        for line in random + edge {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 2, "\(line)")
            let input = Self.scalars(fields[0]), want = Self.scalars(fields[1])
            let got = EmailIdentity.key(input)
            if got != want {
                failures += 1
                if failures <= 10 { Issue.record("key(\(fields[0])) = \(Self.hex(got)), Python: \(fields[1])") }
            }
            // Idempotent: a key is its own key, so keys can be compared with keys.
            #expect(EmailIdentity.key(want) == want, "\(fields[1])")
        }
        #expect(failures == 0)
    }

    /// Every scalar alone, U+0000...U+10FFFF, against Python's keys: one digest per block
    /// of 4096 scalars, so a failure names the block to look at.
    @Test func everyScalarMatchesPython() throws {
        var expected: [UInt32: String] = [:]
        for line in try Self.lines("unicode-key-scalar-digests.txt") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            expected[UInt32(fields[0], radix: 16)!] = String(fields[1])
        }
        #expect(expected.count == 0x110000 / 4096)
        var mismatched: [String] = []
        for block in stride(from: UInt32(0), to: 0x110000, by: 4096) {
            var hasher = SHA256Hasher()
            for value in block..<block + 4096 {
                guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
                hasher.update(Array(EmailIdentity.key(String(Character(scalar))).utf8) + [0xFF])
            }
            if SHA256.hexString(hasher.finalize()) != expected[block] {
                mismatched.append(String(block, radix: 16, uppercase: true))
            }
        }
        #expect(mismatched.isEmpty, "blocks whose keys differ from Python: \(mismatched)")
    }
}
