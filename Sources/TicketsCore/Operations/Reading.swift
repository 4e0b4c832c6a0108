/// Reads, always through the viewer's eyes: a requester sees only tickets they requested
/// or are cc'd on, and no internal notes (SPEC §4).
extension TicketStore {
    public func detail(_ id: Int64, viewer: Viewer, history: Bool) throws(TicketsError) -> TicketDetail {
        try read { () throws(TicketsError) -> TicketDetail in
            try detail(of: try visibleTicket(id, viewer: viewer), viewer: viewer, history: history)
        }
    }

    /// The conversation (and history) of a ticket the caller already read and may see:
    /// export walks `forEachTicket` and does not read each ticket a second time.
    public func detail(of ticket: Ticket, viewer: Viewer, history: Bool) throws(TicketsError) -> TicketDetail {
        try read { () throws(TicketsError) -> TicketDetail in
            TicketDetail(ticket: ticket, messages: try messages(of: ticket.id, includeInternal: viewer.isAgent),
                         events: history ? try events(of: ticket.id, includeNotes: viewer.isAgent) : [])
        }
    }

    public func list(_ query: TicketQuery) throws(TicketsError) -> [Ticket] {
        var out = [Ticket]()
        try forEachTicket(query) { out.append($0) }
        return out
    }

    /// SLA deadlines (SPEC §5 `--overdue`): for each ticket waiting on support (open,
    /// in-progress, customer-reply), when it is due: waiting since + the target of its
    /// priority; overdue exactly when `list --overdue` would list it.
    public func deadlines(of tickets: [Ticket], targets: SLATargets, now: Timestamp) throws(TicketsError) -> [Int64: Deadline] {
        let waiting = tickets.filter { SLA.waitingStatuses.contains($0.status) }
        guard !waiting.isEmpty else { return [:] }
        let since = try read { () throws(TicketsError) in try waitingSince(waiting.map(\.id)) }
        var out = [Int64: Deadline]()
        for t in waiting {
            guard let s = since[t.id] else { continue }
            let due = s.adding(targets[t.priority])
            out[t.id] = Deadline(dueAt: due, overdue: due < now)
        }
        return out
    }
}

/// SLA deadlines for `list` output.
public struct Deadline: Equatable, Sendable {
    public var dueAt: Timestamp
    public var overdue: Bool
    public init(dueAt: Timestamp, overdue: Bool) {
        self.dueAt = dueAt
        self.overdue = overdue
    }
}

/// The SLA rule of SPEC §5: a ticket waits on support while it is open, in progress or
/// has a customer reply, from the first requester message after the last public agent
/// reply (or its opening), and a reopening starts the clock again (SPEC §3).
public enum SLA {
    public static let waitingStatuses: [Status] = [.open, .inProgress, .customerReply]
}
