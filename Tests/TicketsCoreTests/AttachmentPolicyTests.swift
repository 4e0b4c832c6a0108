import Testing
@testable import TicketsCore

private let policy = AttachmentPolicy(Configuration())
private let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

@Suite struct AttachmentPolicyTests {
    @Test(arguments: [
        ("shot.png", "shot.png"),
        ("/tmp/logs/build.log", "build.log"),
        ("logs/截图 2026-11-22.png", "截图 2026-11-22.png"),
        ("dir/notes.txt/", "notes.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("rapport d’été.pdf", "rapport d’été.pdf"),
    ])
    func storedNameIsTheLastComponent(path: String, name: String) throws {
        let stored = try AttachmentPolicy.storedName(fromPath: Array(path.utf8))
        #expect(stored.name == name)
        #expect(!stored.repaired)
    }

    @Test(arguments: ["", "/", "dir/..", ".", "a\u{1B}[31m.txt", "tab\there.txt", "line\nbreak.log",
                      "invoice\u{202E}gnp.exe", "c1\u{85}.txt", "del\u{7F}.txt"])
    func storedNameRefusesFoldersAndControls(path: String) {
        #expect(throws: TicketsError.self) { try AttachmentPolicy.storedName(fromPath: Array(path.utf8)) }
    }

    @Test func invalidUTF8InANameIsRepairedAndReported() throws {
        let stored = try AttachmentPolicy.storedName(fromPath: Array("dir/".utf8) + [0x66, 0xFF] + Array(".txt".utf8))
        #expect(stored.name == "f\u{FFFD}.txt")
        #expect(stored.repaired)
    }

    @Test(arguments: [
        (["a.png", "b.PNG", "c.jpeg", "d.log"], nil),
        (["a.exe"], "extension .exe"),
        (["Makefile"], "no extension"),
        (["tar.gz"], "extension .gz"),
        (["1.txt", "2.txt", "3.txt", "4.txt", "5.txt", "6.txt"], "6 files given with -a; at most 5"),
    ] as [([String], String?)])
    func namesAndCount(names: [String], refusal: String?) {
        do {
            try policy.checkNames(names)
            #expect(refusal == nil)
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains(refusal ?? "<accepted>"), "\(error.message)")
        }
    }

    @Test func countZeroTurnsAttachmentsOff() {
        let off = AttachmentPolicy(extensions: ["txt"], maxSize: 10, maxCount: 0)
        #expect(throws: TicketsError.invalid("attachments are turned off (attachment_max_count = 0 in the config); send the message without -a")) {
            try off.checkNames(["a.txt"])
        }
    }

    @Test(arguments: [
        ([UInt8](repeating: 0x61, count: 16), "a.txt", nil),
        ([UInt8](repeating: 0x61, count: 17), "a.txt", "larger than 16 bytes"),
        ([], "empty.txt", nil),
        ([], "empty.png", "file is empty"),
        ([0x7F, 0x45, 0x4C, 0x46, 2, 1], "fake.png", "not a PNG image"),
        (Array("MZ\u{90}".utf8), "setup.txt", "Windows executable"),
        (png, "shot.png", nil),
    ] as [([UInt8], String, String?)])
    func sizeAndContent(bytes: [UInt8], name: String, refusal: String?) throws {
        let small = AttachmentPolicy(extensions: ["txt", "png"], maxSize: 16, maxCount: 5)
        do {
            let a = try small.accept(name: name, bytes: bytes)
            #expect(refusal == nil)
            #expect(a.name == name && a.bytes == bytes && a.sha256 == SHA256.hex(bytes))
        } catch {
            #expect(error.message.contains(refusal ?? "<accepted>"), "\(error.message)")
            #expect(error.message.contains(name))
        }
    }

    @Test func acceptSniffsTheContentType() throws {
        #expect(try policy.accept(name: "shot.png", bytes: png).contentType == "image/png")
        #expect(try policy.accept(name: "app.log", bytes: Array("ok\n".utf8)).contentType == "text/plain; charset=utf-8")
    }

    @Test func changedWhileRead() {
        let small = AttachmentPolicy(extensions: ["txt"], maxSize: 100, maxCount: 5)
        let s = AttachmentPolicy.FileStamp(size: 50, modifiedSeconds: 1000, modifiedNanoseconds: 5)
        var later = s
        later.modifiedNanoseconds = 6
        var grown = s
        grown.size = 60
        #expect(!small.changedWhileRead(before: s, after: s, bytesRead: 50))
        #expect(small.changedWhileRead(before: s, after: later, bytesRead: 50))
        #expect(small.changedWhileRead(before: s, after: grown, bytesRead: 60))
        // Same stamps, different count: a writer within one timestamp tick (or /proc).
        #expect(small.changedWhileRead(before: s, after: s, bytesRead: 49))
        // Past the limit the read stopped early on purpose: that is "too large", not "changed".
        let big = AttachmentPolicy.FileStamp(size: 5000, modifiedSeconds: 1000, modifiedNanoseconds: 5)
        #expect(!small.changedWhileRead(before: big, after: big, bytesRead: 101))
    }

    @Test(arguments: [
        ("shot.png", "shot.png"),
        ("截图.png", "截图.png"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "attachment-7"),
        (".", "attachment-7"),
        ("", "attachment-7"),
        (".bashrc", "bashrc"),
        ("...  .hidden.txt", "hidden.txt"),
        ("a\u{0}b\nc\u{1B}d.txt", "a_b_c_d.txt"),
        ("C:\\Windows\\evil.log", "C:_Windows_evil.log"),
        ("x\u{202E}gnp.exe", "x_gnp.exe"),
        ("/", "_"),
    ])
    func safeFileName(stored: String, expected: String) {
        let safe = AttachmentPolicy.safeFileName(stored, id: 7)
        #expect(safe == expected)
        #expect(!safe.contains("/") && safe != "." && safe != ".." && !safe.hasPrefix("."))
    }

    @Test func safeFileNameFitsNameMaxAndKeepsTheExtension() {
        let long = String(repeating: "界", count: 200) + ".png"
        let safe = AttachmentPolicy.safeFileName(long, id: 1)
        #expect(safe.utf8.count <= 240)
        #expect(safe.hasSuffix("界.png"))
        #expect(AttachmentPolicy.numbered(safe, 999).utf8.count <= 255)
    }

    @Test(arguments: [
        ("shot.png", 1, "shot (1).png"),
        ("archive.tar.gz", 2, "archive.tar (2).gz"),
        ("README", 3, "README (3)"),
        ("_.profile", 1, "_ (1).profile"),
    ])
    func numbered(name: String, n: Int, expected: String) {
        #expect(AttachmentPolicy.numbered(name, n) == expected)
    }

    @Test(arguments: [(8 << 20, "8 MiB"), (512 << 10, "512 KiB"), (1000, "1000 bytes"), (1, "1 byte"), (1_572_864, "1536 KiB")])
    func describeSize(size: Int, text: String) {
        #expect(AttachmentPolicy.describe(size: size) == text)
    }
}
