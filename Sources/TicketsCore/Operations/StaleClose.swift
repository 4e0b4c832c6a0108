/// `close --stale` for cron (SPEC §3): candidates are chosen in a read; each chunk then
/// checks the condition again under the write lock, so a reply that lands while the job
/// runs wins, and a concurrent `tickets open` never waits behind the whole batch.
extension TicketStore {
    /// Tickets `close --stale` would close now, lowest id first. The role is ignored:
    /// the stale rule is the system's, whoever runs the job.
    public func staleTickets(idleSince cutoff: Timestamp) throws(TicketsError) -> [Ticket] {
        try read { () throws(TicketsError) -> [Ticket] in
            var out = [Ticket]()
            for id in try staleTicketIDs(idleSince: cutoff) {
                if let t = try ticket(id, forUpdate: false) { out.append(t) }
            }
            return out
        }
    }

    /// Closes one stale ticket with a system message saying why; nil when it is no longer
    /// stale (a reply came in, someone closed it) by the time the write lock is held.
    public func closeStale(_ id: Int64, idleSince cutoff: Timestamp, reason: String,
                           now: Timestamp) throws(TicketsError) -> Ticket? {
        try closeStale([id], idleSince: cutoff, reason: reason, now: now).first
    }

    /// Several stale tickets in one transaction: one commit for the chunk. The caller
    /// keeps chunks short and pauses between them, so others get the lock.
    public func closeStale(_ ids: ArraySlice<Int64>, idleSince cutoff: Timestamp, reason: String,
                           now: Timestamp) throws(TicketsError) -> [Ticket] {
        let at = now.rfc3339
        let system = Actor(person: .system, role: .system)
        return try change { () throws(TicketsError) -> [Ticket] in
            var due = [(ticket: Ticket, to: Status)]()
            for id in ids {
                // Lock the row first, then look: on PostgreSQL (READ COMMITTED) a reply
                // that commits between an unlocked check and the lock would otherwise
                // turn a skip into a refused transition (65) for the whole job. Each
                // statement after the lock sees that reply, so the check below skips it.
                guard let t = try ticket(id, forUpdate: true), try isStale(id, idleSince: cutoff),
                      case .apply(let to) = Lifecycle.decide(.closeStale, from: t.status, party: .system,
                                                             facts: LifecycleFacts())
                else { continue }
                due.append((t, to))
            }
            guard !due.isEmpty else { return [] }
            let messages = try insertSystemMessages(ticketIDs: due.map(\.ticket.id), author: .system, body: reason, at: at)
            var closed = [Ticket]()
            for (t, to) in due {
                try updateTicket(t.id, .status(to, at: at))
                let after = try reread(t.id)
                try record(NewEvent(ticketID: t.id, actor: .system, action: LifecycleAction.closeStale.rawValue,
                                    from: t.status, to: to, at: at, messageID: messages[t.id]),
                           ticket: after, actor: system, text: reason)
                closed.append(after)
            }
            return closed
        }
    }
}
