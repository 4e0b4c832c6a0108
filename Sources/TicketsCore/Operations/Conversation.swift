/// `open` and `reply`: the changes that add a message. Each is one write transaction
/// that reads the ticket (locking it), asks the lifecycle, writes the message, the status
/// and the event, and commits.
extension TicketStore {
    /// `open`: a new ticket, or with a dedupe key that an active ticket of the same
    /// requester carries, a requester reply on that ticket (SPEC §5). Keys are per
    /// requester: no filer ever learns of, or is blocked by, another requester's ticket.
    /// The lookup and the insert share one lock, so 16 CI jobs filing one key at once
    /// make exactly one ticket.
    public func openTicket(_ new: NewTicket, actor: Actor, now: Timestamp) throws(TicketsError) -> (ticket: Ticket, deduplicated: Bool) {
        let at = now.rfc3339
        let requesterKey = EmailIdentity.key(actor.person.email)
        return try change { () throws(TicketsError) -> (ticket: Ticket, deduplicated: Bool) in
            if let key = new.dedupeKey {
                try lockDedupeKey(requesterKey: requesterKey, dedupeKey: key)
                if let id = try activeTicket(requesterKey: requesterKey, dedupeKey: key) {
                    let t = try visibleTicket(id, viewer: Viewer(role: .requester, emailKey: requesterKey), forUpdate: true)
                    if case .apply(let to) = try decide(.reply, t, party: .requester, facts: LifecycleFacts()) {
                        let message = try insertMessage(NewMessageRow(ticketID: id, author: actor.person, role: .requester, body: new.body,
                                                                      isInternal: false, at: at, attachments: new.attachments))
                        try updateTicket(id, .status(to, at: at))
                        try record(NewEvent(ticketID: id, actor: actor.person, action: LifecycleAction.reply.rawValue,
                                            from: t.status, to: to, at: at, messageID: message),
                                   ticket: try reread(id), actor: Actor(person: actor.person, role: .requester), text: new.body)
                    }
                    return (try reread(id), true)
                }
            }
            let id = try insertTicket(NewTicketRow(subject: new.subject, priority: new.priority, department: new.department,
                                                   service: new.service, requester: actor.person, dedupeKey: new.dedupeKey, at: at))
            if !new.cc.isEmpty { try setCC(id, CCList.merged([], adding: new.cc)) }
            let message = try insertMessage(NewMessageRow(ticketID: id, author: actor.person, role: .requester, body: new.body,
                                                          isInternal: false, at: at, attachments: new.attachments))
            let opened = try reread(id)
            try record(NewEvent(ticketID: id, actor: actor.person, action: "open", from: nil, to: .open, at: at, messageID: message),
                       ticket: opened, actor: actor, text: new.body)
            return (opened, false)
        }
    }

    /// `reply`, public or internal; `cc` adds addresses to the ticket's cc list, which is
    /// the requester's or an agent's to do (a cc gets 77, SPEC §3).
    public func reply(_ id: Int64, body: String, internal isInternal: Bool, cc: [String], attachments: [NewAttachment],
                      actor: Actor, now: Timestamp) throws(TicketsError) -> Ticket {
        let at = now.rfc3339
        return try change { () throws(TicketsError) -> Ticket in
            let t = try visibleTicket(id, viewer: Viewer(actor), forUpdate: true)
            let party = Visibility.party(t, Viewer(actor)) ?? .requester
            if party == .cc && !cc.isEmpty {
                throw .notPermitted("ticket #\(id): only its requester or an agent may add to its cc list; being on cc lets you see it and reply")
            }
            let action: LifecycleAction = isInternal ? .internalNote : .reply
            guard case .apply(let to) = try decide(action, t, party: party, facts: try facts(t)) else { return t }
            let message = try insertMessage(NewMessageRow(ticketID: id, author: actor.person,
                                                          role: actor.role == .agent ? .agent : .requester,
                                                          body: body, isInternal: isInternal, at: at, attachments: attachments))
            if !cc.isEmpty {
                let merged = CCList.merged(t.cc, adding: cc)
                if merged != t.cc { try setCC(id, merged) }
            }
            try updateTicket(id, .status(to, at: at))
            let after = try reread(id)
            try record(NewEvent(ticketID: id, actor: actor.person, action: action.rawValue, from: t.status, to: to, at: at,
                                messageID: message), ticket: after, actor: actor, text: body, isInternal: isInternal)
            return after
        }
    }
}

/// The cc list: one entry per person by the email rule, in the order they were added.
public enum CCList {
    public static func merged(_ existing: [String], adding new: [String]) -> [String] {
        var seen = Set(existing.map(EmailIdentity.key))
        var out = existing
        for e in new where seen.insert(EmailIdentity.key(e)).inserted { out.append(e) }
        return out
    }

    public static func removing(_ existing: [String], _ gone: [String]) -> [String] {
        let keys = Set(gone.map(EmailIdentity.key))
        return existing.filter { !keys.contains(EmailIdentity.key($0)) }
    }
}
