import TicketsCore

/// `tickets close`: by id, every stale answered ticket (--stale), or every ticket the
/// filters match (--yes).
enum CloseCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        if a.has("stale") || inv.hasFilters {
            guard a.positionals.isEmpty else {
                throw .usage("give ticket ids or --stale/filters, not both")
            }
            return try CloseBulk.run(inv)
        }
        if a.has("dry-run") {
            let ids = try inv.ticketIDs()
            return try CloseBulk.dryRun(inv, ids: ids)
        }
        return try StatusChange.run(inv, .close, ids: try inv.ticketIDs())
    }
}
