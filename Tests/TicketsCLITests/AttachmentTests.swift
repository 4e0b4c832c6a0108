import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// A real 1x1 PNG, so that the sniffer sees what a screenshot tool writes.
let onePixelPNG = [UInt8](Data(base64Encoded:
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!)

extension Harness {
    /// Writes `bytes` to `name` in the test folder and returns the path.
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Runs the store's own shell on the test database, `sqlite3` (or `psql` with the
    /// tickets schema first on the search path): an independent reader and writer, for
    /// names and bytes that the command layer would never store. Output as both print
    /// it unaligned: columns joined by `|`, a row a line.
    @discardableResult
    func sqlite(_ sql: String) throws -> String {
        let p = Process()
        if DatabaseLocation.isServer(dbPath) {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            p.arguments = [dbPath, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", "SET search_path = tickets; " + sql]
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = [dbPath, sql]
        }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "sqlite3 failed: \(sql)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One zero byte as a blob literal of the store's SQL.
    var blobZero: String { DatabaseLocation.isServer(dbPath) ? "'\\x00'::bytea" : "X'00'" }

    func attachmentsJSON(_ id: Int) throws -> [[String: Any]] {
        let messages = try #require(try agent(["show", "\(id)", "--json"]).jsonObject()["messages"] as? [[String: Any]])
        return messages.flatMap { ($0["attachments"] as? [[String: Any]]) ?? [] }
    }
}

func sha256sum(_ path: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
}

func contents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

func mode(_ path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
}

/// One way an attachment must be refused: how to make the files, the exit code and a
/// fragment of the one-line error.
struct Refusal: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let code: Int32
    let says: String
    let make: @Sendable (Harness) throws -> [String]

    static let all: [Refusal] = [
        Refusal(testDescription: "1 byte over 8 MiB", code: 65, says: "big.log: it is larger than 8 MiB") { h in
            [h.file("big.log", [UInt8](repeating: 0x61, count: 8 << 20 + 1))]
        },
        Refusal(testDescription: "0-byte .png", code: 65, says: "empty.png: file is empty") { h in
            [h.file("empty.png", [])]
        },
        Refusal(testDescription: "FIFO", code: 65, says: "pipe.log: it is a named pipe (FIFO), not a regular file") { h in
            let path = h.dir + "/pipe.log"
            try #require(mkfifo(path, 0o600) == 0)
            return [path]
        },
        Refusal(testDescription: "folder", code: 65, says: "it is a folder, not a regular file") { h in
            try FileManager.default.createDirectory(atPath: h.dir + "/shots.png", withIntermediateDirectories: false)
            return [h.dir + "/shots.png"]
        },
        Refusal(testDescription: "device behind a symlink", code: 65, says: "null.txt: it is a character device") { h in
            try FileManager.default.createSymbolicLink(atPath: h.dir + "/null.txt", withDestinationPath: "/dev/null")
            return [h.dir + "/null.txt"]
        },
        Refusal(testDescription: "ELF named .png", code: 65, says: "fake.png: content is not a PNG image") { h in
            [h.file("fake.png", try #require(contents("/bin/true")))]
        },
        Refusal(testDescription: "ELF named .log", code: 65, says: "tool.log: content is an ELF executable") { h in
            [h.file("tool.log", try #require(contents("/bin/true")))]
        },
        Refusal(testDescription: ".exe", code: 65, says: "setup.exe: it has the extension .exe, which is not allowed") { h in
            [h.file("setup.exe", Array("MZ\u{90}\0".utf8))]
        },
        Refusal(testDescription: "six files", code: 65, says: "6 files given with -a; at most 5") { h in
            (1...6).map { h.file("\($0).txt", Array("log \($0)\n".utf8)) }
        },
        Refusal(testDescription: "control character in the name", code: 65, says: "control character U+001B") { h in
            [h.file("red\u{1B}[31m.txt", Array("hi\n".utf8))]
        },
        Refusal(testDescription: "missing file", code: 66, says: "nowhere.txt: no such file") { h in
            [h.dir + "/nowhere.txt"]
        },
        Refusal(testDescription: "dangling symlink", code: 66, says: "no such file") { h in
            try FileManager.default.createSymbolicLink(atPath: h.dir + "/gone.txt", withDestinationPath: h.dir + "/never")
            return [h.dir + "/gone.txt"]
        },
        // /proc files claim a size of 0 and then yield bytes: exactly what a file that
        // grows while it is read looks like, without racing a writer in a test.
        Refusal(testDescription: "changed while read", code: 65, says: "status.txt: it changed while it was being read") { h in
            try FileManager.default.createSymbolicLink(atPath: h.dir + "/status.txt", withDestinationPath: "/proc/self/status")
            return [h.dir + "/status.txt"]
        },
        Refusal(testDescription: "a good file then a bad one", code: 65, says: "fake.jpg: content is not a JPEG image") { h in
            [h.file("shot.png", onePixelPNG), h.file("fake.jpg", onePixelPNG)]
        },
    ]
}

@Suite struct AttachmentTests {
    @Test(arguments: Refusal.all, ["open", "reply"])
    func refusedAttachmentStoresNothing(refusal: Refusal, command: String) throws {
        let h = Harness()
        let id = command == "reply" ? h.open() : 0
        let before = command == "reply" ? try h.agent(["show", "\(id)", "--json"]).jsonObject() : [:]
        let files = try refusal.make(h)
        let args = command == "open" ? ["open", "-s", "Screenshot", "-m", "See attached."] : ["reply", "\(id)", "-m", "More."]
        let r = h.run(args + files.flatMap { ["-a", $0] })
        #expect(r.code == refusal.code)
        #expect(r.stderr.hasPrefix("tickets: error: "))
        #expect(r.stderr.contains(refusal.says), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        if command == "open" {
            #expect(h.agent(["list", "--status", "all", "--count"]).stdout == "0\n")
        } else {
            let after = try h.agent(["show", "\(id)", "--json"]).jsonObject()
            #expect((after["messages"] as? [Any])?.count == 1)
            #expect(after["updated_at"] as? String == before["updated_at"] as? String)
            #expect(try h.sqlite("SELECT count(*) FROM attachments") == "0")
        }
    }

    @Test func screenshotAndLogAreStoredWithSizeHashAndType() throws {
        let h = Harness()
        let png = h.file("截图 2026-11-22.png", onePixelPNG)
        let log = h.file("build.log", Array("step 1 ok\nstep 2 failed\n".utf8))
        let r = h.run(["open", "-s", "Build broke", "-m", "See attached.", "-a", png, "--attach", log, "-q"])
        try #require(r.code == 0, "\(r.stderr)")
        let attachments = try h.attachmentsJSON(1)
        try #require(attachments.count == 2)
        #expect(attachments[0]["name"] as? String == "截图 2026-11-22.png")
        #expect(attachments[0]["size"] as? Int == onePixelPNG.count)
        #expect(attachments[0]["content_type"] as? String == "image/png")
        #expect(attachments[0]["sha256"] as? String == (try sha256sum(png)))
        #expect(attachments[1]["name"] as? String == "build.log")
        #expect(attachments[1]["content_type"] as? String == "text/plain; charset=utf-8")
        #expect(attachments[1]["sha256"] as? String == (try sha256sum(log)))
        let table = h.run(["show", "1"]).stdout
        #expect(table.contains("[attachment] 截图 2026-11-22.png (\(onePixelPNG.count) B, image/png)"))
        #expect(table.contains("[attachment] build.log (24 B, text/plain; charset=utf-8)"))
    }

    @Test func limitsComeFromTheConfigAndTheLimitItselfIsAllowed() throws {
        let h = Harness()
        let config = h.write("config", "attachment_max_size = 1K\nattachment_max_count = 1\nattachment_extensions = txt, csv\n")
        let env = ["TICKETS_CONFIG": config]
        let exact = h.file("exact.txt", [UInt8](repeating: 0x61, count: 1024))
        #expect(h.run(["open", "-s", "s", "-m", "m", "-a", exact], env: env).code == 0)
        let over = h.file("over.txt", [UInt8](repeating: 0x61, count: 1025))
        let r = h.run(["reply", "1", "-m", "m", "-a", over], env: env)
        #expect(r.code == 65)
        #expect(r.stderr.contains("over.txt: it is larger than 1 KiB, the limit for one attachment (attachment_max_size)"))
        #expect(h.run(["reply", "1", "-m", "m", "-a", exact, "-a", exact], env: env).stderr.contains("at most 1 may be attached"))
        #expect(h.run(["reply", "1", "-m", "m", "-a", h.file("a.csv", Array("x,y\n".utf8))], env: env).code == 0)
        #expect(h.run(["reply", "1", "-m", "m", "-a", h.file("a.log", Array("x\n".utf8))], env: env)
            .stderr.contains("allowed: txt csv"))
    }

    @Test func emptyTextFileIsAccepted() throws {
        let h = Harness()
        #expect(h.run(["open", "-s", "s", "-m", "m", "-a", h.file("empty.log", [])]).code == 0)
        let a = try h.attachmentsJSON(1)
        #expect(a.first?["size"] as? Int == 0)
        #expect(a.first?["sha256"] as? String == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// Like `cat`, a symlink named on the command line is followed; the name kept is the one typed.
    @Test func symlinkOnTheCommandLineIsFollowed() throws {
        let h = Harness()
        let target = h.file("real-name.png", onePixelPNG)
        try FileManager.default.createSymbolicLink(atPath: h.dir + "/link.png", withDestinationPath: target)
        #expect(h.run(["open", "-s", "s", "-m", "m", "-a", h.dir + "/link.png"]).code == 0)
        #expect(try h.attachmentsJSON(1).first?["name"] as? String == "link.png")
    }

    /// Paths come from the raw argv bytes: a file whose name is not UTF-8 can be attached;
    /// its stored name carries U+FFFD and a warning says so.
    @Test func aNonUTF8FileNameIsReadAndItsNameRepaired() throws {
        let h = Harness()
        let raw = Array((h.dir + "/caf").utf8) + [0xE9] + Array(".txt".utf8)
        let fd = (raw.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600) }
        try #require(fd >= 0)
        _ = write(fd, "menu\n", 5)
        close(fd)
        let io = TerminalIO.test()
        let args = ["open", "-s", "s", "-m", "m", "-a"].map(Argument.init) + [Argument(raw: raw)]
        let code = TicketsCLI.run(args, environment: h.env, io: io, server: TestStore.serverOpener)
        io.stderr.flush()
        #expect(code == 0, "\(io.stderr.text)")
        #expect(io.stderr.text.contains("is not valid UTF-8; it is stored with U+FFFD"))
        let a = try #require(try h.attachmentsJSON(1).first)
        #expect(a["name"] as? String == "caf\u{FFFD}.txt")
        #expect(a["size"] as? Int == 5)
    }

    @Test func replyAttachmentsBelongToTheReply() throws {
        let h = Harness()
        let id = h.open()
        let r = h.agent(["reply", "\(id)", "-m", "Try this driver.", "-a", h.file("driver.zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0])])
        try #require(r.code == 0, "\(r.stderr)")
        let messages = try #require(try h.agent(["show", "\(id)", "--json"]).jsonObject()["messages"] as? [[String: Any]])
        #expect((messages[0]["attachments"] as? [Any])?.isEmpty == true)
        #expect(((messages[1]["attachments"] as? [[String: Any]])?.first?["content_type"] as? String) == "application/zip")
    }

    @Test func exportWithAttachmentsEmbedsTheExactBytes() throws {
        let h = Harness()
        #expect(h.run(["open", "-s", "s", "-m", "m", "-a", h.file("shot.png", onePixelPNG)]).code == 0)
        let exported = try h.agent(["export", "--with-attachments"]).jsonArray()
        let messages = try #require(exported.first?["messages"] as? [[String: Any]])
        let a = try #require((messages.first?["attachments"] as? [[String: Any]])?.first)
        let data = try #require(a["data"] as? String)
        #expect(Data(base64Encoded: data).map { [UInt8]($0) } == onePixelPNG)
        let plain = try h.agent(["export"]).jsonArray()
        let plainMessages = try #require(plain.first?["messages"] as? [[String: Any]])
        #expect((plainMessages.first?["attachments"] as? [[String: Any]])?.first?["data"] == nil)
    }

    /// export --with-attachments, import into an empty database, export again: the same
    /// bytes, and the restored attachments save back to the originals.
    @Test func exportImportRoundTripKeepsEveryByte() throws {
        let h = Harness()
        let binary = try #require(contents("/bin/true"))
        let files: [String: [UInt8]] = [
            "截图.png": onePixelPNG, "empty.log": [], "tools.zip": [0x50, 0x4B, 0x03, 0x04] + binary,
        ]
        #expect(h.run(["open", "-s", "s", "-m", "m", "-a", h.file("截图.png", files["截图.png"]!),
                       "-a", h.file("empty.log", [])]).code == 0)
        #expect(h.agent(["reply", "1", "-m", "r", "-a", h.file("tools.zip", files["tools.zip"]!)]).code == 0)
        let first = h.agent(["export", "--with-attachments"])
        try #require(first.code == 0)
        let restored = Harness()
        let imported = restored.agent(["import", "-"], stdin: first.stdoutBytes)
        try #require(imported.code == 0, "\(imported.stderr)")
        #expect(restored.agent(["export", "--with-attachments"]).stdoutBytes == first.stdoutBytes)
        let out = restored.dir + "/out"
        #expect(restored.run(["show", "1", "--save-attachments", out]).code == 0)
        for (name, bytes) in files { #expect(contents(out + "/" + name) == bytes, "\(name)") }
    }
}
