import Foundation
import Testing

/// Every command pays the start-up of what it links: Foundation (and the ICU data it
/// brings) costs milliseconds per call (bench/RESULTS.md), so no file under Sources/
/// imports it, in any spelling (`@_exported import`, `import struct Foundation.Date`,
/// FoundationEssentials).
struct NoFoundationTests {
    @Test func noSourceFileImportsFoundation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 20, "found the sources under \(root.path)")
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard let i = words.firstIndex(of: "import"), words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                let module = words[(i + 1)...].last { !$0.isEmpty } ?? ""
                #expect(!module.hasPrefix("Foundation"), "\(file): \(line)")
            }
        }
    }
}
