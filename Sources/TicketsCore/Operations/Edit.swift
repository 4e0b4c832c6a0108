/// `edit`: routes and corrects a ticket (SPEC §5; the seeds: "department can be changed
/// by our support team"). Agents change any field in any status; the requester only the
/// subject and the cc list of an active ticket of theirs; a cc nothing (77).
public struct TicketEdit: Equatable, Sendable {
    public var subject: String?
    public var department: String?
    public var priority: Priority?
    /// `.some(nil)`: `--no-service`.
    public var service: String??
    public var addCC: [String] = []
    public var removeCC: [String] = []
    /// Why: an internal note (agent) or a requester message, written only if something changed.
    public var message: String?

    public init() {}

    /// The fields only an agent may change.
    var touchesAgentFields: Bool { department != nil || priority != nil || service != nil }
}

extension TicketStore {
    /// One write transaction: each changed field writes one `edit` event (`field`,
    /// `old_value`, `new_value`); the status stays. Nothing changed is a no-op.
    public func edit(_ id: Int64, _ e: TicketEdit, actor: Actor, now: Timestamp) throws(TicketsError) -> ActionResult {
        let at = now.rfc3339
        return try change { () throws(TicketsError) -> ActionResult in
            let viewer = Viewer(actor)
            let t = try visibleTicket(id, viewer: viewer, forUpdate: true)
            let party = Visibility.party(t, viewer) ?? .requester
            if party == .requester && e.touchesAgentFields {
                throw .notPermitted("ticket #\(id): a requester may change only the subject and the cc list; the department, priority and service are set by support (ask an agent)")
            }
            if party == .requester && !t.status.isActive {
                throw .notPermitted("ticket #\(id) is \(t.status.rawValue): a requester may edit only an active ticket (reopen it first, or ask an agent)")
            }
            switch try decide(.edit, t, party: party, facts: LifecycleFacts()) {
            case .noop(let note): return .unchanged(t, note: note)
            case .apply: break
            }
            var update = TicketUpdate()
            var changes = [(field: String, old: String?, new: String?)]()
            if let s = e.subject, s != t.subject {
                update.subject = s
                changes.append(("subject", t.subject, s))
            }
            if let d = e.department, d != t.department {
                update.department = d
                changes.append(("department", t.department, d))
            }
            if let p = e.priority, p != t.priority {
                update.priority = p
                changes.append(("priority", t.priority.rawValue, p.rawValue))
            }
            if let s = e.service, s != t.service {
                update.service = .some(s)
                changes.append(("service", t.service, s))
            }
            let cc = CCList.merged(CCList.removing(t.cc, e.removeCC), adding: e.addCC)
            if cc != t.cc {
                try setCC(id, cc)
                changes.append(("cc", t.cc.isEmpty ? nil : t.cc.joined(separator: ", "), cc.isEmpty ? nil : cc.joined(separator: ", ")))
            }
            guard !changes.isEmpty else { return .unchanged(t, note: "ticket #\(id) already has those values; nothing changed") }
            update.updatedAt = at
            try updateTicket(id, update)
            let said = try e.message.map { (text) throws(TicketsError) in
                try insertMessage(NewMessageRow(ticketID: id, author: actor.person,
                                                role: party == .agent ? .agent : .requester, body: text,
                                                isInternal: party == .agent, at: at, attachments: []))
            }
            let after = try reread(id)
            for (i, c) in changes.enumerated() {
                try record(NewEvent(ticketID: id, actor: actor.person, action: "edit", from: t.status, to: t.status,
                                    field: c.field, oldValue: c.old, newValue: c.new, at: at, messageID: i == 0 ? said : nil),
                           ticket: after, actor: actor, text: i == 0 ? e.message : nil, isInternal: party == .agent)
            }
            return .changed(after)
        }
    }
}
