import TicketsCore

/// The bulk form of every lifecycle verb (SPEC §5): each ticket in its own short
/// transaction; a failure is reported on stderr and the rest go on.
enum Bulk {
    /// Runs `body` for each id. Returns the tickets `body` produced and the first failure's exit code.
    static func each(_ inv: Invocation, _ ids: [Int64],
                     _ body: (Int64) throws(TicketsError) -> Ticket?) -> ([Ticket], Int32?) {
        var done = [Ticket]()
        var firstFailure: Int32?
        for id in ids {
            do {
                if let t = try body(id) { done.append(t) }
            } catch {
                _ = TicketsCLI.report(error, inv: nil, arguments: [], io: inv.io, json: inv.isJSON)
                firstFailure = firstFailure ?? ExitCode.code(for: error.kind)
            }
        }
        return (done, firstFailure)
    }
}
