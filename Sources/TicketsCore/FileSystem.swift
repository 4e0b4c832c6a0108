import Glibc

/// Small POSIX file helpers; Foundation's would cost start-up time on every command.
public enum FileSystem {
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether this process may write there (EROFS, an immutable file, permissions).
    public static func isWritable(_ path: String) -> Bool {
        access(path, W_OK) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Reads a whole regular file or stream. `limit` bounds what is read (the caller
    /// gets limit+1 bytes at most, so it can tell "too large" from "exactly the limit").
    public static func read(path: String, limit: Int = Int.max) throws(TicketsError) -> [UInt8] {
        try read(rawPath: Array(path.utf8), limit: limit)
    }

    /// The same for a path given as raw bytes (from argv), so any name the file system
    /// allows can be read, valid UTF-8 or not.
    public static func read(rawPath: [UInt8], limit: Int = Int.max) throws(TicketsError) -> [UInt8] {
        let fd = try openForReading(rawPath: rawPath)
        defer { close(fd) }
        return try readAll(fd: fd, name: String(decoding: rawPath, as: UTF8.self), limit: limit)
    }

    /// Opens a file or stream for reading, with blocking reads, for a `FileDescriptorSource`;
    /// the caller closes it. A missing file is `.notFound`, a folder `.invalid`.
    public static func openForReading(rawPath: [UInt8]) throws(TicketsError) -> Int32 {
        let path = String(decoding: rawPath, as: UTF8.self)
        let cPath = rawPath.map { CChar(bitPattern: $0) } + [0]
        let fd = open(cPath, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw .notFound("\(path): no such file") }
            if e == EACCES { throw .notPermitted("\(path): permission denied") }
            throw .io("\(path): \(String(cString: strerror(e)))")
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .invalid("\(path) is a directory, not a file")
        }
        if (st.st_mode & S_IFMT) == S_IFIFO {
            // A FIFO opened without blocking reads as empty until a writer comes: open it
            // again the blocking way, which waits for the writer as `cat` does.
            close(fd)
            let blocking = open(cPath, O_RDONLY | O_CLOEXEC)
            guard blocking >= 0 else { throw .io("\(path): \(String(cString: strerror(errno)))") }
            return blocking
        }
        // O_NONBLOCK only guarded the open against a device that waits; read blocking.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    public static func readAll(fd: Int32, name: String, limit: Int = Int.max) throws(TicketsError) -> [UInt8] {
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while out.count <= limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("\(name): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// `mkdir -p` with the given mode for the folders it creates.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(TicketsError) {
        if path.isEmpty || isDirectory(path) { return }
        let parent = dirname(of: path)
        if parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw .cannotCreate("cannot create the folder \(path): \(String(cString: strerror(errno)))")
        }
        _ = chmod(path, mode)
    }

    /// A regular file this process may execute (what a shell's PATH search accepts).
    public static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// fsync of a file or a folder (a new name is durable once its folder is synced).
    /// A folder that cannot be opened or synced (some file systems refuse) is not an error.
    public static func sync(path: String) throws(TicketsError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if isDirectory(path) { return }
            throw .io("cannot open \(path) to sync it: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        if fsync(fd) != 0 && !isDirectory(path) {
            throw .io("cannot write \(path) to disk: \(String(cString: strerror(errno)))")
        }
    }

    public static func dirname(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Writes a new file (never replacing one) with mode 0600.
    public static func createExclusive(_ path: String, bytes: [UInt8]) throws(TicketsError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw .cannotCreate("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        try writeAll(fd: fd, bytes, name: path)
    }

    public static func writeAll(fd: Int32, _ bytes: [UInt8], name: String) throws(TicketsError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                if e == ENOSPC { throw .io("\(name): the disk is full") }
                throw .io("\(name): \(String(cString: strerror(e)))")
            }
            offset += n
        }
    }
}
