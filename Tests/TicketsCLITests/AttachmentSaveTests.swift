import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `show ID --save-attachments DIR`: names from the database are hostile, the folder may
/// hold traps, and bytes are checked before they are written.
@Suite struct AttachmentSaveTests {
    /// A ticket with a CJK-named screenshot and a log on the first message and a file on a reply.
    func ticketWithFiles(_ h: Harness) throws -> [String: [UInt8]] {
        let files: [String: [UInt8]] = [
            "截图.png": onePixelPNG,
            "app.log": Array("line 1\nline 2\n".utf8),
            "report.pdf": Array("%PDF-1.7\n%âãÏÓ\n1 0 obj\n".utf8),
        ]
        let r = h.run(["open", "-s", "Crash", "-m", "See attached.", "-a", h.file("截图.png", files["截图.png"]!),
                       "-a", h.file("app.log", files["app.log"]!)])
        try #require(r.code == 0, "\(r.stderr)")
        try #require(h.agent(["reply", "1", "-m", "Report.", "-a", h.file("report.pdf", files["report.pdf"]!)]).code == 0)
        return files
    }

    @Test func savesEveryAttachmentByteForByteIntoANewPrivateFolder() throws {
        let h = Harness()
        let files = try ticketWithFiles(h)
        let out = h.dir + "/out/nested"
        let r = h.run(["show", "1", "--save-attachments", out])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("#1 Crash"))
        for (name, bytes) in files {
            #expect(contents(out + "/" + name) == bytes, "\(name)")
            #expect(try mode(out + "/" + name) == 0o600)
            #expect(r.stderr.contains("tickets: saved \(name) as \(out)/\(name)\n"))
        }
        #expect(try mode(out) == 0o700)
        #expect(try mode(h.dir + "/out") == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 3)
    }

    @Test func neverOverwritesAFileOrWritesThroughAPlantedSymlink() throws {
        let h = Harness()
        let files = try ticketWithFiles(h)
        let out = h.dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let victim = h.file("victim.txt", Array("precious\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: out + "/截图.png", withDestinationPath: victim)
        FileManager.default.createFile(atPath: out + "/app.log", contents: Data("mine\n".utf8))
        FileManager.default.createFile(atPath: out + "/app (1).log", contents: Data("mine too\n".utf8))
        let r = h.run(["show", "1", "--save-attachments", out])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(contents(victim) == Array("precious\n".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/截图.png") == victim)
        #expect(contents(out + "/截图 (1).png") == files["截图.png"])
        #expect(contents(out + "/app.log") == Array("mine\n".utf8))
        #expect(contents(out + "/app (1).log") == Array("mine too\n".utf8))
        #expect(contents(out + "/app (2).log") == files["app.log"])
        #expect(r.stderr.contains("saved app.log as \(out)/app (2).log"))
        // Saving again only adds numbered copies.
        #expect(h.run(["show", "1", "--save-attachments", out]).code == 0)
        #expect(contents(out + "/report (1).pdf") == files["report.pdf"])
    }

    @Test(.enabled(if: TestStore.isSQLite, "SQLite-only: names written behind the store's back with sqlite3"), arguments: [
        ("../../escaped.txt", "_.._escaped.txt"),
        ("/etc/cron.d/evil.txt", "_etc_cron.d_evil.txt"),
        ("..", "attachment-1"),
        (".bashrc", "bashrc"),
        ("bell\u{7}\nnew.txt", "bell__new.txt"),
    ])
    func hostileNamesInTheDatabaseStayInsideTheFolder(stored: String, saved: String) throws {
        let h = Harness()
        #expect(h.run(["open", "-s", "s", "-m", "m", "-a", h.file("note.txt", Array("hello\n".utf8))]).code == 0)
        let hex = Array(stored.utf8).map { String(format: "%02X", $0) }.joined()
        try h.sqlite("UPDATE attachments SET name = CAST(X'\(hex)' AS TEXT)")
        try #require(try h.attachmentsJSON(1).first?["name"] as? String == stored)
        let out = h.dir + "/a/b/out"
        let r = h.run(["show", "1", "--save-attachments", out])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [saved])
        #expect(contents(out + "/" + saved) == Array("hello\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.dir + "/a/b") == ["out"])
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/a/escaped.txt"))
        #expect(!r.stderr.contains("\u{7}"))
    }

    @Test func bytesThatNoLongerMatchTheirHashAreNotWritten() throws {
        let h = Harness()
        let files = try ticketWithFiles(h)
        try h.sqlite("UPDATE attachments SET data = \(h.blobZero) WHERE name = 'app.log'")
        let out = h.dir + "/out"
        let r = h.run(["show", "1", "--save-attachments", out])
        #expect(r.code == 65)
        #expect(r.stderr.contains("tickets: error: attachment 2 (app.log) does not match its SHA-256, so it was not saved"))
        #expect(!FileManager.default.fileExists(atPath: out + "/app.log"))
        // The sound ones are still saved.
        #expect(contents(out + "/截图.png") == files["截图.png"])
        #expect(contents(out + "/report.pdf") == files["report.pdf"])
    }

    @Test func severalDamagedAttachmentsAreEachReported() throws {
        let h = Harness()
        let files = try ticketWithFiles(h)
        try h.sqlite("UPDATE attachments SET data = \(h.blobZero) WHERE name <> 'app.log'")
        let out = h.dir + "/out"
        let r = h.run(["show", "1", "--save-attachments", out])
        #expect(r.code == 65)
        #expect(r.stderr.contains("tickets: warning: attachment 1 (截图.png) does not match its SHA-256"))
        #expect(r.stderr.contains("tickets: warning: attachment 3 (report.pdf) does not match its SHA-256"))
        #expect(r.stderr.contains("tickets: error: 2 of 3 attachments were not saved (see above); the others are in \(out)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["app.log"])
        #expect(contents(out + "/app.log") == files["app.log"])
    }

    @Test func aFolderThatCannotBeCreatedExits73() throws {
        let h = Harness()
        _ = try ticketWithFiles(h)
        let blocker = h.write("blocker", "a file, not a folder\n")
        let r = h.run(["show", "1", "--save-attachments", blocker + "/out"])
        #expect(r.code == 73)
        #expect(r.stderr.contains("cannot create the folder \(blocker)/out"))
        let onFile = h.run(["show", "1", "--save-attachments", blocker])
        #expect(onFile.code == 73)
        #expect(onFile.stderr.contains("it exists and is not a folder"))
    }

    @Test func aRequesterSavesOnlyWhatTheyMaySee() throws {
        let h = Harness()
        _ = try ticketWithFiles(h)
        #expect(h.agent(["reply", "1", "--internal", "-m", "n", "-a", h.file("secret.txt", Array("x\n".utf8))]).code == 0)
        let out = h.dir + "/mine"
        #expect(h.run(["show", "1", "--save-attachments", out]).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["app.log", "report.pdf", "截图.png"])
        #expect(h.carol(["show", "1", "--save-attachments", h.dir + "/carol"]).code == 77)
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/carol"))
    }
}
