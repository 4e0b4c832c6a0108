import TicketsCore

/// The bulk form of every change by ids (SPEC §5): each ticket in its own short
/// transaction; a failure is reported on stderr and the rest go on; the exit code is the
/// first failure's.
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

    /// What a change of no ticket prints (ids from `-` may be none, SPEC §5): an empty
    /// array for JSON, nothing otherwise; no database is opened or created.
    static func nothing(_ inv: Invocation) -> Int32 {
        if inv.format == .json { inv.io.stdout.write("[]\n") }
        return ExitCode.success
    }

    /// A change by ids (close, cancel, reopen, edit): one id named alone prints that
    /// ticket, even after a no-op (its note on stderr); several, or ids read from standard
    /// input, print the changed ones as `list` does. An empty list read from `-` matches
    /// nothing: exit 0 (a quiet night's `list -q ... | tickets close -`).
    static func change(_ inv: Invocation, _ ids: [Int64], done verb: String,
                       _ body: (Int64) throws(TicketsError) -> ActionResult) throws(TicketsError) -> Int32 {
        let single = ids.count == 1 && !inv.arguments.positionals.contains { $0.text == "-" }
        if single {
            let result = try body(ids[0])
            inv.unsavedMessage = nil
            switch result {
            case .changed: inv.committed("ticket #\(ids[0]) was \(verb)")
            case .unchanged(_, let note): inv.note(note)
            }
            TicketOutput(inv).single(result.ticket)
            return ExitCode.success
        }
        let (changed, firstFailure) = each(inv, ids) { (id) throws(TicketsError) -> Ticket? in
            switch try body(id) {
            case .changed(let t): return t
            case .unchanged(_, let note):
                inv.note(note)
                return nil
            }
        }
        inv.unsavedMessage = nil
        if !changed.isEmpty {
            inv.committed(changed.count == 1 ? "ticket #\(changed[0].id) was \(verb)" : "\(changed.count) tickets were \(verb)")
        }
        if !changed.isEmpty || inv.isJSON { TicketOutput(inv).list(changed) }
        return firstFailure ?? ExitCode.success
    }
}
