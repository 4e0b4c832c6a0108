/// The lifecycle of SPEC §3 as one pure function over (action, status, role, facts).
/// The store asks it inside the write transaction, after the existence and permission
/// checks, so the order "exists (66), may act (77), allowed in status (65)" holds.
public enum LifecycleAction: String, CaseIterable, Sendable {
    case reply, internalNote = "note", assign, close, closeStale = "auto-close", cancel, reopen, rate
}

/// What the ticket looks like to the rules besides its status.
public struct LifecycleFacts: Equatable, Sendable {
    public var hasPublicAgentReply: Bool
    public var hasAssignee: Bool
    /// For `assign` while in progress: the new assignee is the one it already has.
    public var sameAssignee: Bool
    public init(hasPublicAgentReply: Bool = false, hasAssignee: Bool = false, sameAssignee: Bool = false) {
        self.hasPublicAgentReply = hasPublicAgentReply
        self.hasAssignee = hasAssignee
        self.sameAssignee = sameAssignee
    }
}

public enum LifecycleDecision: Equatable, Sendable {
    /// Apply the action; the ticket ends in this status.
    case apply(Status)
    /// The result already holds: exit 0, a note, no event.
    case noop(String)
    /// Allowed to nobody in this role (77).
    case forbidden(String)
    /// Not allowed in this status (65).
    case refused(String)
}

public enum Lifecycle {
    public static func decide(_ action: LifecycleAction, from status: Status, role: Role,
                              facts: LifecycleFacts = LifecycleFacts()) -> LifecycleDecision {
        if let why = forbidden(action, role: role) { return .forbidden(why) }
        switch action {
        case .reply:
            if !status.isActive {
                return .refused("ticket is \(status.rawValue); replies are refused until it is reopened (tickets reopen ID)")
            }
            if role == .requester { return .apply(status == .open ? .open : .customerReply) }
            return .apply(.answered)
        case .internalNote:
            if !status.isActive {
                return .refused("ticket is \(status.rawValue); notes are refused until it is reopened (tickets reopen ID)")
            }
            return .apply(status)
        case .assign:
            switch status {
            case .open, .customerReply: return .apply(.inProgress)
            case .inProgress: return facts.sameAssignee ? .noop("already assigned to that agent") : .apply(.inProgress)
            default: return refusal(action, status, role: role, facts: facts)
            }
        case .close:
            if status == .closed { return .noop("already closed") }
            return status.isActive ? .apply(.closed) : refusal(action, status, role: role, facts: facts)
        case .closeStale:
            if status == .closed { return .noop("already closed") }
            return status == .answered ? .apply(.closed) : refusal(action, status, role: role, facts: facts)
        case .cancel:
            if status == .canceled { return .noop("already canceled") }
            if status == .open && !facts.hasPublicAgentReply && !facts.hasAssignee { return .apply(.canceled) }
            var why = refusal(action, status, role: role, facts: facts)
            if status == .open, case .refused(let m) = why {
                why = .refused(m + "; a ticket can be canceled only before an agent has replied or taken it")
            }
            return why
        case .reopen:
            if status == .open { return .noop("already open") }
            return status.isActive ? refusal(action, status, role: role, facts: facts) : .apply(.open)
        case .rate:
            return status == .closed ? .apply(.closed) : refusal(action, status, role: role, facts: facts)
        }
    }

    static func forbidden(_ action: LifecycleAction, role: Role) -> String? {
        switch (action, role) {
        case (.assign, .requester), (.internalNote, .requester):
            return "only an agent may \(action == .assign ? "assign tickets" : "write internal notes") (use --agent or TICKETS_ROLE=agent)"
        case (.rate, .agent), (.rate, .system):
            return "only the requester may rate a ticket"
        case (.closeStale, _):
            return nil
        case (_, .system):
            return "the system role acts only through close --stale"
        default:
            return nil
        }
    }

    /// Names the current status and what may be done from it, as SPEC §3 asks.
    static func refusal(_ action: LifecycleAction, _ status: Status, role: Role, facts: LifecycleFacts) -> LifecycleDecision {
        let allowed = allowedActions(from: status, role: role, facts: facts).map(\.commandName)
        let list = allowed.isEmpty ? "nothing" : allowed.joined(separator: ", ")
        return .refused("cannot \(action.verb) a ticket that is \(status.rawValue); allowed now: \(list)")
    }

    public static func allowedActions(from status: Status, role: Role, facts: LifecycleFacts) -> [LifecycleAction] {
        [.reply, .internalNote, .assign, .close, .cancel, .reopen, .rate].filter {
            if case .apply = decideWithoutRefusalText($0, status, role, facts) { return true }
            return false
        }
    }

    // The same rules without building refusal text, so listing allowed actions cannot recurse.
    private static func decideWithoutRefusalText(_ a: LifecycleAction, _ s: Status, _ r: Role, _ f: LifecycleFacts) -> LifecycleDecision {
        if forbidden(a, role: r) != nil { return .forbidden("") }
        switch a {
        case .reply, .internalNote: return s.isActive ? .apply(s) : .refused("")
        case .assign: return [.open, .customerReply, .inProgress].contains(s) ? .apply(.inProgress) : .refused("")
        case .close: return s.isActive ? .apply(.closed) : .refused("")
        case .closeStale: return s == .answered ? .apply(.closed) : .refused("")
        case .cancel: return s == .open && !f.hasPublicAgentReply && !f.hasAssignee ? .apply(.canceled) : .refused("")
        case .reopen: return s.isActive ? .refused("") : .apply(.open)
        case .rate: return s == .closed ? .apply(.closed) : .refused("")
        }
    }
}

extension LifecycleAction {
    public var verb: String {
        switch self {
        case .internalNote: "add an internal note to"
        case .closeStale: "auto-close"
        default: rawValue
        }
    }
}

extension LifecycleAction {
    /// How a user asks for the action on the command line.
    public var commandName: String {
        switch self {
        case .internalNote: "reply --internal"
        case .closeStale: "close --stale"
        default: rawValue
        }
    }
}
