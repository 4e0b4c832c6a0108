import Foundation
import Testing

/// The built `tickets` executable run as a user would, through a real process.
struct BinaryTests {
    let dir: String
    let env: [String: String]

    init() {
        dir = NSTemporaryDirectory() + "tickets-bin-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        env = ["HOME": dir, "XDG_DATA_HOME": dir + "/data", "XDG_CONFIG_HOME": dir + "/config",
               "XDG_STATE_HOME": dir + "/state", "TICKETS_NAME": "Alice", "TICKETS_EMAIL": "alice@example.com",
               "PATH": "/usr/bin:/bin"]
    }

    @Test func aDayOnTheDefaultDatabase() throws {
        let opened = try BuiltBinary.run(["open", "-s", "Printer on fire", "-m", "Smoke.", "--json"], env: env)
        #expect(opened.code == 0, "\(opened.stderr)")
        let ticket = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        #expect(ticket?["id"] as? Int == 1)
        #expect(ticket?["deduplicated"] as? Bool == false)
        // The default database: XDG_DATA_HOME/tickets/tickets.db, 0600 in a 0700 folder.
        let db = dir + "/data/tickets/tickets.db"
        #expect((try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: dir + "/data/tickets")[.posixPermissions] as? Int) == 0o700)
        let list = try BuiltBinary.run(["list"], env: env)
        #expect(list.code == 0)
        #expect(list.stdout.contains("#1") && list.stdout.contains("Printer on fire"))
        var agentEnv = env
        agentEnv["TICKETS_ROLE"] = "agent"
        #expect(try BuiltBinary.run(["reply", "1", "-m", "Unplug it"], env: agentEnv).code == 0)
        let show = try BuiltBinary.run(["show", "#1"], env: env)
        #expect(show.stdout.contains("Unplug it") && show.stdout.contains("Status:     answered"))
        #expect(try BuiltBinary.run(["close", "1"], env: env).code == 0)
        #expect(try BuiltBinary.run(["rate", "1", "5"], env: env).code == 0)
        let csv = try BuiltBinary.run(["export", "--csv"], env: env)
        #expect(csv.stdout.hasPrefix("id,subject,status"))
        #expect(csv.stdout.contains("\r\n1,Printer on fire,closed,"))
    }

    @Test func errorsAreOneLineWithTheDocumentedCode() throws {
        let r = try BuiltBinary.run(["show", "9"], env: env)
        #expect(r.code == 66)
        #expect(r.stderr == "tickets: error: no ticket #9; tickets list shows the tickets there are\n")
        #expect(r.stdout.isEmpty)
        let u = try BuiltBinary.run(["opne"], env: env)
        #expect(u.code == 64)
        #expect(u.stderr.contains("Did you mean 'open'?"))
    }

    @Test func neverReadsStandardInputUnlessAsked() throws {
        // With a pipe on stdin that never closes, a command that read it would hang here.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltBinary.path)
        p.arguments = ["list"]
        p.environment = env
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = Pipe()
        p.standardError = Pipe()
        try p.run()
        let deadline = Date().addingTimeInterval(20)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        #expect(!p.isRunning, "list must not wait for standard input")
        if p.isRunning { p.terminate() }
        try input.fileHandleForWriting.close()
    }

    @Test func rawArgumentBytesNameFiles() throws {
        // A file name that is not valid UTF-8 still works: paths come from the raw argv bytes.
        let raw = Array(dir.utf8) + Array("/msg-".utf8) + [0xFF] + Array(".md".utf8)
        let fd = raw.withUnsafeBufferPointer { buf -> Int32 in
            var cs = buf.map { CChar(bitPattern: $0) } + [0]
            return open(&cs, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        }
        #expect(fd >= 0)
        _ = "From a strange file".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        // Hand the raw bytes to the process through /bin/sh and printf, which does not re-encode.
        var shEnv = env
        shEnv["BIN"] = BuiltBinary.path
        shEnv["DIR"] = dir
        let r = try BuiltBinary.runShell("\"$BIN\" open -s Raw -F \"$DIR/msg-$(printf '\\377').md\" --json", env: shEnv)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"subject\":\"Raw\""))
        let show = try BuiltBinary.run(["show", "1", "--json"], env: env)
        #expect(show.stdout.contains("From a strange file"))
    }
}

extension BuiltBinary {
    static func runShell(_ script: String, env: [String: String]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}
