import TicketsCore

/// close, cancel and reopen of listed ids: each ticket in its own short transaction;
/// a failure is reported and the rest go on; the exit code is the first failure's.
enum StatusChange {
    static func run(_ inv: Invocation, _ action: LifecycleAction, ids: [Int64]) throws(TicketsError) -> Int32 {
        guard !ids.isEmpty else {
            throw .usage("missing <id>; usage: tickets \(inv.arguments.command?.name ?? "") \(inv.arguments.command?.usage ?? "")")
        }
        let actor = try inv.actor()
        let message = try inv.message(template: "\n" + Editor.comments([
            "A message to go with the \(action.rawValue). Lines starting with '#' are dropped;",
            "an empty message cancels the \(action.rawValue)."]))
        if let message, message.isEmpty, inv.arguments.has("editor") {
            inv.note("the message is empty; nothing was changed")
            return ExitCode.success
        }
        let store = try inv.openStore(.write)
        let single = ids.count == 1 && inv.arguments.positionals.first?.text != "-"
        let text = message?.isEmpty == false ? message : nil
        func apply(_ id: Int64) throws(TicketsError) -> Ticket? {
            switch try store.transition(id, action, message: text, actor: actor, now: inv.now) {
            case .changed(let t): return t
            case .unchanged(let t, let note):
                inv.note(note)
                // One ticket named alone is printed even when nothing changed.
                return single ? t : nil
            }
        }
        if single {
            let t = try apply(ids[0])
            inv.unsavedMessage = nil
            if let t { TicketOutput(inv).single(t) }
            return ExitCode.success
        }
        let (changed, firstFailure) = Bulk.each(inv, ids, apply)
        inv.unsavedMessage = nil
        if !changed.isEmpty || inv.isJSON { TicketOutput(inv).list(changed) }
        return firstFailure ?? ExitCode.success
    }
}
