/// `close --stale` for cron, and the dry runs of `close`. Candidates are chosen in a
/// read; each close then checks the condition again under the write lock, in short
/// IMMEDIATE transactions of a few tickets, so a reply that lands while the job runs wins,
/// and a concurrent `tickets open` never waits behind the whole batch.
extension TicketStore {
    /// True for a ticket in `answered` whose newest message (of any kind) is at or before `cutoff`.
    static let staleCondition = """
        t.status = 'answered'
        AND COALESCE((SELECT max(m.created_at) FROM messages m WHERE m.ticket_id = t.id), t.created_at) <= ?
        """

    /// Tickets `close --stale` would close now, oldest id first. The role is ignored:
    /// the stale rule is the system's, whoever runs the job (SPEC §3).
    public func staleTickets(idleSince cutoff: Timestamp) throws(TicketsError) -> [Ticket] {
        let s = try db.prepare("SELECT \(Self.ticketColumns) FROM tickets t WHERE \(Self.staleCondition) ORDER BY t.id")
        s.bind(1, cutoff.rfc3339)
        var out = [Ticket]()
        try readTransaction { () throws(TicketsError) in
            while try s.step() { out.append(Self.decodeTicket(s)) }
        }
        return out
    }

    /// Closes one stale ticket with a system message saying why; nil when it is no longer
    /// stale (a reply came in, someone closed it) by the time the write lock is held.
    public func closeStale(_ id: Int64, idleSince cutoff: Timestamp, reason: String,
                           now: Timestamp) throws(TicketsError) -> Ticket? {
        try closeStale([id], idleSince: cutoff, reason: reason, now: now).first
    }

    /// Several stale tickets in one transaction: one commit (one fsync) for the chunk. The
    /// caller keeps chunks short and pauses between them, so others get the lock.
    public func closeStale(_ ids: ArraySlice<Int64>, idleSince cutoff: Timestamp, reason: String,
                           now: Timestamp) throws(TicketsError) -> [Ticket] {
        let at = now.rfc3339
        let system = Actor(person: .system, role: .system)
        // The system sees every ticket, as an agent does; the lifecycle still judges it as `system`.
        let everyone = Actor(person: .system, role: .agent)
        return try writeTransaction { () throws(TicketsError) -> [Ticket] in
            var due = [(ticket: Ticket, to: Status)]()
            for id in ids {
                let s = try db.prepare("SELECT EXISTS (SELECT 1 FROM tickets t WHERE t.id = ? AND \(Self.staleCondition))")
                s.bind(1, id).bind(2, cutoff.rfc3339)
                _ = try s.step()
                let stale = s.int(0) != 0
                s.reset()
                guard stale else { continue }
                let t = try loadTicket(id, viewer: everyone)
                if case .success(let to) = try decide(.closeStale, t, actor: system, facts: LifecycleFacts()) {
                    due.append((t, to))
                }
            }
            guard !due.isEmpty else { return [] }
            // The chunk's system messages in ONE statement: FTS5 indexes them in one flush.
            // One INSERT per ticket wrote one tiny index segment each, and the merges they
            // piled up fell on whichever writer came next, a concurrent `open` among them
            // (waits over 100 ms at a million tickets, bench/RESULTS.md).
            try db.prepare("""
                INSERT INTO messages (ticket_id, author_name, author_email, role, body, internal, created_at)
                SELECT value, ?, ?, 'system', ?, 0, ? FROM json_each(?)
                """)
                .bindAll([.text(Person.system.name), .text(Person.system.email), .text(reason), .text(at),
                          .text("[" + due.map { String($0.ticket.id) }.joined(separator: ",") + "]")])
                .run()
            var closed = [Ticket]()
            for (t, to) in due {
                try setStatus(t.id, to, at: at)
                try insertEvent(t.id, actor: .system, action: LifecycleAction.closeStale.rawValue, from: t.status, to: to, at: at)
                closed.append(try loadTicket(t.id, viewer: everyone))
            }
            return closed
        }
    }

    /// What `transition` would do, without writing: the same checks in the same order
    /// (exists 66, may act 77, allowed in status 65), for `close --dry-run`.
    public func previewTransition(_ id: Int64, _ action: LifecycleAction, actor: Actor) throws(TicketsError) -> ActionResult {
        try readTransaction { () throws(TicketsError) in
            let t = try loadTicket(id, viewer: actor)
            switch try decide(action, t, actor: actor, facts: facts(t)) {
            case .success: return .changed(t)
            case .failure(let noop): return .unchanged(t, note: noop.note)
            }
        }
    }
}
