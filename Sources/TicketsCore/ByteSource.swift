import Glibc

/// Where a streaming reader (`JSONReader`) gets its input: a file, a pipe, memory.
public protocol ByteSource {
    /// Copies the next bytes of the input into the start of `buffer` (never empty) and
    /// returns how many; 0 means the end of the input. A source may return fewer bytes
    /// than there is room for, as a pipe does.
    /// - Throws: `TicketsError`, `.io` for a failed read, with a message naming the input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TicketsError) -> Int
}

/// An open file descriptor, read with read(2). The caller opens and closes it: a file,
/// a pipe, standard input (fd 0), a device.
public struct FileDescriptorSource: ByteSource {
    public let fd: Int32
    /// The input as the user knows it ("export.json", "standard input"), for error messages.
    public let name: String

    public init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TicketsError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            let e = errno
            // A signal (SIGWINCH, SIGCHLD) interrupted the read; nothing was lost.
            if e == EINTR { continue }
            throw .io("\(name): \(String(cString: strerror(e)))")
        }
    }
}

/// Bytes already in memory: small inputs and tests.
public struct MemorySource: ByteSource, Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(TicketsError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
