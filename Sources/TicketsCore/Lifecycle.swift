/// The lifecycle of SPEC §3, written once as data (`Lifecycle.rules`, the SPEC's table
/// row by row) and read by one function. The operations ask it inside the write
/// transaction, after the existence and visibility checks, so the order "exists (66), may
/// act (77), allowed in status (65)" holds.
public enum LifecycleAction: String, CaseIterable, Sendable {
    case reply, internalNote = "note", assign, close, closeStale = "auto-close", cancel, reopen, rate, edit, merge
}

/// Who is acting, relative to one ticket (SPEC §3: "the requester is the ticket's
/// requester alone; someone on cc may see the ticket and reply to it, nothing else").
public enum Party: String, CaseIterable, Sendable {
    case requester, cc, agent, system
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
    /// Not allowed to this party on any ticket (77).
    case forbidden(String)
    /// Not allowed in this status (65).
    case refused(String)
}

public enum Lifecycle {
    /// One row of SPEC §3's table.
    public struct Rule: Sendable {
        public enum Result: Sendable {
            case to(Status)
            /// The status stays as it is (internal notes, rating, edit).
            case unchanged
        }

        public enum Condition: Sendable {
            /// Cancel: no public agent reply and no assignee yet.
            case untouchedBySupport
            /// Assign while in progress to the agent it already has: a no-op.
            case newAssignee
        }

        public let action: LifecycleAction
        public let from: Set<Status>
        public let result: Result
        public let who: Set<Party>
        public let condition: Condition?

        init(_ action: LifecycleAction, from: Set<Status>, _ result: Result, who: Set<Party>, if condition: Condition? = nil) {
            self.action = action
            self.from = from
            self.result = result
            self.who = who
            self.condition = condition
        }
    }

    static let active = Set(Status.active)
    static let all = Set(Status.allCases)

    /// SPEC §3, row by row. `edit` and `merge` (SPEC §5) are here for who may do them
    /// in which status; which fields a requester may edit is the edit operation's rule.
    public static let rules: [Rule] = [
        Rule(.reply, from: [.open], .to(.open), who: [.requester, .cc]),
        Rule(.reply, from: [.inProgress, .answered, .customerReply], .to(.customerReply), who: [.requester, .cc]),
        Rule(.reply, from: active, .to(.answered), who: [.agent]),
        Rule(.internalNote, from: active, .unchanged, who: [.agent]),
        Rule(.assign, from: [.open, .customerReply], .to(.inProgress), who: [.agent]),
        Rule(.assign, from: [.inProgress], .to(.inProgress), who: [.agent], if: .newAssignee),
        Rule(.close, from: active, .to(.closed), who: [.requester, .agent]),
        Rule(.closeStale, from: [.answered], .to(.closed), who: Set(Party.allCases)),
        Rule(.cancel, from: [.open], .to(.canceled), who: [.requester, .agent], if: .untouchedBySupport),
        Rule(.reopen, from: [.closed, .canceled], .to(.open), who: [.requester, .agent]),
        Rule(.rate, from: [.closed], .unchanged, who: [.requester]),
        Rule(.edit, from: all, .unchanged, who: [.agent]),
        Rule(.edit, from: active, .unchanged, who: [.requester]),
        Rule(.merge, from: active, .unchanged, who: [.agent]),
    ]

    /// The verdict for `action` on a ticket in `status`, by `party`.
    public static func decide(_ action: LifecycleAction, from status: Status, party: Party,
                              facts: LifecycleFacts = LifecycleFacts()) -> LifecycleDecision {
        let rows = rules.filter { $0.action == action }
        guard rows.contains(where: { $0.who.contains(party) }) else { return .forbidden(forbiddenReason(action, party)) }
        let mine = rows.filter { $0.who.contains(party) }
        if let row = mine.first(where: { $0.from.contains(status) }) {
            switch row.condition {
            case .untouchedBySupport? where facts.hasPublicAgentReply || facts.hasAssignee:
                return refusal(action, status, party: party, facts: facts)
            case .newAssignee? where facts.sameAssignee:
                return .noop("already assigned to that agent")
            default:
                switch row.result {
                case .to(let s): return .apply(s)
                case .unchanged: return .apply(status)
                }
            }
        }
        // Repeating an action whose result already holds is a no-op (close a closed ticket).
        if let target = mine.compactMap({ if case .to(let s) = $0.result { s } else { nil } }).first,
           target == status, mine.allSatisfy({ !$0.from.contains(status) }) {
            return .noop("already \(status.rawValue)")
        }
        return refusal(action, status, party: party, facts: facts)
    }

