/// Who may see a ticket and in which part (SPEC §3, §4): written once, used by every
/// operation of every store. Emails are compared only through `EmailIdentity.key`.
public enum Visibility {
    /// The viewer's part in the ticket: nil when a requester may not see it at all.
    public static func party(_ t: Ticket, _ viewer: Viewer) -> Party? {
        switch viewer.role {
        case .agent: return .agent
        case .system: return .system
        case .requester:
            guard let me = viewer.emailKey else { return nil }
            if EmailIdentity.key(t.requester.email) == me { return .requester }
            if t.cc.contains(where: { EmailIdentity.key($0) == me }) { return .cc }
            return nil
        }
    }

    public static func canSee(_ t: Ticket, _ viewer: Viewer) -> Bool { party(t, viewer) != nil }
}

/// A decision of the lifecycle that applies, or the note of a no-op.
enum Verdict {
    case apply(Status)
    case noop(String)
}

extension TicketStore {
    /// The ticket after the checks every command makes, in this order: it exists (66),
    /// the viewer may see it (77). Inside a write, `forUpdate` locks its row.
    func visibleTicket(_ id: Int64, viewer: Viewer, forUpdate: Bool = false) throws(TicketsError) -> Ticket {
        guard let t = try ticket(id, forUpdate: forUpdate) else {
            throw .notFound("no ticket #\(id); tickets list shows the tickets there are")
        }
        guard Visibility.canSee(t, viewer) else {
            throw .notPermitted("ticket #\(id) belongs to another requester; only its requester, its cc list and agents may see it")
        }
        return t
    }

    /// A ticket just written, read back for the command's output.
    func reread(_ id: Int64) throws(TicketsError) -> Ticket {
        guard let t = try ticket(id, forUpdate: false) else { throw .bug("ticket #\(id) vanished inside its own transaction") }
        return t
    }

    func facts(_ t: Ticket, newAssignee: String? = nil) throws(TicketsError) -> LifecycleFacts {
        LifecycleFacts(hasPublicAgentReply: try hasPublicAgentReply(t.id), hasAssignee: t.assignee != nil,
                       sameAssignee: newAssignee.map { n in t.assignee.map { EmailIdentity.key($0) == EmailIdentity.key(n) } ?? false } ?? false)
    }

    /// Applies the lifecycle's verdict: the new status, or the no-op note; refusals throw
    /// (77 forbidden, 65 not in this status).
    func decide(_ action: LifecycleAction, _ t: Ticket, party: Party, facts: LifecycleFacts) throws(TicketsError) -> Verdict {
        switch Lifecycle.decide(action, from: t.status, party: party, facts: facts) {
        case .apply(let s): return .apply(s)
        case .noop(let note): return .noop("ticket #\(t.id) is \(note)")
        case .forbidden(let why): throw .notPermitted("ticket #\(t.id): \(why)")
        case .refused(let why): throw .transition("ticket #\(t.id): \(why)")
        }
    }
}
