import Glibc
import TicketsCore

/// A byte sink with a buffer: output is built as bytes and written in large chunks,
/// never through `print` and never one `String` per character.
public final class OutputStream {
    private var buffer: [UInt8] = []
    private let fd: Int32?
    /// What a capturing stream (tests) has received.
    public private(set) var captured: [UInt8] = []
    /// Set when a write to the real descriptor failed (EPIPE, ENOSPC, …).
    public private(set) var failed: Int32 = 0

    /// Writes to a file descriptor.
    /// Diagnostics go out line by line, so they interleave with a pager or a log as they happen.
    private var flushEachLine = false

    public init(fd: Int32, flushEachLine: Bool = false) {
        self.fd = fd
        self.flushEachLine = flushEachLine
        buffer.reserveCapacity(1 << 16)
    }

    /// Captures everything, for tests.
    public init() { fd = nil }

    public var text: String { String(decoding: captured, as: UTF8.self) }

    public func write(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 || (flushEachLine && buffer.last == 0x0A) { flush() }
    }

    public func write(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func write(byte: UInt8) {
        buffer.append(byte)
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        guard let fd else {
            captured.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        if failed == 0 {
            do {
                try FileSystem.writeAll(fd: fd, buffer, name: "output")
            } catch {
                failed = errno == 0 ? EIO : errno
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The streams and terminal facts a command sees. Tests build one with captured
/// output, a given standard input, and the terminal switched on or off.
public final class TerminalIO {
    public let stdout: OutputStream
    public let stderr: OutputStream
    public var stdinIsTerminal: Bool
    public var stdoutIsTerminal: Bool
    /// Columns of the terminal when stdout is one; `COLUMNS` overrides it.
    public var terminalColumns: Int?
    private let readStdin: () throws(TicketsError) -> [UInt8]
    private var stdinConsumed = false
    /// The real standard input's descriptor, for streaming it (`import -`); nil in tests,
    /// which give their standard input as bytes.
    var stdinFD: Int32?
    /// One line typed at the terminal (a confirmation), nil at end of input.
    let readAnswer: () -> String?

    public init(stdout: OutputStream, stderr: OutputStream, stdinIsTerminal: Bool, stdoutIsTerminal: Bool,
                terminalColumns: Int?, readStdin: @escaping () throws(TicketsError) -> [UInt8],
                readAnswer: @escaping () -> String? = { nil }) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdinIsTerminal = stdinIsTerminal
        self.stdoutIsTerminal = stdoutIsTerminal
        self.terminalColumns = terminalColumns
        self.readStdin = readStdin
        self.readAnswer = readAnswer
    }

    /// Captured output, no terminal, the given bytes on standard input.
    public static func test(stdin: [UInt8] = [], terminal: Bool = false, columns: Int? = nil) -> TerminalIO {
        // Answers are the lines of `stdin`, one per question, as a person types them.
        var unanswered = stdin[...]
        return TerminalIO(stdout: OutputStream(), stderr: OutputStream(), stdinIsTerminal: terminal,
                          stdoutIsTerminal: terminal, terminalColumns: columns, readStdin: { stdin },
                          readAnswer: {
                              guard !unanswered.isEmpty else { return nil }
                              let line = unanswered.prefix { $0 != 0x0A }
                              unanswered = unanswered.dropFirst(line.count + 1)
                              return String(decoding: line, as: UTF8.self)
                          })
    }

    /// The process's real streams.
    public static func real() -> TerminalIO {
        var ws = winsize()
        let isTTY = isatty(1) == 1
        let columns = isTTY && ioctl(1, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 ? Int(ws.ws_col) : nil
        let io = TerminalIO(stdout: OutputStream(fd: 1), stderr: OutputStream(fd: 2, flushEachLine: true), stdinIsTerminal: isatty(0) == 1,
                            stdoutIsTerminal: isTTY, terminalColumns: columns,
                            readStdin: { () throws(TicketsError) in try FileSystem.readAll(fd: 0, name: "standard input") },
                            readAnswer: readTerminalLine)
        io.stdinFD = 0
        return io
    }

    /// A byte at a time up to the newline: reading more would swallow what the user
    /// types after the answer.
    private static func readTerminalLine() -> String? {
        var line = [UInt8]()
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Standard input, read once: only where `-` names it.
    public func standardInput() throws(TicketsError) -> [UInt8] {
        guard !stdinConsumed else { throw .usage("standard input can be read only once ('-' given twice)") }
        stdinConsumed = true
        return try readStdin()
    }

    /// Standard input as a stream, read once, without holding it all (`import -`).
    public func standardInputSource() throws(TicketsError) -> any ByteSource {
        guard !stdinConsumed else { throw .usage("standard input can be read only once ('-' given twice)") }
        stdinConsumed = true
        if let fd = stdinFD { return FileDescriptorSource(fd: fd, name: "standard input") }
        return MemorySource(try readStdin())
    }
}
