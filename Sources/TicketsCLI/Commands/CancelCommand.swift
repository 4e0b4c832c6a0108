import TicketsCore

/// `tickets cancel ID...`: withdraw tickets no agent has answered or taken yet.
enum CancelCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        try StatusChange.run(inv, .cancel, ids: try inv.ticketIDs())
    }
}
