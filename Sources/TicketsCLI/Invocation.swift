import Glibc
import TicketsCore
import TicketsSQLite

public enum OutputFormat: String, CaseIterable, Sendable { case table, json, csv, ndjson }

/// Everything one run of a command sees: its arguments, the environment, the streams,
/// the clock, and the configuration, identity and store, each resolved only when a
/// command asks for it.
public final class Invocation {
    public let arguments: ParsedArguments
    public let environment: [String: String]
    /// The environment variables whose value was not valid UTF-8 (repaired with U+FFFD).
    let invalidUTF8: Set<String>
    public let io: TerminalIO
    public let now: Timestamp
    public let format: OutputFormat
    private var cachedConfig: Configuration?
    private var cachedActor: Actor?
    /// Text the user typed (editor, standard input) that a failure must not lose.
    var unsavedMessage: String?
    /// What this run has committed, in words ("ticket #7 was opened"): when the output
    /// fails afterwards, the error says it, so a CI step does not retry and file twice.
    private(set) var saved: [String] = []

    func committed(_ what: String) { saved.append(what) }

    /// Emails this run could not deliver, for the one warning at its end.
    var undelivered: [(mail: QueuedMail, error: String)] = []

    /// Notes that belong after the output, such as "30 of 35 shown": printed once the
    /// rows (and the pager) are done, so they do not scroll away.
    private var footers: [String] = []

    func footer(_ message: String) { footers.append(message) }

    func printFooters() {
        for f in footers { note(f) }
        footers.removeAll()
    }

    /// The server store, where this binary has one (tickets-pg, the tests).
    let server: TicketsCLI.Server?

    init(arguments: ParsedArguments, environment: [String: String], invalidUTF8: Set<String> = [],
         io: TerminalIO, server: TicketsCLI.Server? = nil) throws(TicketsError) {
        self.arguments = arguments
        self.server = server
        self.environment = environment
        self.invalidUTF8 = invalidUTF8
        self.io = io
        if let fake = environment["TICKETS_NOW"], !fake.isEmpty {
            guard let t = Timestamp.parse(fake), fake.utf8.count > 10 else {
                throw .config("TICKETS_NOW must be an RFC 3339 time from year 0001 to 9999, like 2026-11-22T01:38:38Z, not '\(fake)'")
            }
            now = t
        } else {
            now = Timestamp.systemNow()
        }
        format = try Invocation.format(arguments)
    }

    static func format(_ a: ParsedArguments) throws(TicketsError) -> OutputFormat {
        if let f = a.value("format") {
            guard let format = OutputFormat(rawValue: f.text) else {
                throw .usage("unknown format '\(f.text)'; use table, json, csv or ndjson")
            }
            return format
        }
        if a.has("json") { return .json }
        if a.has("csv") { return .csv }
        return .table
    }

    public var isJSON: Bool { format == .json || format == .ndjson }

    /// Whether tables are for an agent (who sees who has each ticket). A bad role fails
    /// later, where the command resolves it; here it only picks columns.
    var isAgentView: Bool { (try? role()) == .agent }

    /// Colour only on a terminal, never with NO_COLOR set or --no-color.
    public var useColor: Bool {
        if arguments.has("no-color") || !(environment["NO_COLOR"] ?? "").isEmpty { return false }
        if let force = environment["CLICOLOR_FORCE"], !force.isEmpty, force != "0" { return true }
        return io.stdoutIsTerminal && environment["TERM"] != "dumb"
    }

    /// Table width: COLUMNS, else the terminal, else 80.
    public var columns: Int {
        if let c = environment["COLUMNS"].flatMap({ Int($0) }), c > 0 { return min(c, 1000) }
        return io.terminalColumns ?? 80
    }

