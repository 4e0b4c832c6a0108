import Foundation
import Testing

/// Running the real shells and tools the shell-integration tests need. A tool that is
/// missing skips its tests on a workstation but fails them under CI (`.ci/run`
/// installs mandoc, zsh and fish), so CI cannot pass by skipping.
enum ShellSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let underCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static func find(_ tool: String) -> String? {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
            return "\(dir)/\(tool)"
        }
        return nil
    }

    /// For `.enabled(if:)`: run when the tool is there, and always under CI.
    static func runs(_ tool: String) -> Bool { underCI || find(tool) != nil }

    /// The tool's path, or a recorded failure naming what to install.
    static func require(_ tool: String) throws -> String {
        try #require(find(tool), "\(tool) is not installed; .ci/run installs it (apt-get install \(tool))")
    }

    struct Output {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a program with exactly `env`, the built `tickets` first on PATH.
    static func run(_ program: String, _ args: [String], env: [String: String], stdin: String = "") throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        var env = env
        env["PATH"] = URL(fileURLWithPath: BuiltBinary.path).deletingLastPathComponent().path + ":/usr/bin:/bin"
        p.environment = env
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        TestProcess.ignoreBrokenPipes()
        try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}
