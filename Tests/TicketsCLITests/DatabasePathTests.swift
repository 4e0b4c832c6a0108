import Foundation
import Testing

/// `--db PATH` is checked before SQLite touches anything (SPEC §8): SQLite would create a
/// world-writable `-journal` beside a device (as root, `/dev/null-journal`), read a database
/// behind a folder the user cannot enter as empty (a silent empty backup), and call a
/// dangling link read-only.
@Suite(.enabled(if: TestStore.isSQLite, "SQLite-only: database files"))
struct DatabasePathTests {
    let dir: String
    let env: [String: String]

    init() throws {
        dir = try Privileges.sharedFolder()
        env = ["HOME": dir, "TICKETS_NAME": "Alice", "TICKETS_EMAIL": "alice@example.com", "TICKETS_ROLE": "agent",
               "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": dir + "/state", "XDG_CONFIG_HOME": dir + "/config"]
    }

    func run(_ args: [String], db: String) throws -> BuiltBinary.Output {
        try BuiltBinary.run(["--db", db] + args, env: env)
    }

    static let commands: [[String]] = [["list"], ["export"], ["show", "1"], ["open", "-s", "s", "-m", "m"], ["list", "--count"]]

    @Test(arguments: commands)
    func anEmptyPathIsAUsageError(args: [String]) throws {
        let r = try run(args, db: "")
        #expect(r.code == 64, "\(r.stderr)")
        #expect(r.stderr.contains("empty"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// Folders, FIFOs, devices, sockets and dangling links: 78 naming the path, at once
    /// (a FIFO must not hang), and nothing created next to them.
    @Test(arguments: commands)
    func whatIsNotADatabaseFileIsConfiguration(args: [String]) throws {
        let folder = dir + "/folder"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fifo = dir + "/fifo"
        if !FileManager.default.fileExists(atPath: fifo) { #expect(mkfifo(fifo, 0o600) == 0) }
        let dangling = dir + "/dangling.db"
        try? FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: dir + "/gone.db")
        for path in [folder, fifo, "/dev/null", "/dev/zero", dangling, "/etc/hostname/tickets.db"] {
            let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            let r = try run(args, db: path)
            #expect(r.code == 78, "\(path) \(args): \(r.code) \(r.stderr)")
            #expect(r.stderr.hasPrefix("tickets: error: ") && r.stderr.contains(path), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == before, "\(path): files appeared")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
        for suffix in ["-journal", "-wal", "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: "/dev/null" + suffix), "/dev/null\(suffix) was created")
            #expect(!FileManager.default.fileExists(atPath: dir + "/gone.db" + suffix))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/gone.db"))
    }

    @Test func aSymlinkToADatabaseWorks() throws {
        let real = dir + "/real.db", link = dir + "/link.db"
        #expect(try run(["open", "-s", "s", "-m", "m"], db: real).code == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let r = try run(["list", "-q"], db: link)
        #expect(r.code == 0 && r.stdout == "1\n", "\(r.stderr)")
    }

    /// A database in a folder the user cannot enter, or a file they cannot read, is 77:
    /// never an empty list or an empty backup with exit 0.
    @Test(.enabled(if: Privileges.ordinaryRuns, "needs root with setpriv, or an ordinary user"),
          arguments: [["list"], ["export"], ["list", "--count"], ["show", "1"], ["open", "-s", "s", "-m", "m"]])
    func aDatabaseTheUserCannotReachIsNotPermitted(args: [String]) throws {
        let hidden = dir + "/hidden"
        try FileManager.default.createDirectory(atPath: hidden, withIntermediateDirectories: true)
        let behindFolder = hidden + "/t.db"
        #expect(try run(["open", "-s", "s", "-m", "m"], db: behindFolder).code == 0)
        let unreadable = dir + "/unreadable.db"
        #expect(try run(["open", "-s", "s", "-m", "m"], db: unreadable).code == 0)
        #expect(chmod(hidden, 0o700) == 0 && chmod(unreadable, 0o600) == 0)
        if !Privileges.isRoot {
            // An ordinary user running the suite: take the permissions away from themselves.
            #expect(chmod(hidden, 0o000) == 0 && chmod(unreadable, 0o000) == 0)
        }
        defer { _ = chmod(hidden, 0o700) }
        for db in [behindFolder, unreadable] {
            let r = try Privileges.runAsOrdinaryUser(["--db", db] + args, env: env)
            #expect(r.code == 77, "\(db) \(args): \(r.code) \(r.stdout) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(db): \(r.stdout)")
            #expect(r.stderr.contains(db), "\(r.stderr)")
        }
    }
}
