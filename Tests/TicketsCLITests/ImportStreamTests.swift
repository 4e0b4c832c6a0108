import Foundation
import Glibc
import Testing

extension Tag {
    /// Tens of megabytes through the built binary: still run by `swift test` (CI), a few
    /// seconds each; `swift test --skip .expensive` leaves them out on a workstation.
    @Tag static var expensive: Self
}

/// SPEC §5 import reads its input as a stream, through the built binary as a user runs it:
/// garbage (`/dev/zero`, `/dev/urandom`) is refused at its first bad byte with 65 and its
/// line and column, never a signal or a hang; a FIFO waits for its writer; `-` reads a
/// pipe; memory stays bounded by one ticket however large the file.
@Suite(.hangGuard) final class ImportStreamTests {
    let dir: String
    let env: [String: String]
    var db: String { dir + "/t.db" }

    init() throws {
        dir = NSTemporaryDirectory() + "tickets-stream-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        env = ["HOME": dir, "TICKETS_DB": dir + "/t.db", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example",
               "TICKETS_ROLE": "agent", "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": dir + "/state",
               "XDG_CONFIG_HOME": dir + "/config", "TMPDIR": dir]
    }

    /// The generated files are 50 and 100 MB: gone with the test.
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// What a bounded import may take at its peak (the binary alone is ~8 MiB resident).
    static let memoryLimitKiB = 64 << 10

    func write(_ name: String, _ bytes: some Sequence<UInt8>) -> String {
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func exported() throws -> String {
        let r = try BuiltBinary.run(["export", "--with-attachments"], env: env)
        try #require(r.code == 0, "\(r.stderr)")
        return r.stdout
    }

    /// No database file, and no staging file left in TMPDIR either.
    func nothingLeftBehind() throws {
        #expect(!FileManager.default.fileExists(atPath: db), "a failed import left \(db)")
        // The stage (TMPDIR is `dir`) and the hidden database a new-file import builds.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasPrefix("tickets-import-") || $0.hasPrefix(".t.db.import-") }
        #expect(left.isEmpty, "staging files left: \(left)")
    }

    // MARK: - Garbage devices

    @Test(arguments: ["/dev/zero", "/dev/urandom"], [false, true])
    func aGarbageDeviceIsRefusedAtItsFirstBadByte(device: String, throughStdin: Bool) throws {
        let input = throughStdin ? FileHandle(forReadingAtPath: device) : nil
        let r = try Watched.run(["import", throughStdin ? "-" : device], env: env, stdin: input, timeout: 20)
        #expect(!r.killedByWatchdog, "import \(device) still ran after 20 s: \(r)")
        #expect(r.signal == nil, "import \(device) died of a signal: \(r)")
        #expect(r.code == 65, "\(r)")
        #expect(r.stderr.hasPrefix("tickets: error: import: ") && r.stderr.hasSuffix("nothing was imported\n"), "\(r.stderr)")
        #expect(r.stderr.contains(throughStdin ? "standard input" : device), "\(r.stderr)")
        if device == "/dev/zero" {
            #expect(r.stderr.contains("found byte 0x00 at line 1, column 1;"), "\(r.stderr)")
        } else {
            // Random bytes may begin with '[', '{' or whitespace: then a later byte is the bad one.
            #expect(r.stderr.contains(" at line ") && r.stderr.contains(", column "), "\(r.stderr)")
        }
        #expect(r.seconds < 5, "took \(r.seconds) s")
        #expect(r.peakKiB < Self.memoryLimitKiB, "\(r)")
        try nothingLeftBehind()
    }

    /// One bad byte in the third ticket: refused there, by line and column, and the two
    /// good tickets before it are not imported either.
    @Test(arguments: [
        (Array("Th".utf8) + [0xFF] + Array("ird".utf8), "invalid UTF-8"),
        (Array("Th".utf8) + [0x00] + Array("ird".utf8), "control character"),
        (Array("Th".utf8) + [0xED, 0xA0, 0x80] + Array("ird".utf8), "UTF-8"),
    ] as [([UInt8], String)])
    func aBadByteMidFileIsRefusedAtItsLineAndColumn(subject: [UInt8], words: String) throws {
        // The export as ndjson: one ticket a line, without the array's brackets and commas.
        var lines: [[UInt8]] = []
        for line in ImportFixture.export.split(separator: "\n").dropFirst().dropLast() {
            lines.append(Array((line.hasSuffix(",") ? line.dropLast() : line).utf8))
        }
        let third = lines[2]
        let anchor: [UInt8] = Array(#""subject":""#.utf8)
        let found: Int? = (0...(third.count - anchor.count)).first { Array(third[$0..<($0 + anchor.count)]) == anchor }
        let at = try #require(found) + anchor.count
        lines[2] = Array(third[..<at]) + subject + Array(third[(at + 5)...])
        var bytes: [UInt8] = []
        for line in lines { bytes += line + [0x0A] }
        let file = write("bad.ndjson", bytes)
        let r = try Watched.run(["import", file], env: env)
        #expect(r.code == 65 && r.signal == nil, "\(r)")
        #expect(r.stderr.contains(words), "\(r.stderr)")
        // The bad byte is the third of "Th?ird" after the quote.
        #expect(r.stderr.contains("at line 3, column \(at + 3)"), "\(r.stderr)")
        try nothingLeftBehind()
    }

    // MARK: - FIFOs and pipes

    /// `import FIFO` waits for the writer, who comes a second later and writes in two
    /// pieces: the import gets every ticket (a non-blocking open would read nothing).
    @Test func aFIFOWaitsForItsWriter() throws {
        let fifo = dir + "/incoming"
        #expect(mkfifo(fifo, 0o600) == 0)
        let data = Array(ImportFixture.export.utf8)
        let writer = Thread {
            Thread.sleep(forTimeInterval: 1)
            // Non-blocking: if the import were not waiting on the FIFO, this fails (ENXIO).
            let fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFL, 0)
            let half = data.count / 2
            _ = data[..<half].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            Thread.sleep(forTimeInterval: 0.3)
            _ = data[half...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let r = try Watched.run(["import", fifo], env: env)
        #expect(r.code == 0, "\(r)")
        #expect(r.stdout == "imported 4 tickets, skipped 0 existing\n", "\(r)")
        #expect(r.seconds >= 1.2, "the import ended before its writer wrote: \(r)")
        #expect(try exported() == ImportFixture.export)
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test(arguments: [
        "cat \"$F\" | \"$BIN\" import -",
        "{ head -c 700 \"$F\"; sleep 1; tail -c +701 \"$F\"; } | \"$BIN\" import -",
        "\"$BIN\" import - < \"$F\"",
        "\"$BIN\" import /dev/stdin < \"$F\"",
        "cat \"$F\" | \"$BIN\" import /dev/fd/0",
    ])
    func dashReadsAPipe(script: String) throws {
        var e = env
        e["F"] = write("export.json", Array(ImportFixture.export.utf8))
        let r = try Shell.run(script, env: e, dir: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == "imported 4 tickets, skipped 0 existing\n")
        #expect(try exported() == ImportFixture.export)
    }

    // MARK: - Memory bounded by one ticket

    /// ~50 MB of ndjson, 13,000 tickets: the peak stays under 64 MiB, into a new
    /// database (built whole beside it) and into an existing one (staged in TMPDIR).
    @Test(.tags(.expensive), arguments: [false, true]) func manyTicketsImportInBoundedMemory(intoExisting: Bool) throws {
        if intoExisting {
            #expect(try BuiltBinary.run(["open", "-s", "Already here", "-m", "x", "-q"], env: env).code == 0)
        }
        let path = dir + "/many.ndjson"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let body = repeated("word ", 300)
        var chunk = "", size = 0, n = 0
        while size < 50 << 20 {
            n += 1
            let who = #"{"name":"Alice","email":"alice\#(n % 97)@example.com"}"#
            let t0 = "\"created_at\":\"2026-11-01T00:00:00Z\""
            chunk += #"{"id":\#(n),"subject":"Printer \#(n) on fire","status":"open","priority":"medium","department":"other","service":null,"requester":\#(who),"cc":[],"assignee":null,"dedupe_key":null,\#(t0),"updated_at":"2026-11-01T00:00:00Z","closed_at":null,"rating":null,"messages":[{"id":\#(2 * n - 1),"author":\#(who),"role":"requester","internal":false,"body":"\#(body)",\#(t0),"attachments":[]},{"id":\#(2 * n),"author":\#(who),"role":"requester","internal":false,"body":"\#(body)",\#(t0),"attachments":[]}],"events":[{"id":\#(n),"actor":\#(who),"action":"open","from_status":null,"to_status":"open","field":null,"old_value":null,"new_value":null,\#(t0)}]}"#
            chunk += "\n"
            if chunk.utf8.count > 1 << 20 {
                size += chunk.utf8.count
                try out.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try out.write(contentsOf: Data(chunk.utf8))
        try out.close()
        let r = try Watched.run(["import", path], env: env, timeout: 90)
        #expect(r.code == 0 && !r.killedByWatchdog, "\(r)")
        // The ticket opened first is #1, so the file's #1 is skipped with its messages.
        #expect(r.stdout == (intoExisting ? "imported \(n - 1) tickets, skipped 1 existing\n"
                                          : "imported \(n) tickets, skipped 0 existing\n"), "\(r)")
        #expect(r.peakKiB > 0 && r.peakKiB < Self.memoryLimitKiB, "peak \(r.peakKiB) KiB for a \(size >> 20) MB file")
        let count = try BuiltBinary.run(["list", "--count", "--status", "all"], env: env)
        #expect(count.stdout == "\(n)\n")
    }

    /// One ticket whose subject is 100 MB: refused at the string's start, quickly, without
    /// taking the 100 MB (or more) a reader that holds the whole value would.
    @Test(.tags(.expensive)) func aHugeSubjectIsRefusedQuicklyInBoundedMemory() throws {
        let path = dir + "/huge.ndjson"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try out.write(contentsOf: Data(#"{"id":1,"subject":""#.utf8))
        let megabyte = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<100 { try out.write(contentsOf: megabyte) }
        try out.write(contentsOf: Data(#"","status":"open"}"#.utf8 + [0x0A]))
        try out.close()
        let r = try Watched.run(["import", path], env: env, timeout: 20)
        #expect(r.code == 65 && r.signal == nil && !r.killedByWatchdog, "\(r)")
        #expect(r.stderr.contains("at line 1, column 19"), "the string's opening quote: \(r.stderr)")
        #expect(r.seconds < 10, "\(r)")
        #expect(r.peakKiB > 0 && r.peakKiB < Self.memoryLimitKiB, "\(r)")
        try nothingLeftBehind()
    }

    /// The same subject without end, through a pipe: the import must stop reading on its
    /// own (the writer then meets a closed pipe); reading to the end would never end.
    @Test(.tags(.expensive)) func anEndlessSubjectThroughAPipeIsRefused() throws {
        let pipe = Pipe()
        TestProcess.ignoreBrokenPipes()
        let writer = Thread {
            let h = pipe.fileHandleForWriting
            let chunk = Data(repeating: UInt8(ascii: "a"), count: 64 << 10)
            do {
                try h.write(contentsOf: Data(#"{"id":1,"subject":""#.utf8))
                // At most 4 GiB, so that a hung import cannot keep this thread forever.
                for _ in 0..<(1 << 16) { try h.write(contentsOf: chunk) }
            } catch {}
            try? h.close()
        }
        writer.start()
        let r = try Watched.run(["import", "-"], env: env, stdin: pipe.fileHandleForReading, timeout: 20)
        try? pipe.fileHandleForReading.close()
        #expect(r.code == 65 && r.signal == nil && !r.killedByWatchdog, "\(r)")
        #expect(r.stderr.contains("standard input") && r.stderr.contains("at line 1, column 19"), "\(r.stderr)")
        #expect(r.peakKiB > 0 && r.peakKiB < Self.memoryLimitKiB, "\(r)")
        try nothingLeftBehind()
    }
}
