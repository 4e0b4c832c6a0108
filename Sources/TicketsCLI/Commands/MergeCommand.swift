import TicketsCore

/// `tickets merge ID... --into TARGET [-m TEXT]` (agent): duplicates become one ticket,
/// in one transaction (SPEC §5). Prints TARGET.
enum MergeCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        guard let into = inv.arguments.value("into") else {
            throw .usage("missing --into <id>: the ticket the others are merged into; usage: tickets merge \(inv.arguments.command?.usage ?? "")")
        }
        let target = try Invocation.ticketID(into.text)
        let sources = try inv.ticketIDs()
        let actor = try inv.actor()
        let message = try inv.message(template: Editor.template(["A message left on each merged ticket, after the line naming the target."]))
            .flatMap { $0.isEmpty ? nil : $0 }
        if sources.isEmpty {
            inv.note("no tickets to merge; nothing changed")
            return ExitCode.success
        }
        let store = try inv.openStore(.write)
        let ticket = try store.merge(sources, into: target, message: message, actor: actor, now: inv.now)
        let merged = sources.filter { $0 != target }
        inv.committed(merged.count == 1 ? "ticket #\(merged[0]) was merged into #\(target)"
                                        : "tickets \(merged.map { "#\($0)" }.joined(separator: ", ")) were merged into #\(target)")
        TicketOutput(inv).single(ticket)
        return ExitCode.success
    }
}
