import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Hostile attachment names written into the database behind the tool's back (issue #7):
/// `show --save-attachments` writes every attachment, each inside the folder, none over
/// another, whatever the names hold.
@Suite(.enabled(if: TestStore.isSQLite, "SQLite-only: names of bytes no PostgreSQL text can hold, written with sqlite3"))
struct ReliabilityAttachmentNameTests {
    static let names: [[UInt8]] = [
        Array("../../x.txt".utf8), Array("/etc/passwd".utf8), Array("/tmp/../../root/.ssh/authorized_keys".utf8),
        Array("a.txt".utf8) + [0] + Array("/../../evil.txt".utf8),          // NUL inside the name
        Array(repeating: UInt8(ascii: "a"), count: 251) + Array(".txt".utf8), // 255 bytes
        Array(repeating: UInt8(ascii: "b"), count: 252) + Array(".txt".utf8), // 256 bytes
        Array((String(repeating: "中", count: 85) + ".txt").utf8),             // 259 bytes of CJK
        Array("caf\u{E9}.txt".utf8), Array("cafe\u{301}.txt".utf8),         // NFC and NFD twins
        Array("caf\u{E9}.txt".utf8),                                          // an exact duplicate
        Array("..".utf8), Array("".utf8), Array(" .hidden".utf8), Array("\\..\\..\\win.txt".utf8),
    ]

    @Test func everyNameStaysInsideTheFolderAndNoFileIsOverwritten() throws {
        let h = Harness()
        var contentsByID = [Int: [UInt8]]()
        for (i, _) in Self.names.enumerated() {
            let bytes = Array("attachment \(i)\n".utf8)
            let r = h.run(["open", "-s", "s", "-m", "m", "-a", h.file("n\(i).txt", bytes)])
            try #require(r.code == 0, "\(r.stderr)")
            contentsByID[i + 1] = bytes
        }
        for (i, name) in Self.names.enumerated() {
            let hex = name.map { String(format: "%02X", $0) }.joined()
            try h.sqlite("UPDATE attachments SET name = CAST(X'\(hex)' AS TEXT), message_id = 1 WHERE id = \(i + 1)")
        }
        let outside = try FileManager.default.contentsOfDirectory(atPath: h.dir).sorted()
        let out = h.dir + "/save/here"
        let r = h.run(["show", "1", "--save-attachments", out])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.dir).sorted() == (outside + ["save"]).sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.dir + "/save") == ["here"])
        let saved = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(saved.count == Self.names.count, "\(saved)")
        // Every attachment's bytes are in exactly one regular file.
        var found = [[UInt8]]()
        for file in saved {
            let path = out + "/" + file
            #expect(file.utf8.count <= 255 && !file.hasPrefix(".") && !file.contains("/"))
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            #expect(attrs[.type] as? FileAttributeType == .typeRegular)
            found.append(try #require(contents(path)))
        }
        #expect(Set(found) == Set(contentsByID.values))
    }
}
