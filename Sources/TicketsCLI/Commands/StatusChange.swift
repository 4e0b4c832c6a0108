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
        var changed = [Ticket]()
        var firstFailure: Int32?
        for id in ids {
            do {
                switch try store.transition(id, action, message: message?.isEmpty == false ? message : nil,
                                            actor: actor, now: inv.now) {
                case .changed(let t): changed.append(t)
                case .unchanged(let t, let note):
                    inv.note(note)
                    if ids.count == 1 { changed.append(t) }
                }
            } catch {
                if ids.count == 1 { throw error }
                _ = TicketsCLI.report(error, inv: nil, arguments: [], io: inv.io, json: inv.isJSON)
                firstFailure = firstFailure ?? ExitCode.code(for: error.kind)
            }
        }
        inv.unsavedMessage = nil
        if ids.count == 1 && inv.arguments.positionals.first?.text != "-" {
            if let t = changed.first { TicketOutput(inv).single(t) }
        } else if !changed.isEmpty || inv.isJSON {
            TicketOutput(inv).list(changed)
        }
        return firstFailure ?? ExitCode.success
    }
}
