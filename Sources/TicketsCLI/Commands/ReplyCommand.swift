import TicketsCore

/// `tickets reply ID`: a public reply, or with --internal an agent's note.
enum ReplyCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        let p = try inv.positionals(["id"])
        let id = try Invocation.ticketID(p[0].text)
        let cc = try inv.emails("cc")
        let actor = try inv.actor()
        let attachments = try AttachmentLoader.load(a.all("attach"), inv: inv)
        let template = Editor.template(["Your reply to ticket #\(id), in Markdown."])
        guard let body = try inv.message(template: template) else {
            throw .usage("missing the message: give -m <text>, -F <file> or -e")
        }
        guard !body.isEmpty else { throw .invalid("the message is empty; nothing was sent") }
        let store = try inv.openStore(.write)
        let ticket = try store.reply(id, body: body, internal: a.has("internal"), cc: cc, attachments: attachments,
                                     actor: actor, now: inv.now)
        inv.unsavedMessage = nil
        inv.committed("your \(a.has("internal") ? "note" : "reply") was added to ticket #\(id)")
        TicketOutput(inv).single(ticket)
        return ExitCode.success
    }
}
