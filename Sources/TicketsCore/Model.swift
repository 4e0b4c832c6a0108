/// The ticket model of SPEC §2. Values only; the store fills them in.

public enum Status: String, CaseIterable, Sendable {
    case open, inProgress = "in-progress", answered, customerReply = "customer-reply", closed, canceled

    public var isActive: Bool { self != .closed && self != .canceled }
    public static let active: [Status] = [.open, .inProgress, .answered, .customerReply]
}

public enum Priority: String, CaseIterable, Sendable {
    case low, medium, high, urgent

    /// For `--sort priority`: most urgent first.
    public var rank: Int {
        switch self {
        case .urgent: 4
        case .high: 3
        case .medium: 2
        case .low: 1
        }
    }
}

public enum Role: String, CaseIterable, Sendable {
    case requester, agent, system
}

public struct Person: Equatable, Sendable {
    public var name: String
    public var email: String
    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public static let system = Person(name: "tickets", email: "system")
}

public struct Rating: Equatable, Sendable {
    public var stars: Int
    public var review: String?
    public var ratedAt: String
    public init(stars: Int, review: String?, ratedAt: String) {
        self.stars = stars
        self.review = review
        self.ratedAt = ratedAt
    }
}

public struct Ticket: Equatable, Sendable {
    public var id: Int64
    public var subject: String
    public var status: Status
    public var priority: Priority
    public var department: String
    public var service: String?
    public var requester: Person
    public var cc: [String]
    public var assignee: String?
    public var dedupeKey: String?
    public var createdAt: String
    public var updatedAt: String
    public var closedAt: String?
    public var rating: Rating?

    public init(id: Int64, subject: String, status: Status, priority: Priority, department: String,
                service: String?, requester: Person, cc: [String], assignee: String?, dedupeKey: String?,
                createdAt: String, updatedAt: String, closedAt: String?, rating: Rating?) {
        self.id = id
        self.subject = subject
        self.status = status
        self.priority = priority
        self.department = department
        self.service = service
        self.requester = requester
        self.cc = cc
        self.assignee = assignee
        self.dedupeKey = dedupeKey
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.closedAt = closedAt
        self.rating = rating
    }
}

public struct Attachment: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var size: Int64
    public var sha256: String
    public var contentType: String
    public init(id: Int64, name: String, size: Int64, sha256: String, contentType: String) {
        self.id = id
        self.name = name
        self.size = size
        self.sha256 = sha256
        self.contentType = contentType
    }
}

public struct Message: Equatable, Sendable {
    public var id: Int64
    public var ticketID: Int64
    public var author: Person
    public var role: Role
    public var body: String
    public var isInternal: Bool
    public var createdAt: String
    public var attachments: [Attachment]
    public init(id: Int64, ticketID: Int64, author: Person, role: Role, body: String, isInternal: Bool,
                createdAt: String, attachments: [Attachment]) {
        self.id = id
        self.ticketID = ticketID
        self.author = author
        self.role = role
        self.body = body
        self.isInternal = isInternal
        self.createdAt = createdAt
        self.attachments = attachments
    }
}

public struct Event: Equatable, Sendable {
    public var id: Int64
    public var ticketID: Int64
    public var actor: Person
    public var action: String
    public var fromStatus: String?
    public var toStatus: String?
    /// For a change of one field (assign, edit, merge; SPEC §2): its name and values.
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var createdAt: String
    /// The message written with this change, when there was one (`message_id` in the
    /// JSON): what lets `show` label a close's message as its reason, kept by export and
    /// import. After a merge it may name a message that moved to the other ticket.
    public var messageID: Int64?
    public init(id: Int64, ticketID: Int64, actor: Person, action: String, fromStatus: String?,
                toStatus: String?, field: String? = nil, oldValue: String? = nil, newValue: String? = nil,
                createdAt: String, messageID: Int64? = nil) {
        self.id = id
        self.ticketID = ticketID
        self.actor = actor
        self.action = action
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.createdAt = createdAt
        self.messageID = messageID
    }
}

/// A ticket with its conversation, as `show` and `export` see it.
public struct TicketDetail: Equatable, Sendable {
    public var ticket: Ticket
    public var messages: [Message]
    public var events: [Event]
    public init(ticket: Ticket, messages: [Message], events: [Event]) {
        self.ticket = ticket
        self.messages = messages
        self.events = events
    }
}

/// Who is acting: identity plus role (SPEC §4).
public struct Actor: Equatable, Sendable {
    public var person: Person
    public var role: Role
    public init(person: Person, role: Role) {
        self.person = person
        self.role = role
    }

    public var isAgent: Bool { role == .agent }
}
