import Glibc
import TicketsCore

/// `-a FILE` on `open` and `reply`. Every file is read and checked before the store is
/// opened: a refused file stores nothing (no ticket, no reply), and no file is ever read
/// while the database is locked. The rules are `AttachmentPolicy`'s; this is the I/O.
enum AttachmentLoader {
    static func load(_ files: [Argument], inv: Invocation) throws(TicketsError) -> [NewAttachment] {
        if files.isEmpty { return [] }
        let policy = AttachmentPolicy(try inv.config())
        var names = [String]()
        for f in files {
            let (name, repaired) = try AttachmentPolicy.storedName(fromPath: f.raw)
            if repaired { inv.warn("the name of \(f.text) is not valid UTF-8; it is stored with U+FFFD in place of the bad bytes") }
            names.append(name)
        }
        try policy.checkNames(names)
        var out = [NewAttachment]()
        for (f, name) in zip(files, names) {
            out.append(try policy.accept(name: name, bytes: try read(f, policy: policy)))
        }
        return out
    }

    /// Opens with O_NONBLOCK (a plain open of a FIFO waits for a writer forever), refuses
    /// anything but a regular file, reads at most a little past the limit, and compares
    /// `fstat` before and after. A symlink given on the command line is followed, as `cat`
    /// would; the name stored is the one typed.
    static func read(_ f: Argument, policy: AttachmentPolicy) throws(TicketsError) -> [UInt8] {
        let path = f.text
        let fd = f.cPath.withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard fd >= 0 else {
            let e = errno
            switch e {
            case ENOENT, ENOTDIR: throw .notFound("cannot attach \(path): no such file")
            case EACCES: throw .notPermitted("cannot attach \(path): permission denied")
            case ENXIO: throw .invalid("cannot attach \(path): it is a socket, not a regular file")
            default: throw .io("cannot attach \(path): \(String(cString: strerror(e)))")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io("cannot attach \(path): \(String(cString: strerror(errno)))") }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFREG else {
            throw .invalid("cannot attach \(path): it is \(describe(kind)), not a regular file")
        }
        let before = stamp(st)
        let bytes = try FileSystem.readAll(fd: fd, name: path, limit: policy.maxSize)
        guard fstat(fd, &st) == 0 else { throw .io("cannot attach \(path): \(String(cString: strerror(errno)))") }
        if policy.changedWhileRead(before: before, after: stamp(st), bytesRead: bytes.count) {
            throw .invalid("cannot attach \(path): it changed while it was being read; attach it again once it is complete")
        }
        return bytes
    }

    static func stamp(_ st: stat) -> AttachmentPolicy.FileStamp {
        AttachmentPolicy.FileStamp(size: Int64(st.st_size), modifiedSeconds: Int64(st.st_mtim.tv_sec),
                                   modifiedNanoseconds: Int64(st.st_mtim.tv_nsec))
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "a folder"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}

extension Argument {
    /// The raw argv bytes as a C path: any name the file system allows, valid UTF-8 or not.
    var cPath: [CChar] { raw.map { CChar(bitPattern: $0) } + [0] }
}
