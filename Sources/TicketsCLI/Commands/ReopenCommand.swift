import TicketsCore

/// `tickets reopen ID...`: closed or canceled tickets become open again.
enum ReopenCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        try StatusChange.run(inv, .reopen, ids: try inv.ticketIDs())
    }
}
