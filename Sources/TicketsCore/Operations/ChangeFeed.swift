/// What the changes of one command mean for the people on the tickets (SPEC §9):
/// notification emails queued in the change's own transaction (the transactional outbox),
/// and the events a hook is run for after the commit.
///
/// Each store owns one feed; the command sets it up before its changes (`--no-notify`
/// and `import` leave it off) and reads it after each commit, with no lock held.
public final class ChangeFeed {
    /// nil: queue no email (config `notify = off`, `--no-notify`, `import`).
    public var notifications: NotificationSettings?
    /// Whether committed events are kept for hooks (`--no-notify` and `import` run none).
    public var collectsEvents = false
    /// This process (`host:pid`) when it delivers the emails it queues: each is claimed
    /// in the change's own transaction for `claimSeconds` (of the real clock), so the
    /// delivery needs no transaction of its own to take it and `tickets notify` leaves it
    /// alone meanwhile.
    public var claimant: String?
    /// How long a claim holds an email, in seconds, for every delivery (a command's own
    /// and `tickets notify`'s): well past sendmail's 60 s limit, so a claim never runs
    /// out under a delivery still going.
    public static let claimSeconds: Int64 = 300

    /// One event and the ticket as its transaction left it: the hook's input.
    public struct Committed: Sendable {
        public var event: Event
        public var ticket: Ticket
    }

    /// Events committed since the command last took them.
    public private(set) var committed: [Committed] = []
    /// Emails queued (and claimed) by committed changes since the command last took them.
    public private(set) var queuedMail: [QueuedMail] = []
    /// Emails that could not be queued (no address a header can carry), in words.
    public private(set) var warnings: [String] = []

    var pendingEvents: [Event] = []
    var pendingMail: [QueuedMail] = []
    var pendingWarnings: [String] = []

    public init() {}

    /// What committed changes left for after the commit, handed over once.
    public func take() -> (events: [Committed], mail: [QueuedMail], warnings: [String]) {
        defer {
            committed = []
            queuedMail = []
            warnings = []
        }
        return (committed, queuedMail, warnings)
    }

    func begin() {
        pendingEvents = []
        pendingMail = []
        pendingWarnings = []
    }

    func commit(_ events: [Committed]) {
        committed += events
        queuedMail += pendingMail
        warnings += pendingWarnings
        begin()
    }
}

/// The config's notification settings, checked (SPEC §8, §9).
public struct NotificationSettings: Equatable, Sendable {
    /// `notify_from`.
    public var from: Mailbox
    /// `notify_agents`: who hears of new tickets and of requester replies nobody is assigned to.
    public var agents: [String]
    /// The domain of Message-IDs: `notify_from`'s.
    public var domain: String

    public init(from: Mailbox, agents: [String]) {
        self.from = from
        self.agents = agents
        domain = String(from.address.split(separator: "@").last ?? "localhost")
    }
}

extension TicketStore {
    /// One write transaction whose events reach the feed once it commits: the changes'
    /// `write`. A rolled-back change queues nothing and runs no hook.
    func change<T>(_ body: () throws(TicketsError) -> T) throws(TicketsError) -> T {
        feed.begin()
        var done = [ChangeFeed.Committed]()
        let result = try write { () throws(TicketsError) -> T in
            let r = try body()
            if feed.collectsEvents {
                done = []
                for e in feed.pendingEvents { done.append(ChangeFeed.Committed(event: e, ticket: try reread(e.ticketID))) }
            }
            return r
        }
        feed.commit(done)
        return result
    }

    /// Writes an event of a change and what it means for the people on the ticket: the
    /// notification email, queued in this same transaction, and the event for the hook.
    /// `ticket` is the ticket after the change; `text` the message that came with it.
    func record(_ e: NewEvent, ticket: Ticket, actor: Actor, text: String? = nil,
                isInternal: Bool = false) throws(TicketsError) {
        let id = try insertEvent(e)
        let event = Event(id: id, ticketID: e.ticketID, actor: e.actor, action: e.action, fromStatus: e.from?.rawValue,
                          toStatus: e.to?.rawValue, field: e.field, oldValue: e.oldValue, newValue: e.newValue,
                          createdAt: e.at, messageID: e.messageID)
        if feed.collectsEvents { feed.pendingEvents.append(event) }
        if let settings = feed.notifications, let action = EventAction(rawValue: e.action) {
            try queueNotification(action, event: event, ticket: ticket, actor: actor, text: text, isInternal: isInternal,
                                  settings: settings)
        }
    }
}
