import Glibc
import TicketsCore

/// `-o PATH` (SPEC §8), by what the path is, never by its name alone:
/// - `-`, and the paths that name a descriptor the shell already opened (`/dev/stdout`,
///   `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, so `-o >(gzip > x.gz)` works), are
///   written through that descriptor, keeping its offset and append mode;
/// - a FIFO or a character device (`/dev/null`, a named pipe) is written into, with or
///   without `--force`, never replaced or renamed over;
/// - a regular file (through symlinks) is replaced only with `--force`, atomically: a
///   temporary file beside it, then a rename over the file the link points to (the link
///   stays), with the replaced file's permission bits;
/// - a missing file is created (0600 under the umask) through a temporary file and
///   `link`, so it is never half-written and never replaces one that appeared meanwhile;
/// - anything else (a folder, a socket, a block device, a dangling symlink) is refused (73).
final class OutputTarget {
    enum Kind {
        /// The command's own standard output.
        case stdout
        /// A descriptor written in place (devices, FIFOs, shell-opened descriptors).
        case stream(fd: Int32)
        /// A temporary file to move into place at the end.
        case file(fd: Int32, temp: String, destination: String, replace: Bool)
    }

    let shown: String
    let kind: Kind
    let stream: OutputStream
    /// Set once committed or discarded: the descriptor is closed, the temporary file gone.
    private var finished = false

    private init(shown: String, kind: Kind, stream: OutputStream) {
        self.shown = shown
        self.kind = kind
        self.stream = stream
    }

    static func open(_ arg: Argument, force: Bool, stdout: OutputStream) throws(TicketsError) -> OutputTarget {
        let shown = arg.text
        if arg.raw == Array("-".utf8) { return OutputTarget(shown: "standard output", kind: .stdout, stream: stdout) }
        if let fd = descriptor(named: arg.text) {
            if fd == 1 { return OutputTarget(shown: shown, kind: .stdout, stream: stdout) }
            let copy = dup(fd)
            guard copy >= 0 else { throw .cannotCreate("cannot write to \(shown): descriptor \(fd) is not open") }
            _ = fcntl(copy, F_SETFD, FD_CLOEXEC)
            return OutputTarget(shown: shown, kind: .stream(fd: copy), stream: OutputStream(fd: copy))
        }
        let path = arg.cPath
        var st = stat()
        let found = path.withUnsafeBufferPointer { stat($0.baseAddress!, &st) } == 0
        let statError = errno
        if found {
            switch st.st_mode & S_IFMT {
            case S_IFIFO, S_IFCHR:
                // O_NOCTTY: writing to a terminal device must not make it ours.
                let fd = path.withUnsafeBufferPointer { Glibc.open($0.baseAddress!, O_WRONLY | O_NOCTTY | O_CLOEXEC) }
                guard fd >= 0 else { throw .cannotCreate("cannot write to \(shown): \(String(cString: strerror(errno)))") }
                return OutputTarget(shown: shown, kind: .stream(fd: fd), stream: OutputStream(fd: fd))
            case S_IFREG:
                guard force else { throw .cannotCreate("\(shown) already exists; pass --force to replace it") }
                let destination = resolved(arg)
                return try temporary(beside: destination, shown: shown, replace: true, mode: mode_t(st.st_mode & 0o7777))
            case S_IFDIR: throw .cannotCreate("cannot write to \(shown): it is a folder; name a file in it")
            default: throw .cannotCreate("cannot write to \(shown): it is a socket or block device, not a file, FIFO or character device")
            }
        }
        var lst = stat()
        if path.withUnsafeBufferPointer({ lstat($0.baseAddress!, &lst) }) == 0 {
            throw .cannotCreate("cannot write to \(shown): it is a symbolic link to a file that does not exist")
        }
        guard statError == ENOENT else {
            throw .cannotCreate("cannot write to \(shown): \(String(cString: strerror(statError)))")
        }
        return try temporary(beside: arg, shown: shown, replace: false, mode: 0o600)
    }

    /// The descriptor a path names by its form alone (Linux's /dev/fd is /proc/self/fd).
    static func descriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                let digits = path.dropFirst(prefix.count)
                if !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let n = Int32(digits), n >= 0 { return n }
            }
            return nil
        }
    }

    /// The file a symlink leads to, so `--force` replaces the file and keeps the link.
    static func resolved(_ arg: Argument) -> Argument {
        guard let p = arg.cPath.withUnsafeBufferPointer({ realpath($0.baseAddress!, nil) }) else { return arg }
        defer { free(p) }
        return Argument(raw: Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))))
    }

    private static func temporary(beside destination: Argument, shown: String, replace: Bool, mode: mode_t) throws(TicketsError) -> OutputTarget {
        let dest = destination.text
        let dir = FileSystem.dirname(of: dest)
        guard FileSystem.isDirectory(dir) else { throw .cannotCreate("cannot create \(shown): no folder \(dir)") }
        let temp = "\(dest).tmp-\(getpid())"
        let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .cannotCreate("cannot create \(shown): \(String(cString: strerror(errno)))") }
        if replace { _ = fchmod(fd, mode) }
        return OutputTarget(shown: shown, kind: .file(fd: fd, temp: temp, destination: dest, replace: replace),
                            stream: OutputStream(fd: fd))
    }

    /// Makes the output final: flushed, synced and moved into place for a file. A reader
    /// that went away (EPIPE) is not an error: the command stops quietly, as `| head` wants.
    func commit() throws(TicketsError) {
        stream.flush()
        guard !finished else { return }
        finished = true
        switch kind {
        case .stdout:
            return
        case .stream(let fd):
            defer { close(fd) }
            if stream.failed != 0 && stream.failed != EPIPE {
                throw .io("cannot write to \(shown): \(String(cString: strerror(stream.failed)))")
            }
        case .file(let fd, let temp, let destination, let replace):
            if stream.failed != 0 || fsync(fd) != 0 {
                let e = stream.failed != 0 ? stream.failed : errno
                close(fd)
                unlink(temp)
                throw .io("cannot write \(shown): \(String(cString: strerror(e)))")
            }
            close(fd)
            if replace {
                guard rename(temp, destination) == 0 else {
                    let e = errno
                    unlink(temp)
                    throw .cannotCreate("cannot replace \(shown): \(String(cString: strerror(e)))")
                }
            } else {
                // link() fails if the name appeared meanwhile: never replace a file without --force.
                let rc = link(temp, destination)
                let e = errno
                unlink(temp)
                guard rc == 0 else {
                    throw .cannotCreate(e == EEXIST ? "\(shown) already exists; pass --force to replace it"
                                                    : "cannot create \(shown): \(String(cString: strerror(e)))")
                }
            }
        }
    }

    /// Leaves nothing behind after a failure: the temporary file goes, the destination is untouched.
    func discard() {
        guard !finished else { return }
        finished = true
        switch kind {
        case .stdout: break
        case .stream(let fd): close(fd)
        case .file(let fd, let temp, _, _):
            close(fd)
            unlink(temp)
        }
    }
}
