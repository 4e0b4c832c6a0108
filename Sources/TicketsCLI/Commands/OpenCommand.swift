import TicketsCore

/// `tickets open`: a new ticket, or a requester reply to the active ticket that carries
/// the same --dedupe-key.
enum OpenCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        _ = try inv.positionals([])
        guard let subjectArg = a.value("subject") else {
            throw .usage("missing -s/--subject <subject>; usage: tickets open \(a.command?.usage ?? "")")
        }
        let subject = inv.text(subjectArg, option: "--subject").trimmingWhitespace()
        guard !subject.isEmpty else { throw .invalid("the subject is empty; give a few words with -s") }
        guard subject.count <= 500 else { throw .invalid("the subject is \(subject.count) characters; at most 500 are allowed") }
        let config = try inv.config()
        let department = try a.value("department").map { (d) throws(TicketsError) in try inv.department(d) }
            ?? config.fallbackDepartment
        let priority = try a.value("priority").map { (p) throws(TicketsError) in try inv.priority(p) } ?? config.defaultPriority
        var cc = [String]()
        for e in a.all("cc") { cc.append(try inv.email(e, option: "cc")) }
        let service = a.value("service").map { inv.text($0, option: "--service") }
        var dedupeKey: String?
        if let k = a.value("dedupe-key") {
            let key = inv.text(k, option: "--dedupe-key")
            guard !key.isEmpty, key.utf8.count <= 500, !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw .invalid("the dedupe key must be 1 to 500 bytes of text without control characters")
            }
            dedupeKey = key
        }
        if let e = a.value("email") { _ = try inv.email(e, option: "email") }
        let actor = try inv.actor()
        // Files and the message are read before the store is opened: nothing is read
        // while the database is locked.
        let attachments = try AttachmentLoader.load(a.all("attach"), inv: inv)
        guard let body = try inv.message() else {
            throw .usage("missing the message: give -m <text>, -F <file> or -e")
        }
        guard !body.isEmpty else { throw .invalid("the message is empty; nothing was opened") }
        let store = try inv.openStore(.write)
        let (ticket, deduplicated) = try store.openTicket(
            NewTicket(subject: subject, body: body, department: department, priority: priority, service: service,
                      cc: cc, dedupeKey: dedupeKey, attachments: attachments),
            actor: actor, now: inv.now)
        inv.unsavedMessage = nil
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
