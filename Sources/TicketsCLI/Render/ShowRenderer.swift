import TicketsCore

/// `show`: the ticket, then the conversation oldest first, each message with its
/// attachments; with --history, the events. Every displayed field is sanitized.
struct ShowRenderer {
    let inv: Invocation
    init(_ inv: Invocation) { self.inv = inv }

    var out: OutputStream { inv.io.stdout }

    private func bold(_ s: String) -> String { inv.useColor ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    private func styled(_ s: String, _ style: String?) -> String {
        guard inv.useColor, let style else { return s }
        return "\u{1B}[\(style)m\(s)\u{1B}[0m"
    }

    static func time(_ s: String) -> String { Timestamp.parse(s)?.humanUTC ?? s }

    /// The ticket's fields; `deadline` adds when it is due (or how overdue it is).
    func header(_ t: Ticket, deadline: Deadline? = nil) {
        var s = bold("#\(t.id) \(Sanitizer.line(t.subject))") + "\n"
        s += "Status:     \(styled(t.status.rawValue, Style.status(t.status)))\n"
        s += "Priority:   \(styled(t.priority.rawValue, Style.priority(t.priority)))\n"
        s += "Department: \(Sanitizer.line(t.department))\n"
        if let service = t.service { s += "Service:    \(Sanitizer.line(service))\n" }
        s += "Requester:  \(Sanitizer.line(TicketField.requester.plain(t) ?? ""))\n"
        if !t.cc.isEmpty { s += "CC:         \(Sanitizer.line(t.cc.joined(separator: ", ")))\n" }
        s += "Assignee:   \(Sanitizer.line(t.assignee ?? "-"))\n"
        if let key = t.dedupeKey { s += "Dedupe key: \(Sanitizer.line(key))\n" }
        s += "Created:    \(Self.time(t.createdAt))\n"
        s += "Updated:    \(Self.time(t.updatedAt))\n"
        if let d = deadline {
            let when = "\(d.dueAt.humanUTC) (\(Duration.relative(d.dueAt, now: inv.now)))"
            s += d.overdue ? "Due:        \(styled(when + ", overdue", "1;31"))\n" : "Due:        \(when)\n"
        }
        if let closed = t.closedAt { s += (t.status == .canceled ? "Canceled:   " : "Closed:     ") + "\(Self.time(closed))\n" }
        if let r = t.rating {
            s += "Rating:     \(TicketField.rating.plain(t) ?? "")"
            if let review = r.review { s += " \"\(Sanitizer.line(review))\"" }
            s += "\n"
        }
        out.write(s)
    }

    func detail(_ d: TicketDetail, deadline: Deadline? = nil, history: Bool) {
        header(d.ticket, deadline: deadline)
        let reasons = MessagePurpose.reasons(events: d.events)
        for m in d.messages {
            var who = m.author.name.isEmpty ? m.author.email : "\(m.author.name) <\(m.author.email)>"
            who = Sanitizer.line(who)
            var kind = m.isInternal ? "internal note" : m.role.rawValue
            if let action = reasons[m.id] { kind += ", reason for \(Self.reasonNoun[action] ?? action)" }
            out.write("\n" + bold("--- \(who) (\(kind)) \(Self.time(m.createdAt))") + "\n")
            out.write(Sanitizer.body(m.body))
            if !m.body.hasSuffix("\n") { out.write(byte: 0x0A) }
            for a in m.attachments {
                out.write("[attachment] \(Sanitizer.line(a.name)) (\(Self.size(a.size)), \(Sanitizer.line(a.contentType)))\n")
            }
        }
        if history && !d.events.isEmpty {
            out.write("\n" + bold("History") + "\n")
            var table = TextTable(headers: ["WHEN", "WHO", "WHAT", "CHANGE"])
            table.elastic = 3
            for e in d.events {
                table.rows.append([Self.time(e.createdAt), Sanitizer.line(e.actor.email), Sanitizer.line(e.action),
                                   Sanitizer.line(Self.change(e))])
            }
            table.render(width: inv.columns, color: inv.useColor, to: out)
        }
    }

    static let reasonNoun = ["close": "closing", "cancel": "canceling", "reopen": "reopening"]

    /// What an event changed, in words: `open → in-progress`, `assignee: - → kim@example.com`,
    /// `merged into #5`.
    static func change(_ e: Event) -> String {
        var parts = [String]()
        if let to = e.toStatus {
            if let from = e.fromStatus {
                if from != to { parts.append("\(from) → \(to)") }
            } else {
                parts.append("→ \(to)")
            }
        }
        switch e.field {
        case "merged_into"?: parts.append("merged into #\(e.newValue ?? "?")")
        case "merged_from"?: parts.append("merged from #\(e.newValue ?? "?")")
        case let field?: parts.append("\(field): \(e.oldValue ?? "-") → \(e.newValue ?? "-")")
        case nil: break
        }
        return parts.joined(separator: "; ")
    }

    static func size(_ n: Int64) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return "\(n / 1024) KiB" }
        return "\(n / 1024 / 1024).\(n / 1024 % 1024 * 10 / 1024) MiB"
    }
}

/// The ticket with its conversation as one JSON object (`show --json`, `export`).
enum DetailJSON {
    /// `{name, email}`: authors, actors and requesters alike.
    static func person(_ p: Person, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("name"); w.string(p.name)
        w.key("email"); w.string(p.email)
        w.endObject()
    }

    /// One event in the fields of SPEC §6 (export, `show --history --json`, hooks).
    static func event(_ e: Event, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.int(e.id)
        w.key("actor"); person(e.actor, &w)
        w.key("action"); w.string(e.action)
        w.key("from_status"); w.string(e.fromStatus)
        w.key("to_status"); w.string(e.toStatus)
        w.key("field"); w.string(e.field)
        w.key("old_value"); w.string(e.oldValue)
        w.key("new_value"); w.string(e.newValue)
        w.key("message_id"); w.int(e.messageID)
        w.key("created_at"); w.string(e.createdAt)
        w.endObject()
    }

    static func write(_ d: TicketDetail, events: Bool, _ w: inout JSONWriter,
                      attachmentData: ((Attachment) throws(TicketsError) -> [UInt8])? = nil) throws(TicketsError) {
        w.beginObject()
        for f in TicketField.stored { f.writeJSON(d.ticket, &w) }
        w.key("messages")
        w.beginArray()
        for m in d.messages {
            w.beginObject()
            w.key("id"); w.int(m.id)
            w.key("author"); person(m.author, &w)
            w.key("role"); w.string(m.role.rawValue)
            w.key("internal"); w.bool(m.isInternal)
            w.key("body"); w.string(m.body)
            w.key("created_at"); w.string(m.createdAt)
            w.key("attachments"); w.beginArray()
            for a in m.attachments {
                w.beginObject()
                w.key("id"); w.int(a.id)
                w.key("name"); w.string(a.name)
                w.key("size"); w.int(a.size)
                w.key("sha256"); w.string(a.sha256)
                w.key("content_type"); w.string(a.contentType)
                if let attachmentData {
                    w.key("data"); w.string(Base64.encodeString(try attachmentData(a)))
                }
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        if events {
            w.key("events")
            w.beginArray()
            for e in d.events { event(e, &w) }
            w.endArray()
        }
        w.endObject()
    }
}
