/// `assign`, `close`, `cancel`, `reopen` and `rate`: the changes of status and of one
/// field, each one write transaction (SPEC §3).
extension TicketStore {
    /// `assign`: agents only; takes the ticket for `assignee`. The event records who it
    /// went to (`field` assignee, SPEC §2).
    public func assign(_ id: Int64, to assignee: String, actor: Actor, now: Timestamp) throws(TicketsError) -> ActionResult {
        let at = now.rfc3339
        return try change { () throws(TicketsError) -> ActionResult in
            let viewer = Viewer(actor)
            let t = try visibleTicket(id, viewer: viewer, forUpdate: true)
            switch try decide(.assign, t, party: Visibility.party(t, viewer) ?? .requester, facts: try facts(t, newAssignee: assignee)) {
            case .noop(let note): return .unchanged(t, note: note)
            case .apply(let to):
                var u = TicketUpdate.status(to, at: at)
                u.assignee = .some(assignee)
                try updateTicket(id, u)
                let after = try reread(id)
                try record(NewEvent(ticketID: id, actor: actor.person, action: "assign", from: t.status, to: to,
                                    field: "assignee", oldValue: t.assignee, newValue: assignee, at: at),
                           ticket: after, actor: actor)
                return .changed(after)
            }
        }
    }

    /// `close`, `cancel`, `reopen`, with an optional message said along with the change.
    public func transition(_ id: Int64, _ action: LifecycleAction, message: String?, actor: Actor,
                           now: Timestamp) throws(TicketsError) -> ActionResult {
        let at = now.rfc3339
        return try change { () throws(TicketsError) -> ActionResult in
            let viewer = Viewer(actor)
            let t = try visibleTicket(id, viewer: viewer, forUpdate: true)
            switch try decide(action, t, party: Visibility.party(t, viewer) ?? .requester, facts: try facts(t)) {
            case .noop(let note): return .unchanged(t, note: note)
            case .apply(let to):
                if action == .reopen, let key = t.dedupeKey,
                   let holder = try activeTicket(requesterKey: EmailIdentity.key(t.requester.email), dedupeKey: key) {
                    throw .transition("ticket #\(id) cannot be reopened: its dedupe key '\(key)' is carried by active ticket #\(holder) of the same requester; close #\(holder) first, or reply there")
                }
                let said = try message.map { (text) throws(TicketsError) in
                    try insertMessage(NewMessageRow(ticketID: id, author: actor.person,
                                                    role: actor.role == .agent ? .agent : .requester, body: text,
                                                    isInternal: false, at: at, attachments: []))
                }
                try updateTicket(id, .status(to, at: at))
                let after = try reread(id)
                try record(NewEvent(ticketID: id, actor: actor.person, action: action.rawValue, from: t.status, to: to, at: at,
                                    messageID: said), ticket: after, actor: actor, text: message)
                return .changed(after)
            }
        }
    }

    /// What `transition` would do, without writing: the same checks in the same order
    /// (exists 66, may act 77, allowed in status 65), for `close --dry-run`.
    public func previewTransition(_ id: Int64, _ action: LifecycleAction, actor: Actor) throws(TicketsError) -> ActionResult {
        try read { () throws(TicketsError) -> ActionResult in
            let viewer = Viewer(actor)
            let t = try visibleTicket(id, viewer: viewer)
            switch try decide(action, t, party: Visibility.party(t, viewer) ?? .requester, facts: try facts(t)) {
            case .apply: return .changed(t)
            case .noop(let note): return .unchanged(t, note: note)
            }
        }
    }

    /// `rate`: the requester's stars and review. A second rating replaces the first; the
    /// one replaced comes back so that the command can say so.
    public func rate(_ id: Int64, stars: Int, review: String?, actor: Actor,
                     now: Timestamp) throws(TicketsError) -> (ticket: Ticket, replaced: Rating?) {
        let at = now.rfc3339
        return try change { () throws(TicketsError) -> (ticket: Ticket, replaced: Rating?) in
            let viewer = Viewer(actor)
            let t = try visibleTicket(id, viewer: viewer, forUpdate: true)
            _ = try decide(.rate, t, party: Visibility.party(t, viewer) ?? .requester, facts: LifecycleFacts())
            var u = TicketUpdate()
            u.rating = .some(Rating(stars: stars, review: review, ratedAt: at))
            u.updatedAt = at
            try updateTicket(id, u)
            let after = try reread(id)
            try record(NewEvent(ticketID: id, actor: actor.person, action: "rate", from: t.status, to: t.status, at: at),
                       ticket: after, actor: actor)
            return (after, t.rating)
        }
    }
}
