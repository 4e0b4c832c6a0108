import Glibc
import TicketsCore
import TicketsSQLite

/// The command layer: argv, environment and streams in; output and an exit code out.
/// Single-threaded by design: one command, one connection, one flow.
public enum TicketsCLI {
    public static let version = "0.2.0"

    /// Opens a `postgres://` database: linked into `tickets-pg` (and the tests), absent
    /// from the static `tickets`, which runs `tickets-pg` instead (`Companion`).
    public typealias ServerOpener = (_ uri: String, _ access: StoreAccess, _ environment: [String: String]) throws(TicketsError) -> any TicketStore

    /// What the one binary knows besides SQLite: the server store and its library's
    /// version for `--version`.
    public struct Server: Sendable {
        public let open: @Sendable (_ uri: String, _ access: StoreAccess, _ environment: [String: String]) throws(TicketsError) -> any TicketStore
        public let about: String
        public init(open: @escaping @Sendable (_ uri: String, _ access: StoreAccess, _ environment: [String: String]) throws(TicketsError) -> any TicketStore,
                    about: String) {
            self.open = open
            self.about = about
        }
    }

    /// The real process: raw argv bytes (so any file name works), environ, real streams.
    public static func main(server: Server? = nil) -> Int32 {
        // A closed pipe (`tickets list | head`) should end us quietly, not kill us mid-write.
        signal(SIGPIPE, SIG_IGN)
        var args = [Argument]()
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            args.append(Argument(raw: Array(UnsafeBufferPointer(start: p, count: strlen(p))).map { UInt8(bitPattern: $0) }))
        }
        let (env, invalid) = environmentOfProcess()
        let io = TerminalIO.real()
        let code = run(args, environment: env, invalidUTF8: invalid, io: io, mayPage: true, server: server)
        io.stdout.flush()
        io.stderr.flush()
        return code
    }

    /// `environ` as a dictionary (every variable: hooks, `sendmail`, the editor and the
    /// pager inherit it) and the names whose value is not valid UTF-8. Split on bytes, with
    /// the dictionary sized once: a person's shell has 30-60 variables (LS_COLORS alone is
    /// over 1 KiB), and a Character-wise scan and repeated growth cost more than the rest
    /// of `tickets --version` (bench/NOTES.md).
    static func environmentOfProcess() -> (variables: [String: String], invalidUTF8: Set<String>) {
        var count = 0
        while environ[count] != nil { count += 1 }
        var variables = [String: String](minimumCapacity: count)
        var invalid = Set<String>()
        for i in 0..<count {
            guard let p = environ[i] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
            guard let eq = bytes.firstIndex(of: 0x3D) else { continue }  // '='
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<eq]), as: UTF8.self)
            let valueBytes = UnsafeBufferPointer(rebasing: bytes[(eq + 1)...])
            let value = String(decoding: valueBytes, as: UTF8.self)
            variables[name] = value
            // Decoding can only have replaced something where a byte is not ASCII.
            if bytes.contains(where: { $0 >= 0x80 }),
               !name.utf8.elementsEqual(bytes[..<eq]) || !value.utf8.elementsEqual(valueBytes) {
                invalid.insert(name)
            }
        }
        return (variables, invalid)
    }

    public static func run(_ arguments: [String], environment: [String: String], io: TerminalIO,
                           server: Server? = nil) -> Int32 {
        let code = run(arguments.map(Argument.init), environment: environment, io: io, server: server)
        io.stdout.flush()
        io.stderr.flush()
        return code
    }

    /// `mayPage`: only the real process starts a pager; in-process runs never do.
    /// `observe` sees the finished invocation (tests inspect the store it opened).
    public static func run(_ arguments: [Argument], environment: [String: String], invalidUTF8: Set<String> = [],
                           io: TerminalIO, mayPage: Bool = false, server: Server? = nil,
                           observe: ((Invocation) -> Void)? = nil) -> Int32 {
        var inv: Invocation?
        defer { if let inv, let observe { observe(inv) } }
        do throws(TicketsError) {
            let parsed = try ParsedArguments.parse(arguments)
            let invocation = try Invocation(arguments: parsed, environment: environment, invalidUTF8: invalidUTF8, io: io,
                                            server: server)
            inv = invocation
            let code: Int32
            if parsed.has("version") && parsed.command == nil {
                io.stdout.write("tickets \(version) (SQLite \(SQLiteLibrary.version)\(server.map { ", " + $0.about } ?? ""))\n")
                code = ExitCode.success
            } else if let command = parsed.command, !parsed.has("help") {
                // A team's server: the static tickets hands the whole command to
                // tickets-pg before anything is read (standard input included).
                if server == nil, mayPage, Companion.needsStore(command), DatabaseLocation.isServer(try invocation.databasePath) {
                    try Companion.exec(arguments)
                }
                let pager = mayPage ? Pager.command(for: invocation).flatMap { Pager.start($0, environment: environment) } : nil
                defer {
                    if let pager {
                        io.stdout.flush()
                        Pager.finish(pager)
                    }
                }
                code = try command.handler(invocation)
            } else {
                io.stdout.write(parsed.command.map(HelpText.command) ?? HelpText.overview())
                code = ExitCode.success
            }
            // The output first, then the mail and the hooks, which may take a while.
            io.stdout.flush()
            AfterCommit.run(invocation)
            AfterCommit.report(invocation)
            try checkOutput(io, saved: invocation.saved)
            invocation.printFooters()
            return code
        } catch {
            // A command that failed after some of its changes committed (a bulk close)
            // still tells the people on those tickets.
            if let inv {
                AfterCommit.run(inv)
                AfterCommit.report(inv)
            }
            return report(error, inv: inv, arguments: arguments, io: io)
        }
    }

    /// Every command treats its standard output the same way (SPEC §7): a reader that
    /// went away (`| head`) ends us quietly; any other failure (a full disk, /dev/full) is
    /// an error, which names what was already committed, so that a CI step that retries
    /// does not file the same ticket twice.
    static func checkOutput(_ io: TerminalIO, saved: [String]) throws(TicketsError) {
        io.stdout.flush()
        let failed = io.stdout.failed
        guard failed != 0, failed != EPIPE else { return }
        let why = String(cString: strerror(failed))
        if saved.isEmpty { throw .io("cannot write the output: \(why)") }
        throw .io("\(saved.joined(separator: "; ")), but the output could not be written: \(why)")
    }

    /// Whether the (unparsable) command line asked for JSON, so even a usage error comes as JSON.
    static func wantsJSON(_ args: [String]) -> Bool {
        for (i, a) in args.enumerated() {
            if a == "--" { break }
            if a == "--json" || a == "--format=json" || a == "--format=ndjson" { return true }
            if a == "--format", i + 1 < args.count, args[i + 1] == "json" || args[i + 1] == "ndjson" { return true }
        }
        return false
    }

    /// The one place an error is printed: one line, or a JSON object with --format json,
    /// plus where a typed message was saved so that nothing the user wrote is lost.
    static func report(_ error: TicketsError, inv: Invocation?, arguments: [Argument], io: TerminalIO,
                       json: Bool? = nil) -> Int32 {
        if error.kind == .canceled {
            // Nothing typed, nothing done: a note, not an error, and no draft to keep.
            inv?.unsavedMessage = nil
            io.stderr.write("tickets: \(Sanitizer.line(error.message))\n")
            return ExitCode.code(for: error.kind)
        }
        var message = error.message
        if let inv, let draft = inv.saveDraftIfNeeded() {
            message += "; your message was saved to \(draft): retry with -F \(draft)"
        }
        let json = json ?? inv?.isJSON ?? wantsJSON(arguments.map(\.text))
        if json {
            let out = io.stderr
            var w = JSONWriter(out)
            w.beginObject()
            w.key("error"); w.beginObject()
            w.key("code"); w.string(ExitCode.name(for: error.kind))
            w.key("message"); w.string(message)
            w.endObject()
            w.endObject()
            out.write(byte: 0x0A)
        } else {
            io.stderr.write("tickets: error: \(Sanitizer.line(message))\n")
        }
        return ExitCode.code(for: error.kind)
    }
}
