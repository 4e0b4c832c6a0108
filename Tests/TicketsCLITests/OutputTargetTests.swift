import Foundation
import Testing

/// `export -o PATH` by what PATH is (SPEC §8): devices and FIFOs are written into and
/// never replaced (as root, `-o /dev/null --force` once turned /dev/null into a regular
/// file), a regular file is replaced only with --force and atomically, anything else is
/// 73 with nothing created. Run through the built binary, as a user would.
struct OutputTargetTests {
    let dir: String
    let env: [String: String]

    init() throws {
        dir = try Privileges.sharedFolder()
        env = ["HOME": dir, "TICKETS_DB": dir + "/t.db", "TICKETS_NAME": "Alice", "TICKETS_EMAIL": "alice@example.com",
               "TICKETS_ROLE": "agent", "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": dir + "/state", "XDG_CONFIG_HOME": dir + "/config"]
        _ = try BuiltBinary.run(["open", "-s", "Printer on fire", "-m", "Smoke."], env: env)
        // The ordinary user must be able to read and write the database too.
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) {
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: dir + "/" + f)
        }
    }

    func isCharacterDevice(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR
    }

    /// The devices of the system stay devices, with and without --force. As root this is
    /// the case that mattered: rename(2) would have replaced them.
    @Test(arguments: [["-o", "/dev/null"], ["-o", "/dev/null", "--force"], ["--output=/dev/null", "-f"]])
    func aCharacterDeviceIsWrittenIntoNeverReplaced(args: [String]) throws {
        let r = try BuiltBinary.run(["export"] + args, env: env)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(isCharacterDevice("/dev/null"), "/dev/null is no longer a character device")
        #expect(!FileManager.default.fileExists(atPath: "/dev/null.tmp-1"))
    }

    @Test func aFullDeviceIsAnIOErrorAndStaysADevice() throws {
        let r = try BuiltBinary.run(["export", "-o", "/dev/full", "--force"], env: env)
        #expect(r.code == 74, "\(r.stderr)")
        #expect(r.stderr.contains("/dev/full") && r.stderr.contains("No space left"), "\(r.stderr)")
        #expect(isCharacterDevice("/dev/full"))
    }

    @Test func dashAndTheStdoutNamesWriteToStandardOutput() throws {
        for target in ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            let r = try BuiltBinary.run(["export", "--format", "ndjson", "-o", target], env: env)
            #expect(r.code == 0, "\(target): \(r.stderr)")
            #expect(r.stdout.hasPrefix("{\"id\":1,"), "\(target): \(r.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"))
    }

    /// `-o >(gzip > x.gz)`: bash hands over /dev/fd/63, a pipe.
    @Test func processSubstitutionWorks() throws {
        let out = dir + "/via-pipe.json"
        let r = try ShellSupport.run("/bin/bash", ["-c", "tickets export -o >(cat > '\(out)'); wait"], env: env)
        #expect(r.code == 0, "\(r.stderr)")
        // The substituted process may finish a moment after bash returns.
        for _ in 0..<100 where ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").isEmpty { usleep(20_000) }
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("\"subject\":\"Printer on fire\""))
    }

    @Test func aNamedPipeIsWrittenIntoWithoutForce() throws {
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        let r = try BuiltBinary.run(["export", "--format", "ndjson", "-o", fifo], env: env)
        let got = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(r.code == 0, "\(r.stderr)")
        #expect(got.hasPrefix("{\"id\":1,"))
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test func anExistingFileNeedsForceAndIsReplacedWholeKeepingItsMode() throws {
        let file = dir + "/backup.json"
        try "old".write(toFile: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file)
        let refused = try BuiltBinary.run(["export", "-o", file], env: env)
        #expect(refused.code == 73)
        #expect(refused.stderr.contains("already exists") && refused.stderr.contains("--force"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "old")
        let replaced = try BuiltBinary.run(["export", "-o", file, "--force"], env: env)
        #expect(replaced.code == 0, "\(replaced.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("[\n{\"id\":1,"))
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func aSymlinkToAFileReplacesTheFileAndKeepsTheLink() throws {
        let file = dir + "/real.json", link = dir + "/link.json"
        try "old".write(toFile: file, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(try BuiltBinary.run(["export", "-o", link], env: env).code == 73)
        #expect(try BuiltBinary.run(["export", "-o", link, "--force"], env: env).code == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == file)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("Printer on fire"))
    }

    /// A folder, a socket, a dangling link, a missing folder: 73, and nothing is created.
    @Test func everyOtherKindIsRefusedWithNothingCreated() throws {
        let folder = dir + "/folder"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let dangling = dir + "/dangling"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: dir + "/nowhere.json")
        let socketPath = dir + "/sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in socketPath.utf8.enumerated() where i < buf.count - 1 { buf[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(bound == 0)
        defer { close(fd) }
        for target in [folder, socketPath, dangling, dir + "/missing/x.json"] {
            for force in [[], ["--force"]] {
                let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                let r = try BuiltBinary.run(["export", "-o", target] + force, env: env)
                #expect(r.code == 73, "\(target) \(force): \(r.code) \(r.stderr)")
                #expect(r.stderr.hasPrefix("tickets: error: ") && r.stderr.contains(target), "\(r.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/nowhere.json"))
    }

    @Test func aNewFileIsPrivate() throws {
        let file = dir + "/new.json"
        #expect(try BuiltBinary.run(["export", "-o", file], env: env).code == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
    }

    /// Permissions matter here: a folder the user may not write is 73 for them.
    @Test(.enabled(if: Privileges.ordinaryRuns, "needs root with setpriv, or an ordinary user"))
    func anOrdinaryUserCannotWriteIntoARootFolder() throws {
        let locked = dir + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        // Root's folder for `nobody`; for an ordinary user, their own folder made read-only.
        #expect(Privileges.isRoot ? chown(locked, 0, 0) == 0 : chmod(locked, 0o555) == 0)
        let r = try Privileges.runAsOrdinaryUser(["export", "-o", locked + "/x.json"], env: env)
        #expect(r.code == 73, "\(r.stderr)")
        #expect(r.stderr.contains("Permission denied"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: locked + "/x.json"))
    }
}
