import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Helpers shared by the contract tests (IdentityRuleTests, SearchLanguageTests, ...).
extension Harness {
    /// Runs as a requester with this email (and a plain name).
    @discardableResult
    func runAs(_ email: String, _ args: [String], stdin: [UInt8] = [], env extra: [String: String] = [:]) -> Result {
        run(args, stdin: stdin, env: ["TICKETS_EMAIL": email, "TICKETS_NAME": "Someone"].merging(extra) { $1 })
    }

    /// Opens a ticket as `email` and returns its id.
    func openAs(_ email: String, _ subject: String, message: String = "Details.", _ extra: [String] = [],
                env: [String: String] = [:]) -> Int {
        let r = runAs(email, ["open", "-s", subject, "-m", message, "-q"] + extra, env: env)
        precondition(r.code == 0, "open as \(email) failed: \(r.stderr)")
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    /// An agent (Bob) with extra environment.
    @discardableResult
    func agentEnv(_ args: [String], stdin: [UInt8] = [], env extra: [String: String] = [:]) -> Result {
        run(args, stdin: stdin, env: ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent",
                                      "TICKETS_EMAIL": "bob@support.example"].merging(extra) { $1 })
    }

    /// What an agent's `show --json --history` prints: the whole ticket, to compare
    /// before and after a refused command.
    func snapshot(_ id: Int) -> String {
        agent(["show", "\(id)", "--json", "--history"]).stdout
    }

    /// The number of tickets in the database (as an agent sees them).
    func ticketCount() -> Int {
        Int(agent(["list", "--count", "--status", "all"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The message bodies of a ticket, as an agent sees them.
    func bodies(_ id: Int) throws -> [String] {
        let show = try agent(["show", "\(id)", "--json"]).jsonObject()
        return try #require(show["messages"] as? [[String: Any]]).compactMap { $0["body"] as? String }
    }

    /// One field of `show --json`, as an agent sees it.
    func field(_ id: Int, _ name: String) throws -> Any? {
        try agent(["show", "\(id)", "--json"]).jsonObject()[name]
    }

    /// Runs with raw argument bytes and environment variables marked as invalid UTF-8,
    /// as the real process builds them (TicketsCLI.main).
    func runRaw(_ args: [Argument], env extra: [String: String] = [:], invalidUTF8: Set<String> = [],
                stdin: [UInt8] = []) -> Result {
        let io = TerminalIO.test(stdin: stdin)
        let code = TicketsCLI.run(args, environment: env.merging(extra) { $1 }, invalidUTF8: invalidUTF8, io: io, server: TestStore.serverOpener)
        io.stdout.flush()
        io.stderr.flush()
        return Result(code: code, stdout: io.stdout.text, stderr: io.stderr.text, stdoutBytes: io.stdout.captured)
    }
}

extension Harness.Result {
    /// The ids printed by `list -q` (or `open -q`), one a line.
    var ids: Set<Int> { Set(stdout.split(separator: "\n").compactMap { Int($0) }) }
    /// The ids of a JSON array of tickets (list --json, export).
    func jsonIDs() -> Set<Int> {
        guard let array = try? jsonArray() else { return [] }
        return Set(array.compactMap { $0["id"] as? Int })
    }
}

/// A string of `count` copies of `unit`.
func repeated(_ unit: String, _ count: Int) -> String { String(repeating: unit, count: count) }

/// Text with a readable name in test output (long or invisible inputs).
struct Labeled<Value: Sendable>: Sendable, CustomTestStringConvertible {
    let label: String
    let value: Value
    init(_ label: String, _ value: Value) {
        self.label = label
        self.value = value
    }
    var testDescription: String { label }
}

/// The built binary through /bin/sh, with `BIN` set to its path and `DIR` to `dir`.
enum Shell {
    static func run(_ script: String, env: [String: String], dir: String) throws -> BuiltBinary.Output {
        var e = env
        e["BIN"] = BuiltBinary.path
        e["DIR"] = dir
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = e
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        // stderr goes to a file: a large stderr must not block the child while stdout is read.
        let errPath = dir + "/.shell-stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let out = Pipe()
        p.standardOutput = out
        p.standardError = errHandle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try? errHandle.close()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return BuiltBinary.Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                  stderr: String(decoding: errData, as: UTF8.self))
    }
}
