import Glibc

/// The few system calls the git config reader makes, on paths kept as bytes: git's paths
/// are C strings, and a path read from a config file need not be valid UTF-8.
enum GitFiles {
    /// What opening and reading a file gave: `missing` is ENOENT or ENOTDIR (git skips such
    /// files silently), `denied` is EACCES; other errors of open(2) and of read(2) (EISDIR
    /// from a folder) are told apart, as git's access(2) check comes before its fopen(3).
    enum Read {
        case bytes([UInt8])
        case missing
        case denied
        case openFailed(Int32)
        case readFailed(Int32)
    }

    /// Calls `body` with `path` as a NUL-terminated C string built on the stack.
    static func withCPath<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: path.count + 1) { buf in
            for i in 0..<path.count { buf[i] = CChar(bitPattern: path[i]) }
            buf[path.count] = 0
            return body(UnsafePointer(buf.baseAddress!))
        }
    }

    /// The largest config file read. git reads up to 2 GiB (and stops with an error beyond);
    /// a tickets command will not spend that memory on its identity, so a larger file is
    /// an error here (`.readFailed(EFBIG)`), which the reader treats as git's.
    static let sizeLimit = 64 << 20

    /// The whole file: one open, reads until end of file, one close. No stat first, so a
    /// missing file costs one failed open and nothing else.
    static func read(_ path: [UInt8], limit: Int = sizeLimit) -> Read {
        let fd = withCPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            let e = errno
            if e == ENOENT || e == ENOTDIR { return .missing }
            return e == EACCES ? .denied : .openFailed(e)
        }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while true {
            if count == out.count {
                if count > limit { return .readFailed(EFBIG) }
                out.append(contentsOf: repeatElement(0, count: min(out.count, limit + 1 - out.count)))
            }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .readFailed(errno)
            }
            if n == 0 { break }
            count += n
        }
        out.removeSubrange(count...)
        return .bytes(out)
    }

    /// lstat(2); nil with errno set on failure.
    static func linkStatus(_ path: [UInt8]) -> stat? {
        var st = stat()
        return withCPath(path) { lstat($0, &st) } == 0 ? st : nil
    }

    /// stat(2); nil with errno set on failure.
    static func fileStatus(_ path: [UInt8]) -> stat? {
        var st = stat()
        return withCPath(path) { stat($0, &st) } == 0 ? st : nil
    }

    /// access(2) with its errno, 0 when allowed.
    static func access(_ path: [UInt8], _ mode: Int32) -> Int32 {
        withCPath(path) { Glibc.access($0, mode) } == 0 ? 0 : errno
    }

    static func readlink(_ path: [UInt8]) -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let n = withCPath(path) { p in buf.withUnsafeMutableBytes { Glibc.readlink(p, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) } }
        guard n >= 0 else { return nil }
        return Array(buf[0..<n])
    }

    /// The physical current directory, as git's strbuf_getcwd() gives it.
    static func currentDirectory() -> String? {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buf, buf.count) != nil else { return nil }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }
    static func isRegular(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFREG }
    static func isSymlink(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFLNK }
}
