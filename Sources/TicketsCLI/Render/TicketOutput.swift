import TicketsCore

/// Renders tickets in the chosen format: what `list`, bulk commands and mutating
/// commands print.
struct TicketOutput {
    let inv: Invocation
    var fields: [TicketField]?
    /// Extra JSON members per ticket (`deduplicated` on open).
    var extraJSON: ((Ticket, inout JSONWriter) -> Void)?
    /// `list`: SLA deadlines; JSON gains `due_at` and `overdue`, tables mark overdue ids with `!`.
    var deadlines: [Int64: Deadline]?

    init(_ inv: Invocation, fields: [TicketField]? = nil) {
        self.inv = inv
        self.fields = fields
    }

    var out: OutputStream { inv.io.stdout }

    /// A list: a table, a JSON array, ndjson lines or CSV rows.
    func list(_ tickets: [Ticket]) {
        switch inv.format {
        case .table: table(tickets)
        case .json:
            var w = JSONWriter(out)
            w.beginArray()
            for t in tickets { object(t, &w) }
            w.endArray()
            out.write(byte: 0x0A)
        case .ndjson:
            for t in tickets { line(t) }
        case .csv:
            let f = fields ?? TicketField.stored
            CSVWriter.row(f.flatMap(\.csvColumns), to: out)
            for t in tickets { CSVWriter.row(f.flatMap { $0.csvValues(t, deadlines?[t.id]) }, to: out) }
        }
    }

    /// One ticket after a change: the JSON object, or the header of `show`.
    func single(_ t: Ticket) {
        switch inv.format {
        case .table: ShowRenderer(inv).header(t)
        case .json, .ndjson: line(t)
        case .csv: list([t])
        }
    }

    func line(_ t: Ticket) {
        var w = JSONWriter(out)
        object(t, &w)
        out.write(byte: 0x0A)
    }

    /// `list --json` without --fields adds due_at and overdue after the ticket's fields.
    func object(_ t: Ticket, _ w: inout JSONWriter) {
        w.beginObject()
        let d = deadlines?[t.id]
        for f in fields ?? (deadlines == nil ? TicketField.stored : TicketField.allCases) { f.writeJSON(t, &w, d) }
        extraJSON?(t, &w)
        w.endObject()
    }

    func table(_ tickets: [Ticket]) {
        let f = fields ?? TicketField.tableDefault(agent: inv.isAgentView)
        var t = TextTable(headers: f.map { $0.rawValue.uppercased().replacing("_AT", with: "").replacing("_", with: " ") })
        t.elastic = f.firstIndex(of: .subject)
        // Columns named with --fields are what the person asked for: none is dropped.
        if fields == nil { t.dropOrder = TicketField.dropOrder.compactMap { f.firstIndex(of: $0) } }
        let color = inv.useColor
        for ticket in tickets {
            let d = deadlines?[ticket.id]
            let overdue = d?.overdue == true
            t.rows.append(f.map { field in
                switch field {
                case .id: overdue ? "#\(ticket.id)!" : "#\(ticket.id)"
                // The email alone: names make the column wide and the subject short.
                case .requester: Sanitizer.line(ticket.requester.email)
                case .updatedAt, .createdAt, .closedAt:
                    (field.plain(ticket).flatMap(Timestamp.parse)).map { Duration.ago($0, now: inv.now) } ?? "-"
                case .dueAt: d.map { Duration.relative($0.dueAt, now: inv.now) } ?? "-"
                case .overdue: overdue ? "yes" : "no"
                default: Sanitizer.line(field.plain(ticket) ?? "-")
                }
            })
            if color { t.styles.append(f.map { $0 == .id && overdue ? "1;31" : Style.of($0, ticket) }) }
        }
        t.render(width: inv.columns, color: color, to: out)
    }
}

/// ANSI styles for statuses and priorities; used only when colour is on.
enum Style {
    static func of(_ field: TicketField, _ t: Ticket) -> String? {
        switch field {
        case .status: status(t.status)
        case .priority: priority(t.priority)
        default: nil
        }
    }

    static func status(_ s: Status) -> String? {
        switch s {
        case .open: "32"
        case .inProgress: "33"
        case .answered: "36"
        case .customerReply: "35"
        case .closed, .canceled: "2"
        }
    }

    static func priority(_ p: Priority) -> String? {
        switch p {
        case .urgent: "1;31"
        case .high: "31"
        case .medium: nil
        case .low: "2"
        }
    }
}
