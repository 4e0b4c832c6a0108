/// `merge`: the duplicate tickets people file become one (SPEC §5; WHMCS `MergeTicket`,
/// osTicket, Zammad, RT). One transaction for the whole command.
extension TicketStore {
    /// Moves every message (with its attachments) and cc address of each source into
    /// `target`, which keeps its own subject, requester and status. A source's requester,
    /// when another person, joins the target's cc list, so that they can still follow the
    /// conversation they started. Each source ends `closed` with a system message naming
    /// the target (`message` said there too), frees its dedupe key, and both sides get a
    /// `merge` event (`merged_into` / `merged_from`, the other id as `new_value`).
    ///
    /// Checks, for every id, in the order of SPEC §3: exists (66), agent (77), then (65)
    /// the target among the sources, a closed or canceled target or source.
    public func merge(_ sources: [Int64], into target: Int64, message: String?, actor: Actor,
                      now: Timestamp) throws(TicketsError) -> Ticket {
        let at = now.rfc3339
        var unique = [Int64]()
        for s in sources where !unique.contains(s) { unique.append(s) }
        return try change { () throws(TicketsError) -> Ticket in
            let viewer = Viewer(actor)
            let into = try visibleTicket(target, viewer: viewer, forUpdate: true)
            var from = [Ticket]()
            for s in unique where s != target { from.append(try visibleTicket(s, viewer: viewer, forUpdate: true)) }
            let party = Visibility.party(into, viewer) ?? .requester
            _ = try decide(.merge, into, party: party, facts: LifecycleFacts())
            if unique.contains(target) {
                throw .transition("ticket #\(target) is both the target and a source; a ticket cannot be merged into itself")
            }
            for s in from { _ = try decide(.merge, s, party: party, facts: LifecycleFacts()) }
            var cc = into.cc
            for s in from {
                try moveMessages(from: s.id, to: target)
                cc = CCList.merged(cc, adding: s.cc)
                if EmailIdentity.key(s.requester.email) != EmailIdentity.key(into.requester.email) {
                    cc = CCList.merged(cc, adding: [s.requester.email])
                }
                var body = "This ticket was merged into #\(target) by \(actor.person.email); the conversation continues there (tickets show \(target))."
                if let message { body += "\n\n" + message }
                let said = try insertSystemMessages(ticketIDs: [s.id], author: .system, body: body, at: at)[s.id]
                var u = TicketUpdate.status(.closed, at: at)
                u.dedupeKey = .some(nil)
                try updateTicket(s.id, u)
                try record(NewEvent(ticketID: s.id, actor: actor.person, action: "merge", from: s.status, to: .closed,
                                    field: "merged_into", oldValue: nil, newValue: String(target), at: at, messageID: said),
                           ticket: try reread(s.id), actor: actor, text: body)
            }
            // The cc list changes only when a source brought new people.
            if cc != into.cc { try setCC(target, cc) }
            var touched = TicketUpdate()
            touched.updatedAt = at
            try updateTicket(target, touched)
            let after = try reread(target)
            for s in from {
                try record(NewEvent(ticketID: target, actor: actor.person, action: "merge", from: into.status,
                                    to: into.status, field: "merged_from", oldValue: nil, newValue: String(s.id), at: at),
                           ticket: after, actor: actor)
            }
            return after
        }
    }
}
