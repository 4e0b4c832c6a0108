/// The store boundary: what the operations need from a database, one engine per
/// conformer (`SQLiteStore` in TicketsSQLite, `PostgresStore` in TicketsPostgres).
///
/// The rules live above this line, written once (the `TicketStore` extensions in
/// Operations/): which ticket a viewer may see, what the lifecycle allows, which events,
/// messages and notifications a change writes. Below it each engine keeps what differs:
/// SQL, locking, full-text search, migrations, blob types.
///
/// Every primitive runs inside `read` or `write`; the store does not check that. A write
/// transaction locks what it reads: SQLite takes the database's write lock up front
/// (`BEGIN IMMEDIATE`), PostgreSQL locks rows as `ticket(_:forUpdate:)` reads them and
/// takes a transaction-scoped advisory lock for what has no row yet (a new dedupe key).
public protocol TicketStore: AnyObject {
    /// Where the tickets live, as messages name it: a path, or a URI without its password.
    var location: String { get }
    /// What the command's committed changes mean for hooks and notifications.
    var feed: ChangeFeed { get }

    /// One read snapshot around `body`; reads nest.
    func read<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T
    /// One short write transaction around `body`, rolled back on any error.
    func write<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T
    /// A write whose loss in a power failure (not a crash of the process) only repeats
    /// work: the outbox's claims and "sent" marks, where a lost mark means an email may
    /// go twice, never that one is lost. Committed without waiting for the disk (SQLite
    /// `synchronous = NORMAL`, PostgreSQL `synchronous_commit = off`): it saves a sync per
    /// email (bench/NOTES.md). The changes themselves always wait for the disk.
    func bookkeeping<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T

    // MARK: Reads

    /// The ticket, or nil when there is none; `forUpdate` locks its row until the commit.
    func ticket(_ id: Int64, forUpdate: Bool) throws(TicketsError) -> Ticket?
    /// The conversation oldest first, with attachment metadata (no bytes).
    func messages(of id: Int64, includeInternal: Bool) throws(TicketsError) -> [Message]
    /// The history oldest first; `includeNotes` false hides that internal notes were written.
    func events(of id: Int64, includeNotes: Bool) throws(TicketsError) -> [Event]
    /// Whether an agent has replied publicly (cancel is refused after that).
    func hasPublicAgentReply(_ id: Int64) throws(TicketsError) -> Bool
    /// Each ticket the query matches, in its order, without holding them all.
    func forEachTicket(_ query: TicketQuery, _ body: (Ticket) throws(TicketsError) -> Void) throws(TicketsError)
    /// How many tickets match, counting no further than `limit` when one is given.
    func count(_ query: TicketQuery, limit: Int?) throws(TicketsError) -> Int
    /// Matching tickets per value of `field`; tickets without a value count under nil.
    func counts(by field: CountField, _ query: TicketQuery) throws(TicketsError) -> [(value: String?, count: Int)]
    /// For tickets waiting on support: since when they wait (SPEC §5 `--overdue`).
    func waitingSince(_ ids: [Int64]) throws(TicketsError) -> [Int64: Timestamp]
    /// Answered tickets whose newest message is at or before `cutoff`, lowest id first.
    func staleTicketIDs(idleSince cutoff: Timestamp) throws(TicketsError) -> [Int64]
    /// The same test for one ticket, made again under the write lock.
    func isStale(_ id: Int64, idleSince cutoff: Timestamp) throws(TicketsError) -> Bool
    /// The bytes of one attachment; the caller checks them against the stored SHA-256.
    func attachmentData(_ id: Int64) throws(TicketsError) -> [UInt8]
    /// The active ticket of this requester that carries `dedupeKey`, if any.
    func activeTicket(requesterKey: String, dedupeKey: String) throws(TicketsError) -> Int64?

    // MARK: Writes

    /// Serialises filings of one (requester, key) pair whose ticket does not exist yet.
    func lockDedupeKey(requesterKey: String, dedupeKey: String) throws(TicketsError)
    /// Inserts a ticket and returns its id (the next one, never reused).
    func insertTicket(_ row: NewTicketRow) throws(TicketsError) -> Int64
    /// Replaces the cc list, in order.
    func setCC(_ id: Int64, _ emails: [String]) throws(TicketsError)
    /// Inserts a message with its attachments (and indexes it for search); its id.
    func insertMessage(_ row: NewMessageRow) throws(TicketsError) -> Int64
    /// The same system message on each ticket, in one statement where the engine can;
    /// each ticket's new message id.
    func insertSystemMessages(ticketIDs: [Int64], author: Person, body: String, at: String) throws(TicketsError) -> [Int64: Int64]
    /// Sets the fields `update` names.
    func updateTicket(_ id: Int64, _ update: TicketUpdate) throws(TicketsError)
    /// Appends to the history; the event's id.
    func insertEvent(_ row: NewEvent) throws(TicketsError) -> Int64
    /// Moves every message (with its attachments) of `source` to `target` (merge).
    func moveMessages(from source: Int64, to target: Int64) throws(TicketsError)

    // MARK: Outbox (SPEC §9)

