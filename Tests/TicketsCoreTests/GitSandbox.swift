import Foundation
import Testing

/// A throwaway world for one git config case: a HOME, an isolated system file path, repos
/// made by the real git, and the environment and folder `git config` runs with.
final class GitSandbox {
    /// Physical (no symlink in it), as getcwd(3) would give it.
    let root: String
    /// Exactly the environment both git and GitConfig see: no GIT_* from the test process.
    var env: [String: String]
    var cwd: String

    static let gitPath: String? = ["/usr/bin/git", "/bin/git", "/usr/local/bin/git"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let underCI = ProcessInfo.processInfo.environment["CI"] == "true"
    /// For `.enabled(if:)`: run when git is there, and always under CI (where a missing
    /// git then fails the test instead of skipping it).
    static var runs: Bool { underCI || gitPath != nil }

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath().path
        root = base + "/tickets-gitconfig-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        env = ["HOME": root + "/home", "GIT_CONFIG_SYSTEM": root + "/etc/gitconfig",
               "PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        cwd = root
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ rel: String) -> String { rel.hasPrefix("/") ? rel : rel.isEmpty ? root : root + "/" + rel }

    func write(_ rel: String, _ text: String) throws { try write(rel, bytes: Array(text.utf8)) }

    func write(_ rel: String, bytes: [UInt8]) throws {
        let p = path(rel)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
    }

    func mkdir(_ rel: String) throws {
        try FileManager.default.createDirectory(atPath: path(rel), withIntermediateDirectories: true)
    }

    func symlink(_ rel: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(rel), withDestinationPath: target)
    }

    /// Runs git for building fixtures, with no configuration of its own.
    @discardableResult
    func git(_ args: String..., in rel: String = "") throws -> String {
        let out = try run(GitSandbox.gitPath ?? "/usr/bin/git", args,
                          env: ["HOME": root, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
                                "PATH": "/usr/bin:/bin", "LC_ALL": "C"], in: path(rel))
        guard out.code == 0 else { throw SandboxError(message: "git \(args.joined(separator: " ")): \(out.stderr)") }
        return out.stdout
    }

    /// A repository with branch main at `rel`, with one commit if asked (worktrees need one).
    func initRepo(_ rel: String, commit: Bool = false) throws {
        try mkdir(rel)
        try git("init", "-q", "-b", "main", in: rel)
        if commit {
            try git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init", in: rel)
        }
    }

    struct Output {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    struct SandboxError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func run(_ program: String, _ args: [String], env: [String: String], in dir: String) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// `git config <key>` as the user would run it here.
    func gitConfig(_ key: String) throws -> Output {
        try run(GitSandbox.gitPath ?? "/usr/bin/git", ["config", key], env: env, in: cwd)
    }
}
