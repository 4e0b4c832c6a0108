import Glibc
import TicketsCore

/// What `--db` names, checked before SQLite touches anything (SPEC §8): SQLite would
/// happily open a device and create a world-writable `-journal` beside it, read a
/// database behind an unreadable folder as empty, or report a dangling link as read-only.
enum DatabaseFile {
    enum State { case missing, regular }

    /// `.regular` for an existing regular file (through symlinks), `.missing` for a path
    /// that does not exist yet in a folder that can be entered (or does not exist either).
    /// Throws 64 for an empty path, 78 for a folder, FIFO, device, socket or dangling
    /// symlink, 77 when permissions keep us from looking.
    static func check(_ path: String) throws(TicketsError) -> State {
        guard !path.isEmpty else { throw .usage("the database path is empty; give --db a file name") }
        var st = stat()
        if lstat(path, &st) != 0 {
            let e = errno
            switch e {
            case ENOENT:
                // Missing: fine if its folder can be entered (or is missing: created on write).
                let dir = FileSystem.dirname(of: path)
                var dst = stat()
                if stat(dir, &dst) != 0 {
                    let de = errno
                    if de == ENOENT { return .missing }
                    if de == EACCES { throw denied(path) }
                    throw .config("the database \(path) cannot be used: its folder \(dir) \(String(cString: strerror(de)))")
                }
                guard dst.st_mode & S_IFMT == S_IFDIR else {
                    throw .config("the database \(path) cannot be used: \(dir) is not a folder")
                }
                return .missing
            case EACCES: throw denied(path)
            case ENOTDIR: throw .config("the database \(path) cannot be used: a part of the path is not a folder")
            default: throw .io("cannot look at the database \(path): \(String(cString: strerror(e)))")
            }
        }
        if st.st_mode & S_IFMT == S_IFLNK {
            if stat(path, &st) != 0 {
                let e = errno
                if e == EACCES { throw denied(path) }
                throw .config("the database \(path) is a symbolic link to \(linkTarget(path)), which does not exist; create that file or point --db at another path")
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            if access(path, R_OK) != 0 {
                throw .notPermitted("cannot read the database \(path): permission denied; it belongs to uid \(st.st_uid) with mode \(String(st.st_mode & 0o7777, radix: 8))")
            }
            return .regular
        case S_IFDIR: throw .config("the database \(path) is a folder; --db names a file, such as \(path == "/" ? "" : path)/tickets.db")
        case S_IFIFO: throw .config("the database \(path) is a named pipe (FIFO), not a database file; pass another --db")
        case S_IFCHR, S_IFBLK: throw .config("the database \(path) is a device, not a database file; pass another --db")
        case S_IFSOCK: throw .config("the database \(path) is a socket, not a database file; pass another --db")
        default: throw .config("the database \(path) is not a regular file; pass another --db")
        }
    }

    private static func denied(_ path: String) -> TicketsError {
        .notPermitted("cannot reach the database \(path): permission denied on its folder (\(FileSystem.dirname(of: path))); it is never read as empty")
    }

    private static func linkTarget(_ path: String) -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buf, buf.count - 1)
        guard n > 0 else { return "a missing file" }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
