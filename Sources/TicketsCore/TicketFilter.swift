/// What `list`, `export` and bulk `close` select. Built by the CLI, turned into SQL
/// by the store.
public struct TicketFilter: Equatable, Sendable {
    public enum Sort: String, CaseIterable, Sendable { case id, created, updated, priority }

    public var statuses: [Status] = Status.active
    public var departments: [String] = []
    public var priorities: [Priority] = []
    public var services: [String] = []
    public var requesters: [String] = []
    /// Agents: assigned to me. Requesters: tickets I requested (not only cc'd on).
    public var mine = false
    public var search: String?
    public var createdSince: Timestamp?
    public var createdBefore: Timestamp?
    public var updatedSince: Timestamp?
    public var updatedBefore: Timestamp?
    /// Waiting on support longer than the SLA target of their priority.
    public var overdue = false
    /// First-response targets in seconds, from the configuration.
    public var slaTargets = SLATargets()
    public var sort: Sort = .updated
    public var reverse = false
    /// nil: everything that matches.
    public var limit: Int?

    public init() {}

    /// `open`, `active`, `all` or a status, as typed after `--status`.
    public static func statuses(named name: String) -> [Status]? {
        switch name.lowercased() {
        case "active": return Status.active
        case "all": return Status.allCases
        default: return Status(rawValue: name.lowercased()).map { [$0] }
        }
    }
}

/// What a new message carries besides its text: files already read and checked,
/// so that no file is read while the database is locked.
public struct NewAttachment: Equatable, Sendable {
    public var name: String
    public var bytes: [UInt8]
    public var sha256: String
    public var contentType: String
    public init(name: String, bytes: [UInt8], sha256: String, contentType: String) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
        self.contentType = contentType
    }
}

public struct NewTicket: Equatable, Sendable {
    public var subject: String
    public var body: String
    public var department: String
    public var priority: Priority
    public var service: String?
    public var cc: [String]
    public var dedupeKey: String?
    public var attachments: [NewAttachment]
    public init(subject: String, body: String, department: String, priority: Priority, service: String?,
                cc: [String], dedupeKey: String?, attachments: [NewAttachment] = []) {
        self.subject = subject
        self.body = body
        self.department = department
        self.priority = priority
        self.service = service
        self.cc = cc
        self.dedupeKey = dedupeKey
        self.attachments = attachments
    }
}

/// The outcome of one action on one ticket.
public enum ActionResult: Equatable, Sendable {
    case changed(Ticket)
    /// The result already held: nothing written; the note goes to stderr.
    case unchanged(Ticket, note: String)

    public var ticket: Ticket {
        switch self {
        case .changed(let t), .unchanged(let t, _): t
        }
    }
}
