import TicketsCore

/// `tickets open`: a new ticket, or a requester reply to the active ticket that carries
/// the same --dedupe-key.
enum OpenCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        _ = try inv.positionals([])
        let cc = try inv.emails("cc")
        let service = try a.value("service").map { (s) throws(TicketsError) in try TextRules.service(inv.text(s, option: "--service")) }
        var dedupeKey: String?
        if let k = a.value("dedupe-key") {
            let key = inv.text(k, option: "--dedupe-key")
            guard !key.isEmpty, key.utf8.count <= 500, !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw .invalid("the dedupe key must be 1 to 500 bytes of text without control characters")
            }
            dedupeKey = key
        }
        let actor = try inv.actor()
        // Files and the message are read before the store is opened: nothing is read
        // while the database is locked.
        let attachments = try AttachmentLoader.load(a.all("attach"), inv: inv)
        // Prompts and the editor come last, once every option has been checked.
        guard let input = try OpenInput.gather(inv) else {
            inv.note("nothing was opened")
            return ExitCode.success
        }
        // A new ticket always confirms itself to its requester (SPEC §9).
        let store = try inv.openStore(.write, mailExpected: dedupeKey == nil)
        let (ticket, deduplicated) = try store.openTicket(
            NewTicket(subject: input.subject, body: input.body, department: input.department, priority: input.priority,
                      service: service,
                      cc: cc, dedupeKey: dedupeKey, attachments: attachments),
            actor: actor, now: inv.now)
        inv.unsavedMessage = nil
        inv.committed(deduplicated ? "your message was added to ticket #\(ticket.id)" : "ticket #\(ticket.id) was opened")
        if deduplicated { inv.note("an active ticket carries that dedupe key: the message was added to #\(ticket.id)") }
        if a.has("quiet") {
            inv.io.stdout.write("\(ticket.id)\n")
            return ExitCode.success
        }
        var output = TicketOutput(inv)
        output.extraJSON = { _, w in
            w.key("deduplicated")
            w.bool(deduplicated)
        }
        output.single(ticket)
        return ExitCode.success
    }
}
