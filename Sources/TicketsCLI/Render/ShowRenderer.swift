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

    func header(_ t: Ticket) {
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
        if let closed = t.closedAt { s += "Closed:     \(Self.time(closed))\n" }
        if let r = t.rating {
            s += "Rating:     \(TicketField.rating.plain(t) ?? "")"
            if let review = r.review { s += " \"\(Sanitizer.line(review))\"" }
            s += "\n"
        }
        out.write(s)
    }

    func detail(_ d: TicketDetail) {
        header(d.ticket)
        for m in d.messages {
            var who = m.author.name.isEmpty ? m.author.email : "\(m.author.name) <\(m.author.email)>"
            who = Sanitizer.line(who)
            let kind = m.isInternal ? "internal note" : m.role.rawValue
            out.write("\n" + bold("--- \(who) (\(kind)) \(Self.time(m.createdAt))") + "\n")
            out.write(Sanitizer.body(m.body))
            if !m.body.hasSuffix("\n") { out.write(byte: 0x0A) }
            for a in m.attachments {
                out.write("[attachment] \(Sanitizer.line(a.name)) (\(Self.size(a.size)), \(Sanitizer.line(a.contentType)))\n")
            }
        }
        if !d.events.isEmpty {
            out.write("\n" + bold("History") + "\n")
            for e in d.events {
                let change = e.fromStatus == e.toStatus || e.fromStatus == nil
                    ? (e.toStatus ?? "") : "\(e.fromStatus ?? "") -> \(e.toStatus ?? "")"
                out.write("\(Self.time(e.createdAt))  \(Sanitizer.line(e.action))  \(change)  by \(Sanitizer.line(e.actor.email))\n")
            }
        }
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

    static func write(_ d: TicketDetail, events: Bool, _ w: inout JSONWriter,
                      attachmentData: ((Attachment) throws(TicketsError) -> [UInt8])? = nil) throws(TicketsError) {
        w.beginObject()
        for f in TicketField.allCases { f.writeJSON(d.ticket, &w) }
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
            for e in d.events {
                w.beginObject()
                w.key("id"); w.int(e.id)
                w.key("actor"); person(e.actor, &w)
                w.key("action"); w.string(e.action)
                w.key("from_status"); w.string(e.fromStatus)
                w.key("to_status"); w.string(e.toStatus)
                w.key("created_at"); w.string(e.createdAt)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
    }
}