    /// The Message-IDs of a ticket's queued emails, oldest first (for threading).
    func mailMessageIDs(ofTicket id: Int64) throws(TicketsError) -> [String]
    /// Queues one rendered email, claimed by `claim` (`host:pid` until a time) when the
    /// queuing process delivers it itself; its outbox id.
    func queueMail(ticketID: Int64, messageID: String, recipients: [String], bytes: [UInt8],
                   at: String, claim: (by: String, until: String)?) throws(TicketsError) -> Int64
    /// The emails not sent yet, oldest first.
    func outbox() throws(TicketsError) -> [QueuedMail]
    /// Takes an unsent email for delivery until `until`, unless another process holds it:
    /// true when this one may hand it to sendmail (no email goes out twice when `tickets
    /// notify` runs beside a command delivering its own).
    func claimOutbox(_ id: Int64, by claimant: String, now: String, until: String, takeOver: String?) throws(TicketsError) -> Bool
    /// Records a delivery: sent at `sentAt`, or failed (`error`, one more attempt); the claim ends.
    func markOutbox(_ id: Int64, sentAt: String?, error: String?) throws(TicketsError)

    // MARK: Import

    /// Pass two of `import` (SPEC §5): the staged tickets checked against the database
    /// (ids that exist are skipped; a message, attachment or event id or an active dedupe
    /// key already used refuses the import, naming the ticket) and moved in, in one
    /// transaction: all or nothing.
    func importTickets(_ staged: any StagedImport) throws(TicketsError) -> ImportSummary
}

/// Pass one's result: checked tickets in a private SQLite file (`ImportStage`), which
/// both stores read with SQLite.
public protocol StagedImport: AnyObject {
    var path: String { get }
    var ticketCount: Int { get }
}

/// What `import` did.
public struct ImportSummary: Equatable, Sendable {
    public var imported = 0
    /// Tickets whose id already existed: left as they are.
    public var skipped = 0
    public init() {}
}

/// Which way a command uses the store: a read never creates or migrates anything.
public enum StoreAccess: Sendable { case read, write }

/// Who is looking: agents see every ticket, a requester only their own and those they are
/// on cc for (SPEC §4). The email key is the one comparison rule (`EmailIdentity.key`).
public struct Viewer: Equatable, Sendable {
    public var role: Role
    /// The viewer's email key; nil for an agent whose command needs none (their `list`).
    public var emailKey: String?

    public init(role: Role, emailKey: String?) {
        self.role = role
        self.emailKey = emailKey
    }

    public init(_ actor: Actor) {
        self.init(role: actor.role, emailKey: EmailIdentity.key(actor.person.email))
    }

    public var isAgent: Bool { role != .requester }
}

/// What one list, count or export asks of the store.
public struct TicketQuery: Equatable, Sendable {
    public var filter: TicketFilter
    public var viewer: Viewer
    /// The clock for durations and `--overdue`.
    public var now: Timestamp

    public init(_ filter: TicketFilter, viewer: Viewer, now: Timestamp) {
        self.filter = filter
        self.viewer = viewer
        self.now = now
    }
}

/// `list --count --by FIELD`.
public enum CountField: String, CaseIterable, Sendable {
    case status, department, priority, assignee, service
}

/// A new ticket as the store inserts it; the operation has checked every value.
public struct NewTicketRow: Equatable, Sendable {
    public var subject: String
    public var priority: Priority
    public var department: String
    public var service: String?
    public var requester: Person
    public var dedupeKey: String?
    /// `created_at` and `updated_at`, RFC 3339.
    public var at: String
}

/// A new message as the store inserts it.
public struct NewMessageRow: Equatable, Sendable {
    public var ticketID: Int64
    public var author: Person
    public var role: Role
    public var body: String
    public var isInternal: Bool
    public var at: String
    public var attachments: [NewAttachment]
}

/// A new history row (SPEC §2): `field`, `oldValue`, `newValue` for a one-field change.
public struct NewEvent: Equatable, Sendable {
    public var ticketID: Int64
    public var actor: Person
    public var action: String
    public var from: Status?
    public var to: Status?
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var at: String
    /// The message this change wrote, if any (`show` labels a close reason by it).
    public var messageID: Int64?

    public init(ticketID: Int64, actor: Person, action: String, from: Status?, to: Status?,
                field: String? = nil, oldValue: String? = nil, newValue: String? = nil, at: String,
                messageID: Int64? = nil) {
        self.ticketID = ticketID
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.at = at
        self.messageID = messageID
    }
}

/// The columns one change sets; nil leaves a column as it is. A doubly optional value
/// sets the column to the inner value, null included.
public struct TicketUpdate: Equatable, Sendable {
    public var status: Status?
    public var updatedAt: String?
    public var closedAt: String??
    public var assignee: String??
    public var subject: String?
    public var department: String?
    public var priority: Priority?
    public var service: String??
    public var rating: Rating??
    public var dedupeKey: String??

    public init() {}

    /// A move to `status` at `at`: `closed_at` is set on closing or canceling and cleared
    /// on reopening (SPEC §6: "when it was closed or canceled").
    public static func status(_ status: Status, at: String) -> TicketUpdate {
        var u = TicketUpdate()
        u.status = status
        u.updatedAt = at
        switch status {
        case .closed, .canceled: u.closedAt = .some(at)
        case .open: u.closedAt = .some(nil)
        case .inProgress, .answered, .customerReply: break
        }
        return u
    }
}
