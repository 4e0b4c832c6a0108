import TicketsCore

/// `tickets notify [--dry-run]`: delivers the queued notification emails that have not
/// gone out (SPEC §5, §9), for cron after a mail server was down. Exit 0 when the queue
/// is empty afterwards, 75 while some stay undeliverable (each named on stderr).
enum NotifyCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        _ = try inv.positionals([])
        let dryRun = inv.arguments.has("dry-run")
        let store = try inv.openStore(dryRun ? .read : .write)
        let queued = try store.unsentMail()
        if dryRun {
            write(inv, queued.map { ($0, "queued", $0.lastError) })
            if !queued.isEmpty { inv.note("dry run: \(queued.count) email\(queued.count == 1 ? "" : "s") would be handed to sendmail; nothing was sent") }
            return ExitCode.success
        }
        let failed = AfterCommit.deliver(inv, store, queued, claimed: false)
        let failedIDs = Set(failed.map(\.mail.id))
        write(inv, queued.map { m in (m, failedIDs.contains(m.id) ? "failed" : "sent", failed.first { $0.mail.id == m.id }?.error) })
        for f in failed {
            inv.warn("email \(f.mail.messageID) about ticket #\(f.mail.ticketID) to \(f.mail.recipients.joined(separator: ", ")) was not delivered: \(f.error)")
        }
        if !queued.isEmpty {
            inv.committed("\(queued.count - failed.count) of \(queued.count) queued emails were delivered")
        }
        guard failed.isEmpty else {
            throw TicketsError(.busy, "\(failed.count) of \(queued.count) notification email\(queued.count == 1 ? "" : "s") could not be delivered and stay\(failed.count == 1 ? "s" : "") queued; retry tickets notify later")
        }
        return ExitCode.success
    }

    /// What was sent, one row an email: a table for a person, objects for a script.
    static func write(_ inv: Invocation, _ rows: [(mail: QueuedMail, status: String, error: String?)]) {
        let out = inv.io.stdout
        switch inv.format {
        case .table:
            guard !rows.isEmpty else { return }
            var t = TextTable(headers: ["TICKET", "STATUS", "TO", "ERROR"])
            t.elastic = 3
            t.rows = rows.map { ["#\($0.mail.ticketID)", $0.status, Sanitizer.line($0.mail.recipients.joined(separator: ", ")),
                                 Sanitizer.line($0.error ?? "")] }
            t.render(width: inv.columns, color: inv.useColor, to: out)
        case .json, .ndjson, .csv:
            if inv.format == .csv {
                CSVWriter.row(["id", "ticket_id", "message_id", "to", "status", "error"], to: out)
                for r in rows {
                    CSVWriter.row([String(r.mail.id), String(r.mail.ticketID), r.mail.messageID,
                                   r.mail.recipients.joined(separator: ";"), r.status, r.error ?? ""], to: out)
                }
                return
            }
            var w = JSONWriter(out)
            if inv.format == .json { w.beginArray() }
            for r in rows {
                if inv.format == .ndjson { w = JSONWriter(out) }
                w.beginObject()
                w.key("id"); w.int(r.mail.id)
                w.key("ticket_id"); w.int(r.mail.ticketID)
                w.key("message_id"); w.string(r.mail.messageID)
                w.key("to"); w.beginArray(); for a in r.mail.recipients { w.string(a) }; w.endArray()
                w.key("status"); w.string(r.status)
                w.key("error"); w.string(r.error)
                w.endObject()
                if inv.format == .ndjson { out.write(byte: 0x0A) }
            }
            if inv.format == .json {
                w.endArray()
                out.write(byte: 0x0A)
            }
        }
    }
}
