import TicketsCore

/// close, cancel and reopen of listed ids, each with an optional message said along with
/// the change (SPEC §5).
enum StatusChange {
    static let pastTense: [LifecycleAction: String] = [.close: "closed", .cancel: "canceled", .reopen: "reopened"]

    static func run(_ inv: Invocation, _ action: LifecycleAction, ids: [Int64]) throws(TicketsError) -> Int32 {
        let actor = try inv.actor()
        let message = try inv.message(template: Editor.template([
            "A message to go with the \(action.rawValue), in Markdown; an empty one cancels the \(action.rawValue)."]))
        if ids.isEmpty { return Bulk.nothing(inv) }
        let store = try inv.openStore(.write)
        let text = message?.isEmpty == false ? message : nil
        return try Bulk.change(inv, ids, done: pastTense[action] ?? action.rawValue) { (id) throws(TicketsError) in
            try store.transition(id, action, message: text, actor: actor, now: inv.now)
        }
    }
}
