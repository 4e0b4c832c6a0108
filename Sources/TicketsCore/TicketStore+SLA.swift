/// SLA deadlines for `list` output: when a ticket waiting on support (open, in-progress,
/// customer-reply) is due, by the same rule as `--overdue` (`waitingSince` + the target of
/// its priority). Tickets not waiting on support have no deadline.
public struct Deadline: Equatable, Sendable {
    public var dueAt: Timestamp
    public var overdue: Bool
    public init(dueAt: Timestamp, overdue: Bool) {
        self.dueAt = dueAt
        self.overdue = overdue
    }
}

extension TicketStore {
    /// One query for the whole list: the ids travel as one JSON array (`json_each`), so a
    /// list of 100,000 tickets costs no more statements than a list of ten.
    public func deadlines(of tickets: [Ticket], targets: [Priority: Int64],
                          now: Timestamp) throws(TicketsError) -> [Int64: Deadline] {
        let waiting = tickets.filter { [.open, .inProgress, .customerReply].contains($0.status) }
        guard !waiting.isEmpty else { return [:] }
        let priorities = Dictionary(waiting.map { ($0.id, $0.priority) }, uniquingKeysWith: { a, _ in a })
        let s = try db.prepare("""
            SELECT t.id, \(Self.waitingSince) FROM tickets t
            WHERE t.id IN (SELECT value FROM json_each(?))
            """)
        s.bind(1, "[" + waiting.map { String($0.id) }.joined(separator: ",") + "]")
        var out = [Int64: Deadline]()
        try readTransaction { () throws(TicketsError) in
            while try s.step() {
                let id = s.int(0)
                guard let since = Timestamp.parse(s.text(1)), let p = priorities[id] else { continue }
                let due = since.adding(targets[p] ?? 0)
                // Overdue exactly when `list --overdue` would list it: waiting since before now - target.
                out[id] = Deadline(dueAt: due, overdue: due < now)
            }
        }
        return out
    }
}
