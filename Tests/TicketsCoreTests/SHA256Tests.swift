import Foundation
import Testing
@testable import TicketsCore


private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(state: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// The system's sha256sum as an independent reference.
private func systemSHA256(_ bytes: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    signal(SIGPIPE, SIG_IGN) // a child that exits early must not kill the test run
    try? input.fileHandleForWriting.write(contentsOf: Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    return String(text.prefix(64))
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hex(Array(message.utf8)) == expected)
    }

    @Test func oneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == expected)

        // The same message fed in uneven pieces through the incremental API.
        var hasher = SHA256Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var fed = 0
        while fed < 1_000_000 {
            let n = min(chunk.count, 1_000_000 - fed)
            hasher.update(Array(chunk[0..<n]))
            fed += n
        }
        #expect(SHA256.hexString(hasher.finalize()) == expected)
    }

    @Test func digestIs32Bytes() {
        let digest = SHA256.digest(Array("abc".utf8))
        #expect(digest.count == 32)
        #expect(digest.prefix(4) == [0xba, 0x78, 0x16, 0xbf])
    }

    /// Lengths around the padding boundaries: 55 fits the length in one block, 56..63
    /// spill into a second, 64 is exactly one block.
    @Test(arguments: [1, 54, 55, 56, 57, 62, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000, 4109])
    func matchesSystemSha256sum(length: Int) throws {
        let bytes = randomBytes(length, seed: UInt64(length))
        #expect(SHA256.hex(bytes) == (try systemSHA256(bytes)))
    }

    @Test func incrementalMatchesOneShot() {
        let bytes = randomBytes(5000, seed: 42)
        let expected = SHA256.digest(bytes)
        for split in [1, 3, 63, 64, 65, 128, 1000] {
            var hasher = SHA256Hasher()
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + split, bytes.count)
                bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
                offset = end
            }
            #expect(hasher.finalize() == expected, "split \(split)")
        }
    }

    /// A full-size attachment hashes to what sha256sum says (its speed is bench/'s
    /// business, not a timed unit test's).
    @Test func eightMiBMatchesSha256sum() throws {
        let bytes = randomBytes(8 << 20, seed: 7)
        let path = NSTemporaryDirectory() + "tickets-sha-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let reference = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        p.waitUntilExit()
        #expect(reference.count == 64)
        #expect(SHA256.hex(bytes) == String(reference))
    }
}
