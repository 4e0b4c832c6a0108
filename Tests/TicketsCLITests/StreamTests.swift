import Foundation
import Glibc
import Testing

/// SPEC §5 and §7 streams through the built binary and /bin/sh: an empty id list on
/// standard input, output that cannot be written after a commit (import, merge and bulk
/// changes, which FirstHourShellTests leaves out), readers that go away before reading,
/// and the output-file kinds OutputTargetTests leaves out (a FIFO with --force, a block
/// device, and the ordinary user's refusals).
struct StreamTests {
    static func world(agent: Bool = false) throws -> (dir: String, env: [String: String]) {
        let (dir, env) = try FirstHourShellTests.world()
        return (dir, agent ? env.merging(["TICKETS_ROLE": "agent"]) { $1 } : env)
    }

    static func sh(_ script: String, _ env: [String: String], _ dir: String) throws -> BuiltBinary.Output {
        try Shell.run(script, env: env, dir: dir)
    }

    // MARK: - Ids from standard input may be none

    static let producers = ["printf ''", "true", "printf '\\n\\n   \\n'", "\"$BIN\" list -q --status canceled", "cat /dev/null"]

    @Test(arguments: ["close -", "reopen -", "cancel -", "edit - -p high", "edit - -s New", "edit - --add-cc dave@example.com",
                      "close - -m Why", "cancel - -m Why", "reopen - -m Why"])
    func anEmptyIDListIsAQuietSuccess(command: String) throws {
        let (dir, env) = try Self.world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(try Self.sh("\"$BIN\" open -s S -m x -q >/dev/null && \"$BIN\" open -s T -m y -q >/dev/null", env, dir).code == 0)
        let before = try Self.sh("\"$BIN\" show 1 --json --history; \"$BIN\" show 2 --json --history", env, dir).stdout
        for producer in Self.producers + ["< /dev/null"] {
            let script = producer.hasPrefix("<") ? "\"$BIN\" \(command) \(producer)" : "\(producer) | \"$BIN\" \(command)"
            let r = try Self.sh(script, env, dir)
            #expect(r.code == 0, "\(script): \(r.stderr)")
            #expect(r.stdout.isEmpty && r.stderr.isEmpty, "\(script): \(r.stdout)\(r.stderr)")
        }
        #expect(try Self.sh("\"$BIN\" show 1 --json --history; \"$BIN\" show 2 --json --history", env, dir).stdout == before)
    }

    /// A line of ids is trimmed of spaces (`printf ' 1 \n'` closes #1, a line of spaces is
    /// no id); tabs are whitespace the same way, as `cut`, `awk` or a hand-typed list leave them.
    @Test(arguments: ["close -", "cancel -", "edit - -s New"])
    func tabsAroundIDsAreWhitespaceLikeSpaces(command: String) throws {
        let (dir, env) = try Self.world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(try Self.sh("\"$BIN\" open -s S -m x -q >/dev/null", env, dir).code == 0)
        let blank = try Self.sh("printf '\\t\\n \\t \\n' | \"$BIN\" \(command)", env, dir)
        #expect(blank.code == 0 && blank.stdout.isEmpty && blank.stderr.isEmpty, "a line of tabs: \(blank.code) \(blank.stderr)")
        let id = try Self.sh("printf '1\\t\\n' | \"$BIN\" \(command) >/dev/null", env, dir)
        #expect(id.code == 0, "'1<TAB>': \(id.code) \(id.stderr)")
    }

