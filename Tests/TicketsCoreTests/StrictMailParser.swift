import Foundation
import Testing

/// An independent reader for the emails we render: Python's `email` package under
/// `policy.strict` (Tests/Support/mail_strict_check.py). Without python3 the tests that
/// need it are skipped (and say so), except under CI=true, where they fail.
enum StrictMailParser {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/mail_strict_check.py").path
    static let python: String? = ["/usr/bin/python3", "/bin/python3", "/usr/local/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// For `.enabled(if:)`: run when python3 is there, and always under CI.
    static var runs: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || python != nil }

    struct Address: Decodable, Equatable {
        let name: String
        let address: String
    }

    struct Header: Decodable {
        let name: String
        let value: String
        let defects: [String]
        let addresses: [Address]?
        let mailboxes: [String]?
        /// Display names decoded by RFC 2047 §6.2 (see the script).
        let rfc2047_names: [String]?
        let datetime: String?
    }

    struct Parsed: Decodable {
        let defects: [String]
        let headers: [Header]
        let multipart: Bool
        let content_type: String
        let charset: String?
        let body: String
        let reencoded_same: Bool
        let crlf_same: Bool
        let differences: [String]

        var names: [String] { headers.map(\.name) }
        func header(_ name: String) -> Header? { headers.first { $0.name.lowercased() == name.lowercased() } }
        func value(_ name: String) -> String? { header(name)?.value }
        var allDefects: [String] { defects + headers.flatMap { h in h.defects.map { "\(h.name): \($0)" } } }
    }

    static func parse(_ bytes: [UInt8]) throws -> Parsed {
        let python = try #require(python, "python3 is not installed; .ci/run installs it (apt-get install python3)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script]
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        signal(SIGPIPE, SIG_IGN)
        try p.run()
        try input.fileHandleForWriting.write(contentsOf: Data(bytes))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "the strict parser failed: \(String(decoding: e, as: UTF8.self))")
        return try JSONDecoder().decode(Parsed.self, from: o)
    }
}
