import TicketsCore

/// `tickets assign ID [--to EMAIL]`: an agent takes the ticket, or gives it to another agent.
enum AssignCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["id"])
        let id = try Invocation.ticketID(p[0].text)
        let actor = try inv.actor()
        let to = try inv.arguments.value("to").map { (e) throws(TicketsError) in try TextRules.short(try inv.email(e, option: "to"), "email") }
            ?? actor.person.email
        let store = try inv.openStore(.write)
        let result = try store.assign(id, to: to, actor: actor, now: inv.now)
        switch result {
        case .changed: inv.committed("ticket #\(id) was assigned to \(to)")
        case .unchanged(_, let note): inv.note(note)
        }
        TicketOutput(inv).single(result.ticket)
        return ExitCode.success
    }
}