    /// With --json, the four commands that take ids from `-` say the same about nothing.
    @Test func anEmptyIDListPrintsTheSameJSONForEveryCommand() throws {
        let (dir, env) = try Self.world(agent: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(try Self.sh("\"$BIN\" open -s S -m x -q >/dev/null", env, dir).code == 0)
        var outputs: [String: String] = [:]
        for command in ["close - --json", "cancel - --json", "reopen - --json", "edit - -p high --json"] {
            let r = try Self.sh("printf '' | \"$BIN\" \(command)", env, dir)
            #expect(r.code == 0 && r.stderr.isEmpty, "\(command): \(r.stderr)")
            outputs[command] = r.stdout
        }
        #expect(Set(outputs.values).count == 1, "different answers to an empty list: \(outputs)")
    }

    // MARK: - Output that cannot be written after a commit

    @Test(.enabled(if: FirstHourShellTests.devFull), arguments: [
        // (setup, command, what the error names, what shows the change was committed)
        ("", "import \"$DIR/e.json\"", "4 tickets were imported", "\"$BIN\" list --count --status all"),
        ("", "import - --json < \"$DIR/e.json\"", "4 tickets were imported", "\"$BIN\" list --count --status all"),
        ("cat \"$DIR/e.json\" | \"$BIN\" import - >/dev/null && \"$BIN\" open -s New -m x -q >/dev/null",
         "merge 5 --into 1", "merged into #1", "\"$BIN\" list -q --status closed"),
        ("cat \"$DIR/e.json\" | \"$BIN\" import - >/dev/null", "edit 1 -p low", "ticket #1 was edited", "\"$BIN\" show 1 --json"),
        ("cat \"$DIR/e.json\" | \"$BIN\" import - >/dev/null", "assign 1 --to dana@support.example", "ticket #1 was assigned",
         "\"$BIN\" show 1 --json"),
        ("\"$BIN\" open -s S -m x -q >/dev/null && \"$BIN\" open -s T -m x -q >/dev/null", "close - < \"$DIR/ids\"",
         "2 tickets were closed", "\"$BIN\" list -q --status closed"),
        ("\"$BIN\" open -s S -m x -q >/dev/null && \"$BIN\" open -s T -m x -q >/dev/null", "edit - -p urgent < \"$DIR/ids\"",
         "2 tickets were edited", "\"$BIN\" list --count --status all -p urgent"),
    ] as [(String, String, String, String)])
    func aFullOutputAfterACommitIs74NamingWhatWasDone(setup: String, command: String, names: String, check: String) throws {
        let (dir, env) = try Self.world(agent: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/e.json", contents: Data(ImportFixture.export.utf8))
        _ = FileManager.default.createFile(atPath: dir + "/ids", contents: Data("1\n2\n".utf8))
        if !setup.isEmpty { try #require(try Self.sh(setup, env, dir).code == 0) }
        let before = try Self.sh(check, env, dir).stdout
        let r = try Self.sh("\"$BIN\" \(command) > /dev/full", env, dir)
        #expect(r.code == 74, "\(command): \(r.stderr)")
        #expect(r.stderr.contains(names) && r.stderr.contains("could not be written"), "\(r.stderr)")
        #expect(try Self.sh(check, env, dir).stdout != before, "\(command): the change was not committed")
    }

    // MARK: - A reader that never reads

    @Test(arguments: ["export", "export --with-attachments --format ndjson", "export --csv", "list -L 0", "list --json",
                      "list -q --status all", "show 1", "show 1 --json --history", "list --count --by status"])
    func aReaderThatLeavesAtOnceIsQuiet(command: String) throws {
        let w = FirstHourShellTests.bigWorld
        var env = w.h.env
        env["COLUMNS"] = "1000"
        for reader in ["true", "head -c0", "exec 0<&-"] {
            let rc = w.dir + "/rc-\(UUID().uuidString)"
            let r = try Shell.run("{ \"$BIN\" \(command); echo $? > '\(rc)'; } | \(reader); cat '\(rc)'; rm -f '\(rc)'", env: env, dir: w.dir)
            #expect(r.stderr.isEmpty, "\(command) | \(reader): \(r.stderr)")
            #expect(r.stdout == "0\n", "exit status of \(command) | \(reader): \(r.stdout)")
        }
    }

    // MARK: - Output files OutputTargetTests leaves out

    static func exportWorld() throws -> (dir: String, env: [String: String]) {
        let dir = try Privileges.sharedFolder()
        let env = ["HOME": dir, "TICKETS_DB": dir + "/t.db", "TICKETS_NAME": "Alice", "TICKETS_EMAIL": "alice@example.com",
                   "TICKETS_ROLE": "agent", "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": dir + "/state", "XDG_CONFIG_HOME": dir + "/config"]
        _ = try BuiltBinary.run(["open", "-s", "Printer on fire", "-m", "Smoke."], env: env)
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) {
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: dir + "/" + f)
        }
        return (dir, env)
    }

    static func kind(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0
    }

    /// A FIFO is written into with --force too: never replaced by a regular file.
    @Test func aNamedPipeIsWrittenIntoWithForce() throws {
        let (dir, env) = try Self.exportWorld()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        let r = try BuiltBinary.run(["export", "--format", "ndjson", "-o", fifo, "--force"], env: env)
        let got = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(r.code == 0, "\(r.stderr)")
        #expect(got.hasPrefix("{\"id\":1,"))
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
    }

    /// A block device (a node of an unused major number, so nothing real is at stake) is
    /// refused with and without --force, and stays what it was.
    @Test(.enabled(if: Privileges.rootRuns, "mknod needs root"))
    func aBlockDeviceIsRefused() throws {
        let (dir, env) = try Self.exportWorld()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = dir + "/blk"
        try #require(mknod(node, S_IFBLK | 0o600, dev_t(199 << 8)) == 0, "mknod: \(String(cString: strerror(errno)))")
        for force in [[], ["--force"]] {
            let r = try BuiltBinary.run(["export", "-o", node] + force, env: env)
            #expect(r.code == 73, "\(force): \(r.stderr)")
            #expect(r.stderr.contains(node) && r.stderr.contains("block device"), "\(r.stderr)")
            #expect(Self.kind(node) == S_IFBLK)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("blk.") }.isEmpty)
    }

    @Test func standardErrorIsAnOutputToo() throws {
        let (dir, env) = try Self.exportWorld()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try BuiltBinary.run(["export", "--format", "ndjson", "-o", "/dev/stderr"], env: env)
        #expect(r.code == 0)
        #expect(r.stdout.isEmpty && r.stderr.hasPrefix("{\"id\":1,"), "\(r.stderr)")
        #expect(Self.kind("/dev/stderr") == S_IFLNK || Self.kind("/dev/stderr") == S_IFCHR)
    }

    /// The ordinary user: root's FIFO they may not open, root's file in a sticky folder
    /// they may not replace: 73, nothing changed, no temporary file left; the devices
    /// anyone may write behave as for root.
    @Test(.enabled(if: Privileges.ordinaryRuns && Privileges.isRoot, "needs root with setpriv"))
    func theOrdinaryUsersRefusals() throws {
        let (dir, env) = try Self.exportWorld()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/roots-pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let sticky = dir + "/shared"
        try FileManager.default.createDirectory(atPath: sticky, withIntermediateDirectories: false)
        #expect(chmod(sticky, 0o1777) == 0)
        let file = sticky + "/backup.json"
        try "old".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(chmod(file, 0o644) == 0)
        for (target, force, code, words) in [(fifo, false, Int32(73), "Permission denied"), (fifo, true, 73, "Permission denied"),
                                             (file, false, 73, "--force"), (file, true, 73, "cannot replace"),
                                             ("/dev/full", true, 74, "No space left"), ("/dev/null", true, 0, "")] {
            let r = try Privileges.runAsOrdinaryUser(["export", "-o", target] + (force ? ["--force"] : []), env: env)
            #expect(r.code == code, "\(target) \(force): \(r.code) \(r.stderr)")
            #expect(words.isEmpty ? r.stderr.isEmpty : r.stderr.contains(words), "\(target): \(r.stderr)")
        }
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sticky) == ["backup.json"])
        #expect(Self.kind("/dev/null") == S_IFCHR && Self.kind("/dev/full") == S_IFCHR)
    }
}
