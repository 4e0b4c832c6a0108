/// Writes: each public method is one BEGIN IMMEDIATE transaction that re-reads the
/// ticket, asks `Lifecycle`, writes the change, its message and its event, and commits.
extension TicketStore {
    func insertEvent(_ ticketID: Int64, actor: Person, action: String, from: Status?, to: Status?,
                     at now: String) throws(TicketsError) {
        try db.prepare("""
            INSERT INTO events (ticket_id, actor_name, actor_email, action, from_status, to_status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
            .bindAll([.int(ticketID), .text(actor.name), .text(actor.email), .text(action),
                      from.map { .text($0.rawValue) } ?? .null, to.map { .text($0.rawValue) } ?? .null, .text(now)])
            .run()
    }

    @discardableResult
    func insertMessage(_ ticketID: Int64, author: Person, role: Role, body: String, internal isInternal: Bool,
                       attachments: [NewAttachment], at now: String) throws(TicketsError) -> Int64 {
        try db.prepare("""
            INSERT INTO messages (ticket_id, author_name, author_email, role, body, internal, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
            .bindAll([.int(ticketID), .text(author.name), .text(author.email), .text(role.rawValue), .text(body),
                      .int(isInternal ? 1 : 0), .text(now)])
            .run()
        let messageID = db.lastInsertRowID
        for a in attachments {
            let s = try db.prepare("""
                INSERT INTO attachments (message_id, name, size, sha256, content_type, data) VALUES (?, ?, ?, ?, ?, ?)
                """)
            s.bindAll([.int(messageID), .text(a.name), .int(Int64(a.bytes.count)), .text(a.sha256), .text(a.contentType)])
            s.bind(6, blob: a.bytes)
            try s.run()
        }
        return messageID
    }

    func setStatus(_ id: Int64, _ status: Status, at now: String) throws(TicketsError) {
        try db.prepare("""
            UPDATE tickets SET status = ?, updated_at = ?,
                closed_at = CASE WHEN ? = 'closed' THEN ? WHEN ? = 'open' THEN NULL ELSE closed_at END
            WHERE id = ?
            """)
            .bindAll([.text(status.rawValue), .text(now), .text(status.rawValue), .text(now), .text(status.rawValue), .int(id)])
            .run()
    }

    func facts(_ t: Ticket, newAssignee: String? = nil) throws(TicketsError) -> LifecycleFacts {
        let s = try db.prepare("SELECT EXISTS (SELECT 1 FROM messages WHERE ticket_id = ? AND role = 'agent' AND internal = 0)")
        s.bind(1, t.id)
        _ = try s.step()
        defer { s.reset() }
        return LifecycleFacts(hasPublicAgentReply: s.int(0) != 0, hasAssignee: t.assignee != nil,
                              sameAssignee: newAssignee != nil && t.assignee?.lowercased() == newAssignee?.lowercased())
    }

    /// Applies the lifecycle's verdict; returns the new status, or the no-op note.
    func decide(_ action: LifecycleAction, _ t: Ticket, actor: Actor, facts: LifecycleFacts) throws(TicketsError) -> Result<Status, NoOp> {
        switch Lifecycle.decide(action, from: t.status, role: actor.role, facts: facts) {
        case .apply(let s): return .success(s)
        case .noop(let note): return .failure(NoOp(note: "ticket #\(t.id) is \(note)"))
        case .forbidden(let why): throw .notPermitted(why)
        case .refused(let why): throw .transition("ticket #\(t.id): \(why)")
        }
    }

    struct NoOp: Error { let note: String }

    /// `open`: a new ticket, or with a dedupe key that an active ticket carries, a
    /// requester reply on that ticket. The lookup and the insert share one write lock,
    /// so concurrent CI jobs filing the same key make exactly one ticket.
    public func openTicket(_ new: NewTicket, actor: Actor, now: Timestamp) throws(TicketsError) -> (Ticket, deduplicated: Bool) {
        let at = now.rfc3339
        return try writeTransaction { () throws(TicketsError) in
            if let key = new.dedupeKey {
                let s = try db.prepare("""
                    SELECT id FROM tickets WHERE dedupe_key = ? AND status IN ('open','in-progress','answered','customer-reply')
                    """)
                s.bind(1, key)
                if try s.step() {
                    let id = s.int(0)
                    s.reset()
                    let requesterSide = Actor(person: actor.person, role: .requester)
                    let t = try loadTicket(id, viewer: actor)
                    guard Self.canSee(t, email: actor.person.email) || actor.isAgent else {
                        throw .notPermitted("the dedupe key belongs to ticket #\(id) of another requester")
                    }
                    if case .success(let to) = try decide(.reply, t, actor: requesterSide, facts: LifecycleFacts()) {
                        try insertMessage(id, author: actor.person, role: .requester, body: new.body, internal: false,
                                          attachments: new.attachments, at: at)
                        try setStatus(id, to, at: at)
                        try insertEvent(id, actor: actor.person, action: "reply", from: t.status, to: to, at: at)
                    }
                    return (try loadTicket(id, viewer: actor), true)
                }
            }
            try db.prepare("""
                INSERT INTO tickets (subject, status, priority, department, service, requester_name, requester_email,
                                     dedupe_key, created_at, updated_at)
                VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .bindAll([.text(new.subject), .text(new.priority.rawValue), .text(new.department),
                          new.service.map { .text($0) } ?? .null, .text(actor.person.name), .text(actor.person.email),
                          new.dedupeKey.map { .text($0) } ?? .null, .text(at), .text(at)])
                .run()
            let id = db.lastInsertRowID
            try insertCC(id, new.cc, existing: [])
            try insertMessage(id, author: actor.person, role: .requester, body: new.body, internal: false,
                              attachments: new.attachments, at: at)
            try insertEvent(id, actor: actor.person, action: "open", from: nil, to: .open, at: at)
            return (try loadTicket(id, viewer: actor), false)
        }
    }

    func insertCC(_ id: Int64, _ cc: [String], existing: [String]) throws(TicketsError) {
        var seen = Set(existing.map { $0.lowercased() })
        var position = Int64(existing.count)
        for email in cc where seen.insert(email.lowercased()).inserted {
            try db.prepare("INSERT INTO ticket_cc (ticket_id, position, email) VALUES (?, ?, ?)")
                .bindAll([.int(id), .int(position), .text(email)]).run()
            position += 1
        }
    }

    /// `reply`, public or internal.
    public func reply(_ id: Int64, body: String, internal isInternal: Bool, cc: [String], attachments: [NewAttachment],
                      actor: Actor, now: Timestamp) throws(TicketsError) -> Ticket {
        let at = now.rfc3339
        return try writeTransaction { () throws(TicketsError) in
            let t = try loadTicket(id, viewer: actor)
            let action: LifecycleAction = isInternal ? .internalNote : .reply
            guard case .success(let to) = try decide(action, t, actor: actor, facts: facts(t)) else { return t }
            try insertMessage(id, author: actor.person, role: actor.role, body: body, internal: isInternal,
                              attachments: attachments, at: at)
            try insertCC(id, cc, existing: t.cc)
            try setStatus(id, to, at: at)
            try insertEvent(id, actor: actor.person, action: action.rawValue, from: t.status, to: to, at: at)
            return try loadTicket(id, viewer: actor)
        }
    }

    /// `assign`: agents only; takes the ticket for `assignee`.
    public func assign(_ id: Int64, to assignee: String, actor: Actor, now: Timestamp) throws(TicketsError) -> ActionResult {
        let at = now.rfc3339
        return try writeTransaction { () throws(TicketsError) in
            let t = try loadTicket(id, viewer: actor)
            switch try decide(.assign, t, actor: actor, facts: facts(t, newAssignee: assignee)) {
            case .failure(let noop): return .unchanged(t, note: noop.note)
            case .success(let to):
                try db.prepare("UPDATE tickets SET assignee = ? WHERE id = ?").bindAll([.text(assignee), .int(id)]).run()
                try setStatus(id, to, at: at)
                try insertEvent(id, actor: actor.person, action: "assign", from: t.status, to: to, at: at)
                return .changed(try loadTicket(id, viewer: actor))
            }
        }
    }

    /// `close`, `cancel`, `reopen`, with an optional message said along with the change.
    public func transition(_ id: Int64, _ action: LifecycleAction, message: String?, actor: Actor,
                           now: Timestamp) throws(TicketsError) -> ActionResult {
        let at = now.rfc3339
        return try writeTransaction { () throws(TicketsError) in
            let t = try loadTicket(id, viewer: actor)
            switch try decide(action, t, actor: actor, facts: facts(t)) {
            case .failure(let noop): return .unchanged(t, note: noop.note)
            case .success(let to):
                if let message {
                    try insertMessage(id, author: actor.person, role: actor.role, body: message, internal: false,
                                      attachments: [], at: at)
                }
                try setStatus(id, to, at: at)
                try insertEvent(id, actor: actor.person, action: action.rawValue, from: t.status, to: to, at: at)
                return .changed(try loadTicket(id, viewer: actor))
            }
        }
    }

    /// `rate`: the requester's stars and review; a second rating replaces the first.
    public func rate(_ id: Int64, stars: Int, review: String?, actor: Actor, now: Timestamp) throws(TicketsError) -> Ticket {
        let at = now.rfc3339
        return try writeTransaction { () throws(TicketsError) in
            let t = try loadTicket(id, viewer: actor)
            _ = try decide(.rate, t, actor: actor, facts: LifecycleFacts())
            try db.prepare("UPDATE tickets SET rating_stars = ?, rating_review = ?, rated_at = ?, updated_at = ? WHERE id = ?")
                .bindAll([.int(Int64(stars)), review.map { .text($0) } ?? .null, .text(at), .text(at), .int(id)]).run()
            try insertEvent(id, actor: actor.person, action: "rate", from: t.status, to: t.status, at: at)
            return try loadTicket(id, viewer: actor)
        }
    }
}
