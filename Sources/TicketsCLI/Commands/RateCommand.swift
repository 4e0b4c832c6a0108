import TicketsCore

/// `tickets rate ID STARS [--review TEXT]`: the requester rates a closed ticket.
enum RateCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["id", "stars"])
        let id = try Invocation.ticketID(p[0].text)
        guard p[1].text.utf8.count <= 3, let stars = Int(p[1].text), (1...5).contains(stars) else {
            throw .invalid("a rating is 1 to 5 stars, not '\(p[1].text)'")
        }
        let review = inv.arguments.value("review").map { inv.text($0, option: "--review") }
        let actor = try inv.actor()
        let store = try inv.openStore(.write)
        let (ticket, replaced) = try store.rate(id, stars: stars, review: review, actor: actor, now: inv.now)
        inv.committed("ticket #\(id) was rated")
        if let replaced {
            inv.note("ticket #\(id) was already rated \(replaced.stars) of 5 on \(replaced.ratedAt.prefix(10)); the new rating replaces it")
        }
        TicketOutput(inv).single(ticket)
        return ExitCode.success
    }
}
