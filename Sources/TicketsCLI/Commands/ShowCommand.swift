import TicketsCore

/// `tickets show ID`: the ticket, then its conversation oldest first.
enum ShowCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["id"])
        let id = try Invocation.ticketID(p[0].text)
        let history = inv.arguments.has("history")
        let viewer = try inv.viewer()
        let store = try inv.openStore(.read)
        // Tables label the reasons given with close, cancel and reopen, which the history
        // tells; JSON carries events only when asked (--history).
        let detail = try store.detail(id, viewer: viewer, history: history || inv.format == .table)
        if let dir = inv.arguments.value("save-attachments") {
            try AttachmentSaver.save(detail, into: dir, store: store, inv: inv)
        }
        switch inv.format {
        case .table:
            let deadline = try store.deadlines(of: [detail.ticket], targets: try inv.config().sla, now: inv.now)[id]
            ShowRenderer(inv).detail(detail, deadline: deadline, history: history)
        case .json, .ndjson:
            var w = JSONWriter(inv.io.stdout)
            try DetailJSON.write(detail, events: history, &w)
            inv.io.stdout.write(byte: 0x0A)
        case .csv: TicketOutput(inv).list([detail.ticket])
        }
        return ExitCode.success
    }
}
