import Foundation
import Glibc

/// A private folder of small shell scripts standing in for sendmail and hooks.
final class ChildScripts {
    let dir: String

    init() {
        dir = NSTemporaryDirectory() + "tickets-child-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes `dir/name` with a `#!/bin/sh` line and `mode`; returns its path.
    ///
    /// Written through a close-on-exec descriptor: tests run in parallel, and a child
    /// another test spawns while this file is open for writing would otherwise inherit
    /// the descriptor, and running the script would fail with ETXTBSY.
    @discardableResult
    func script(_ name: String, _ body: String, mode: mode_t = 0o755) -> String {
        file(name, "#!/bin/sh\n" + body + "\n", mode: mode)
    }

    /// Writes `dir/name` as it is, the same way.
    @discardableResult
    func file(_ name: String, _ text: String, mode: mode_t) -> String {
        let path = dir + "/" + name
        let bytes = Array(text.utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        precondition(fd >= 0, "cannot write \(path)")
        precondition(write(fd, bytes, bytes.count) == bytes.count)
        close(fd)
        chmod(path, mode)
        return path
    }

    func read(_ name: String) -> [UInt8] {
        FileManager.default.contents(atPath: dir + "/" + name).map { [UInt8]($0) } ?? []
    }

    func text(_ name: String) -> String { String(decoding: read(name), as: UTF8.self) }

    /// The environment children get: a plain PATH and the folder as $DIR.
    var environment: [String: String] { ["PATH": "/usr/bin:/bin", "DIR": dir] }

    /// Whether the process is gone: no such process, or a zombie nobody reaped yet
    /// (a container's init may not reap orphans).
    static func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }

    /// Waits up to `seconds` for `pid` to be gone.
    static func waitGone(_ pid: pid_t, seconds: Double = 5) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if isGone(pid) { return true }
            usleep(10_000)
        }
        return isGone(pid)
    }
}
