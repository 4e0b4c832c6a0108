import Foundation
import Testing
@testable import TicketsCore


private func randomBytes(_ count: Int, using rng: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

private func decode(_ text: String) -> [UInt8]? {
    Base64.decode(Array(text.utf8))
}

@Suite struct Base64Tests {
    /// RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encodeString(Array(plain.utf8)) == encoded)
        #expect(Base64.encode(Array(plain.utf8)) == Array(encoded.utf8))
        #expect(decode(encoded) == Array(plain.utf8))
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        let encoded = Base64.encode(bytes)
        #expect(encoded.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\n") })
        #expect(Base64.decode(encoded) == bytes)
    }

    @Test func randomRoundTripMatchesFoundation() {
        var rng = SplitMix64(state: 2024)
        for length in Array(0...70) + [255, 256, 257, 1000, 65_537] {
            let bytes = randomBytes(length, using: &rng)
            let ours = Base64.encodeString(bytes)
            #expect(ours == Data(bytes).base64EncodedString(), "length \(length)")
            #expect(decode(ours) == bytes, "length \(length)")
            #expect(Data(base64Encoded: ours).map { [UInt8]($0) } == bytes)
        }
    }

    @Test func acceptsAnyUInt8Collection() {
        let slice = Array("xxZm9vxx".utf8)[2..<6]
        #expect(Base64.decode(slice) == Array("foo".utf8))
        #expect(Base64.decode("Zm9v".utf8) == Array("foo".utf8))
    }

    @Test(arguments: [
        "Zg",        // padding missing
        "Zg=",       // length not a multiple of 4
        "Zm9v\n",    // line break
        "Zm 9v",     // space
        "Zm9v====",  // padding-only quantum
        "Z===",      // three pad characters
        "Zg=a",      // data after padding
        "Zg==Zm9v",  // padding in the middle
        "=Zm9",      // padding first
        "Zm-_",      // URL-safe alphabet
        "Zm9*",      // not in any alphabet
        "Zh==",      // non-zero bits under the padding
        "Zm9=",      // non-zero bits under the padding
        "Zmé",       // non-ASCII (four UTF-8 bytes)
    ])
    func rejectsInvalid(text: String) {
        #expect(decode(text) == nil)
    }
}