    /// The actions that would apply now, for refusal texts and completions.
    public static func allowedActions(from status: Status, party: Party, facts: LifecycleFacts) -> [LifecycleAction] {
        LifecycleAction.allCases.filter { action in
            guard action != .closeStale, action != .merge, action != .edit else { return false }
            return rules.contains { row in
                guard row.action == action, row.who.contains(party), row.from.contains(status) else { return false }
                switch row.condition {
                case .untouchedBySupport?: return !facts.hasPublicAgentReply && !facts.hasAssignee
                case .newAssignee?, nil: return true
                }
            }
        }
    }

    /// The statuses from which `party` may do `action` (completion offers those tickets).
    public static func statuses(for action: LifecycleAction, party: Party) -> [Status] {
        Status.allCases.filter { s in rules.contains { $0.action == action && $0.who.contains(party) && $0.from.contains(s) } }
    }

    static func forbiddenReason(_ action: LifecycleAction, _ party: Party) -> String {
        switch (action, party) {
        case (.assign, .requester), (.assign, .cc):
            return "only an agent may assign tickets (use --agent or TICKETS_ROLE=agent)"
        case (.internalNote, .requester), (.internalNote, .cc):
            return "only an agent may write internal notes (use --agent or TICKETS_ROLE=agent)"
        case (.merge, _):
            return "only an agent may merge tickets (use --agent or TICKETS_ROLE=agent)"
        case (.rate, .agent), (.rate, .system):
            return "only the requester may rate a ticket"
        case (_, .cc):
            return "only the ticket's requester or an agent may \(action.verb) it; being on its cc list lets you see it and reply, nothing else"
        case (_, .system):
            return "the system role acts only through close --stale"
        default:
            return "\(party.rawValue)s may not \(action.verb) tickets"
        }
    }

    /// Names the current status, why the action is refused, and what may be done now (SPEC §3).
    static func refusal(_ action: LifecycleAction, _ status: Status, party: Party, facts: LifecycleFacts) -> LifecycleDecision {
        let allowed = allowedActions(from: status, party: party, facts: facts).map(\.commandName)
        let list = allowed.isEmpty ? "nothing" : allowed.joined(separator: ", ")
        if (action == .reply || action == .internalNote) && !status.isActive {
            let what = action == .reply ? "replies" : "notes"
            return .refused("ticket is \(status.rawValue); \(what) are refused until it is reopened (tickets reopen ID); allowed now: \(list)")
        }
        var text = "cannot \(action.verb) a ticket that is \(status.rawValue)"
        if let rule = ruleText(action) { text += "; \(rule)" }
        return .refused(text + "; allowed now: \(list)")
    }

    /// The rule itself, said in words where a status name alone does not explain a refusal.
    static func ruleText(_ action: LifecycleAction) -> String? {
        switch action {
        case .cancel: "a ticket can be canceled only while it is open, before an agent has replied to it or taken it"
        case .rate: "only a closed ticket can be rated"
        case .closeStale: "close --stale closes only answered tickets"
        case .reopen: "only a closed or canceled ticket can be reopened"
        case .assign: "only an open, in-progress or customer-reply ticket can be assigned"
        case .merge: "closed and canceled tickets cannot be merged (reopen them first)"
        default: nil
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

    /// How a user asks for the action on the command line.
    public var commandName: String {
        switch self {
        case .internalNote: "reply --internal"
        case .closeStale: "close --stale"
        default: rawValue
        }
    }
}
