import TicketsCore

/// `tickets edit ID... [-s] [-d] [-p] [--service NAME | --no-service] [--add-cc]... [--remove-cc]... [-m]`:
/// routes and corrects tickets (SPEC §5). Values are checked exactly as `open` checks them.
enum EditCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        let ids = try inv.ticketIDs()
        var e = TicketEdit()
        e.subject = try a.value("subject").map { (s) throws(TicketsError) in try TextRules.subject(inv.text(s, option: "--subject")) }
        e.department = try a.value("department").map { (d) throws(TicketsError) in try inv.department(d) }
        e.priority = try a.value("priority").map { (p) throws(TicketsError) in try inv.priority(p) }
        if a.has("service") && a.has("no-service") { throw .usage("give --service or --no-service, not both") }
        if let s = a.value("service") { e.service = .some(try TextRules.service(inv.text(s, option: "--service"))) }
        if a.has("no-service") { e.service = .some(nil) }
        e.addCC = try inv.emails("add-cc")
        e.removeCC = try inv.emails("remove-cc")
        let nothingGiven = e.subject == nil && e.department == nil && e.priority == nil && e.service == nil
            && e.addCC.isEmpty && e.removeCC.isEmpty
        if nothingGiven {
            throw .usage("nothing to change: give -s, -d, -p, --service, --no-service, --add-cc or --remove-cc")
        }
        let actor = try inv.actor()
        e.message = try inv.message(template: Editor.template(["Why the ticket is changed: an internal note (agent) or a message to support (requester)."]))
            .flatMap { $0.isEmpty ? nil : $0 }
        if ids.isEmpty { return Bulk.nothing(inv) }
        let store = try inv.openStore(.write)
        return try Bulk.change(inv, ids, done: "edited") { (id) throws(TicketsError) in
            try store.edit(id, e, actor: actor, now: inv.now)
        }
    }
}