    public func config() throws(TicketsError) -> Configuration {
        if let cachedConfig { return cachedConfig }
        let explicit = environment["TICKETS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? xdg("XDG_CONFIG_HOME", fallback: ".config") + "/tickets/config"
        let c = try Configuration.load(path: path, explicit: explicit != nil)
        cachedConfig = c
        if !c.repairedLines.isEmpty {
            warn("\(path): line\(c.repairedLines.count == 1 ? "" : "s") \(c.repairedLines.map(String.init).joined(separator: ", ")) \(c.repairedLines.count == 1 ? "is" : "are") not valid UTF-8; the bad bytes were read as U+FFFD")
        }
        return c
    }

    func xdg(_ variable: String, fallback: String) -> String {
        if let v = environment[variable], v.hasPrefix("/") { return v }
        return (environment["HOME"] ?? "/") + "/" + fallback
    }

    public var databasePath: String {
        get throws(TicketsError) {
            if let p = arguments.value("db") { return p.text }
            if let p = environment["TICKETS_DB"], !p.isEmpty { return p }
            if let p = try config().db { return p }
            return xdg("XDG_DATA_HOME", fallback: ".local/share") + "/tickets/tickets.db"
        }
    }

    /// The store, opened once per run. A store opened to write gets the feed of its
    /// changes set up: the notifications of `notify = sendmail` and the events for
    /// hooks, unless `--no-notify` (or `import`, which never notifies) says no.
    ///
    /// - Parameter mailExpected: the change will certainly queue an email when it
    ///   commits (`open`'s confirmation, SPEC §9). With notifications on, `sendmail` is
    ///   then started before the store is opened, to load while the database works, and
    ///   is handed the first email after the commit (`standbySendmail`, bench/NOTES.md).
    public func openStore(_ access: StoreAccess, mailExpected: Bool = false) throws(TicketsError) -> any TicketStore {
        let location = try databasePath
        let notifies = access == .write && !arguments.has("no-notify") && arguments.command?.name != "import"
        if notifies, mailExpected, standbySendmail == nil, try config().notifications != nil {
            let command = try config().sendmail ?? Sendmail.defaultCommand
            // One that cannot start fails again at delivery, which reports it.
            standbySendmail = try? Sendmail.start(command, environment: environment).get()
        }
        let store: any TicketStore
        if DatabaseLocation.isServer(location) {
            guard let server else { throw Companion.missing() }
            store = try server.open(location, access, environment)
        } else {
            store = try SQLiteStore.open(path: location, access: access)
        }
        if notifies {
            let c = try config()
            store.feed.notifications = c.notifications
            store.feed.claimant = c.notifications == nil ? nil : Claimant.this
            store.feed.collectsEvents = FileSystem.isDirectory(hooksDirectory)
        }
        opened = store
        return store
    }

    /// The store this run opened, for the work after its commits (AfterCommit).
    private(set) var opened: (any TicketStore)?

    /// `sendmail`, started by `openStore(_:mailExpected:)` and waiting for the first
    /// email of this run's change; taken by `AfterCommit.deliver`, or cancelled unused
    /// (killed before it reads a byte) when the change queued none or failed.
    var standbySendmail: Sendmail.Started?

    /// `hooks_dir`, else `$XDG_CONFIG_HOME/tickets/hooks` (SPEC §9).
    var hooksDirectory: String {
        (try? config().hooksDir) ?? nil ?? xdg("XDG_CONFIG_HOME", fallback: ".config") + "/tickets/hooks"
    }

    /// The role (SPEC §4): --agent, else TICKETS_ROLE, else the config's role, else requester.
    public func role() throws(TicketsError) -> Role {
        if arguments.has("agent") { return .agent }
        if let r = environment["TICKETS_ROLE"], !r.isEmpty {
            guard let parsed = Role(rawValue: r.lowercased()), parsed != .system else {
                throw .config("TICKETS_ROLE must be requester or agent, not '\(r)'")
            }
            return parsed
        }
        return try config().role ?? .requester
    }

    /// Who is acting (SPEC §4): identity first found wins, and the role. An identity
    /// from the last fallback (the login name) is named once on stderr, with how to set
    /// one, by the commands that write.
    public func actor() throws(TicketsError) -> Actor {
        if let cachedActor { return cachedActor }
        let resolved = try Identity.resolve(arguments: arguments, environment: environment, invalidUTF8: invalidUTF8,
                                            config: try config(), warn: warn)
        let a = Actor(person: resolved.person, role: try role())
        cachedActor = a
        if resolved.fromLogin && arguments.command.map({ !Self.readOnly.contains($0.name) }) == true {
            note("acting as \(a.person.name) <\(a.person.email)>, from your login name; set TICKETS_NAME and TICKETS_EMAIL (or name and email in the config, or git config user.name and user.email) to choose another identity")
        }
        return a
    }

    /// The commands that never write: they say nothing about where the identity came from.
    static let readOnly: Set<String> = ["list", "show", "export", "help", "completion", "__complete"]

    /// Who is looking. An agent's reads need no identity (agents see every ticket), so
    /// none is resolved unless `needsEmail` (an agent's `--mine`): reads stay free of
    /// git config lookups and the like.
    public func viewer(needsEmail: Bool = false) throws(TicketsError) -> Viewer {
        let role = try role()
        if role == .agent && !needsEmail { return Viewer(role: .agent, emailKey: nil) }
        return Viewer(try actor())
    }

    public func warn(_ message: String) {
        io.stderr.write("tickets: warning: \(Sanitizer.line(message))\n")
    }

    public func note(_ message: String) {
        io.stderr.write("tickets: \(Sanitizer.line(message))\n")
    }
}
