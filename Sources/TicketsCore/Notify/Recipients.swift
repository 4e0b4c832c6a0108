/// Who hears of a change (SPEC §9): a pure function over the ticket's parties, the
/// actor and the config's `notify_agents`. The rules are a table, one row per case the
/// contract lists; two guards then apply to every row, whatever the table says:
/// an internal note reaches no requester or cc, and the actor gets no copy, except the
/// requester's confirmation of their own `open`.
public enum Recipients {
    /// A group of people a rule names.
    public enum Audience: Sendable {
        case requester, cc, notifyAgents
        /// The ticket's assignee; `notify_agents` while nobody is assigned.
        case assigneeElseNotifyAgents
    }

    /// One row of the table: `action` done by someone in `role` (nil: any role) tells
    /// `audience`.
    public struct Rule: Sendable {
        public let action: EventAction
        public let role: Role?
        public let audience: [Audience]
    }

    /// SPEC §9, in the contract's order. Actions the contract does not list tell nobody:
    /// an assignment, an edit, a merge and a rating are agents' bookkeeping or the
    /// requester's own verdict, and the requester hears of the outcome anyway when the
    /// ticket is answered or closed. Adding a notification is adding a row here.
    public static let rules: [Rule] = [
        Rule(action: .open, role: nil, audience: [.requester, .cc, .notifyAgents]),
        Rule(action: .reply, role: .agent, audience: [.requester, .cc]),
        Rule(action: .reply, role: .requester, audience: [.assigneeElseNotifyAgents]),
        Rule(action: .note, role: nil, audience: []),
        Rule(action: .close, role: nil, audience: [.requester, .cc]),
        Rule(action: .autoClose, role: nil, audience: [.requester, .cc]),
        Rule(action: .cancel, role: nil, audience: [.requester, .cc]),
        Rule(action: .reopen, role: nil, audience: [.requester, .cc]),
        Rule(action: .assign, role: nil, audience: []),
        Rule(action: .edit, role: nil, audience: []),
        Rule(action: .merge, role: nil, audience: []),
        Rule(action: .rate, role: nil, audience: []),
    ]

    /// The addresses to notify, in the order requester, cc, assignee, `notify_agents`,
    /// each person once (the first spelling seen is kept).
    ///
    /// - Parameters:
    ///   - action: the event's action. A `reply` with `isInternal` is taken as a `note`.
    ///   - requester: the ticket's requester email.
    ///   - cc: the ticket's cc emails.
    ///   - assignee: the assignee's email, nil when unassigned.
    ///   - actor: the email of whoever acted (`system` for auto-close).
    ///   - role: the actor's role; it picks the `reply` row (agent or requester).
    ///   - notifyAgents: the config's `notify_agents` list.
    ///   - isInternal: the event is an internal note; then no address that is the
    ///     requester's or a cc's is returned, even when another list names it.
    ///   - identity: an email's comparison key (SPEC §4: one rule everywhere); two
    ///     addresses with one key are one person.
    /// - Returns: possibly empty; empty means queue nothing.
    public static func of(_ action: EventAction, requester: String, cc: [String], assignee: String?,
                          actor: String, role: Role, notifyAgents: [String], isInternal: Bool,
                          identity: (String) -> String = { $0.lowercased() }) -> [String] {
        let action = action == .reply && isInternal ? .note : action
        guard let rule = rules.first(where: { $0.action == action && ($0.role == nil || $0.role == role) }) else {
            return []
        }
        var candidates = [String]()
        for group in rule.audience {
            switch group {
            case .requester: candidates.append(requester)
            case .cc: candidates += cc
            case .notifyAgents: candidates += notifyAgents
            case .assigneeElseNotifyAgents:
                if let assignee, !assignee.isEmpty { candidates.append(assignee) } else { candidates += notifyAgents }
            }
        }
        let requesterKey = identity(requester)
        let actorKey = identity(actor)
        let hidden: Set<String> = isInternal || action == .note ? Set([requesterKey] + cc.map(identity)) : []
        var seen = Set<String>()
        var out = [String]()
        for address in candidates where !address.isEmpty {
            let key = identity(address)
            guard !hidden.contains(key), seen.insert(key).inserted else { continue }
            // The requester's own `open` is the one copy an actor gets: the confirmation
            // with the ticket number.
            if key == actorKey && !(action == .open && key == requesterKey) { continue }
            out.append(address)
        }
        return out
    }
}
