import Glibc
import TicketsCore

/// `tickets-pg`, the companion that serves a `postgres://` database (SPEC §9), the way
/// git runs `git-remote-https`: the static `tickets` keeps its ~1 ms start-up for SQLite
/// (libpq cannot be linked statically on Debian, and linking it dynamically would cost
/// every command milliseconds), and replaces itself with `tickets-pg` from its own folder,
/// same arguments, same environment, same descriptors, when the database is a server.
enum Companion {
    static let name = "tickets-pg"

    /// Every command but help and the completion script may open the database.
    static func needsStore(_ command: CommandSpec) -> Bool {
        !["help", "completion"].contains(command.name)
    }

    /// Replaces this process with tickets-pg; returns only by throwing.
    static func exec(_ arguments: [Argument]) throws(TicketsError) -> Never {
        let path = directory() + "/" + name
        let argv: [UnsafeMutablePointer<CChar>?] = ([Array(name.utf8)] + arguments.map(\.raw)).map { bytes in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
            p[bytes.count] = 0
            return p
        } + [nil]
        execv(path, argv)
        let e = errno
        if e == ENOENT { throw missing() }
        throw .io("cannot run \(path): \(String(cString: strerror(e)))")
    }

    /// Where this executable is (`/proc/self/exe`), so tickets finds its companion wherever both were installed.
    static func directory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return "." }
        return FileSystem.dirname(of: String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    static func missing() -> TicketsError {
        .config("this tickets has no PostgreSQL support: \(name) is not installed beside it (\(directory())); on a machine with libpq-dev (apt-get install libpq-dev), build with swift build -c release and install .build/release/\(name) next to tickets")
    }
}
