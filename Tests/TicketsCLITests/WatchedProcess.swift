import Foundation
import Glibc
import Testing

/// The built binary under a watchdog: killed with SIGKILL past `timeout` (which the caller
/// then fails), its peak resident memory read while it runs from /proc/<pid>/status
/// (VmHWM, the high-water mark of its own address space since exec). Not ru_maxrss: a
/// child spawned from the test runner inherits the runner's peak in it (see
/// ExportMemoryTests). The last few milliseconds before exit can escape a poll, so the
/// figure is a lower bound of the true peak, read every 2 ms.
enum Watched {
    struct Outcome: CustomStringConvertible {
        let code: Int32
        /// The signal that ended the process, if one did.
        let signal: Int32?
        let killedByWatchdog: Bool
        let seconds: Double
        let peakKiB: Int
        let stdout: String
        let stderr: String

        var description: String {
            "exit \(code)\(signal.map { " signal \($0)" } ?? "")\(killedByWatchdog ? " (killed by the watchdog)" : ""), "
                + "\(String(format: "%.2f", seconds)) s, peak \(peakKiB) KiB, stderr: \(stderr)"
        }
    }

    /// `stdin`: a file handle to read from (nil: /dev/null). `started` runs once the child exists.
    static func run(_ args: [String], env: [String: String], stdin: FileHandle? = nil, timeout: Double = 20,
                    started: ((pid_t) -> Void)? = nil) throws -> Outcome {
        let dir = NSTemporaryDirectory() + "tickets-watched-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltBinary.path)
        p.arguments = args
        p.environment = env
        p.standardInput = stdin ?? FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        TestProcess.ignoreBrokenPipes()
        let start = Date()
        try p.run()
        let pid = p.processIdentifier
        started?(pid)
        var peak = 0
        var killed = false
        while p.isRunning {
            peak = max(peak, highWaterKiB(pid))
            if !killed && Date().timeIntervalSince(start) > timeout {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(2_000)
        }
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        try? out.close()
        try? err.close()
        let signal = p.terminationReason == .uncaughtSignal ? p.terminationStatus : nil
        return Outcome(code: p.terminationStatus, signal: signal, killedByWatchdog: killed, seconds: seconds, peakKiB: peak,
                       stdout: String(decoding: FileManager.default.contents(atPath: dir + "/out") ?? Data(), as: UTF8.self),
                       stderr: String(decoding: FileManager.default.contents(atPath: dir + "/err") ?? Data(), as: UTF8.self))
    }

    /// VmHWM of a live process in KiB (0 once it is a zombie or gone).
    static func highWaterKiB(_ pid: pid_t) -> Int {
        let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        let n = read(fd, &bytes, bytes.count)
        guard n > 0 else { return 0 }
        let text = String(decoding: bytes[..<n], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? 0
    }
}
