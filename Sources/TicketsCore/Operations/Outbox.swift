/// The transactional outbox (SPEC §9): a change and the email it causes are written in
/// one transaction, so a crash after the commit loses no email and a rolled-back change
/// sends none. The email is rendered here, once: a delivery retried by `tickets notify`
/// sends the same bytes with the same Message-ID.
public struct QueuedMail: Equatable, Sendable {
    public var id: Int64
    public var ticketID: Int64
    public var messageID: String
    public var recipients: [String]
    public var bytes: [UInt8]
    public var queuedAt: String
    public var attempts: Int
    public var lastError: String?
    /// Who is delivering it (`host:pid`) and until when, if anyone.
    public var claimedBy: String?
    public var claimedUntil: String?

    public init(id: Int64, ticketID: Int64, messageID: String, recipients: [String], bytes: [UInt8], queuedAt: String,
                attempts: Int, lastError: String?, claimedBy: String? = nil, claimedUntil: String? = nil) {
        self.id = id
        self.ticketID = ticketID
        self.messageID = messageID
        self.recipients = recipients
        self.bytes = bytes
        self.queuedAt = queuedAt
        self.attempts = attempts
        self.lastError = lastError
        self.claimedBy = claimedBy
        self.claimedUntil = claimedUntil
    }
}

extension QueuedMail {
    /// The outbox's `recipients` column, in both stores: one address per line (an
    /// address a header can carry has no line break, `Mailbox`). Built by hand: the
    /// generic `joined(separator:)` looked its types up at run time, about 100,000
    /// instructions the first time, a quarter of what notifying adds to an `open`.
    public static func recipientsColumn(_ recipients: [String]) -> String {
        var column = ""
        for address in recipients {
            if !column.isEmpty { column += "\n" }
            column += address
        }
        return column
    }

    /// The addresses of a `recipients` column (`recipientsColumn`).
    public static func recipients(ofColumn column: String) -> [String] {
        column.split(separator: "\n").map(String.init)
    }
}

extension TicketStore {
    /// Queues what an event means to the people SPEC §9 names. The requester and the cc
    /// list get one email and support another, so neither side is shown the other's
    /// addresses. An address no header can carry is left out; if nobody is left, the
    /// change still commits and the command says so (`ChangeFeed.warnings`).
    func queueNotification(_ action: EventAction, event: Event, ticket: Ticket, actor: Actor, text: String?,
                           isInternal: Bool, settings: NotificationSettings) throws(TicketsError) {
        let everyone = Recipients.of(action, requester: ticket.requester.email, cc: ticket.cc, assignee: ticket.assignee,
                                     actor: actor.person.email, role: actor.role, notifyAgents: settings.agents,
                                     isInternal: isInternal, identity: EmailIdentity.key)
        guard !everyone.isEmpty else { return }
        let customers = Set(([ticket.requester.email] + ticket.cc).map(EmailIdentity.key))
        let requesterKey = EmailIdentity.key(ticket.requester.email)
        let groups = [everyone.filter { customers.contains(EmailIdentity.key($0)) },
                      everyone.filter { !customers.contains(EmailIdentity.key($0)) }].filter { !$0.isEmpty }
        let root = try MessageID.threadRoot(ticketID: ticket.id, domain: settings.domain)
        var earlier = try mailMessageIDs(ofTicket: ticket.id)
        let time = Timestamp.parse(event.createdAt) ?? Timestamp(seconds: 0)
        for group in groups {
            let messageID = try MessageID.make(ticketID: ticket.id, eventID: event.id, domain: settings.domain)
            let to = group.map { address in
                EmailIdentity.key(address) == requesterKey ? Mailbox(name: ticket.requester.name, address: address) : Mailbox(address: address)
            }
            let mail = MailMessage(from: settings.from, to: to, ticketID: ticket.id, subject: ticket.subject,
                                   action: action, actor: event.actor, text: text, time: time, messageID: messageID,
                                   threadRoot: root, earlier: earlier)
            let rendered: RenderedMail
            do {
                rendered = try mail.render()
            } catch {
                feed.pendingWarnings.append("no email about ticket #\(ticket.id) was queued for \(group.joined(separator: ", ")): \(error.message)")
                continue
            }
            if !rendered.skipped.isEmpty {
                feed.pendingWarnings.append("no email about ticket #\(ticket.id) can go to \(rendered.skipped.joined(separator: ", ")): a mail header cannot carry that address")
            }
            let claim = feed.claimant.map { (by: $0, until: Timestamp.systemNow().adding(ChangeFeed.claimSeconds).rfc3339) }
            let id = try queueMail(ticketID: ticket.id, messageID: messageID, recipients: rendered.recipients,
                                   bytes: rendered.bytes, at: event.createdAt, claim: claim)
            feed.pendingMail.append(QueuedMail(id: id, ticketID: ticket.id, messageID: messageID,
                                               recipients: rendered.recipients, bytes: rendered.bytes,
                                               queuedAt: event.createdAt, attempts: 0, lastError: nil,
                                               claimedBy: claim?.by, claimedUntil: claim?.until))
            earlier.append(messageID)
        }
    }

    /// `tickets notify`: the emails not sent yet, oldest first.
    public func unsentMail() throws(TicketsError) -> [QueuedMail] {
        try read { () throws(TicketsError) in try outbox() }
    }

    /// Claims one email for a delivery of up to `seconds` by `claimant` (`host:pid`), in
    /// its own short transaction. A claim past its time is free again; so is one of
    /// `takeOver`, a claimant known to be dead (a process on this host that is gone).
    public func claimMail(_ id: Int64, by claimant: String, for seconds: Int64, now: Timestamp,
                          takeOver: String?) throws(TicketsError) -> Bool {
        try bookkeeping { () throws(TicketsError) in
            try claimOutbox(id, by: claimant, now: now.rfc3339, until: now.adding(seconds).rfc3339, takeOver: takeOver)
        }
    }

    /// Marks one email sent, or failed with its reason: its own short transaction, which
    /// does not wait for the disk (`bookkeeping`).
    public func markMail(_ id: Int64, sentAt: Timestamp?, error: String?) throws(TicketsError) {
        try bookkeeping { () throws(TicketsError) in try markOutbox(id, sentAt: sentAt?.rfc3339, error: error) }
    }
}
