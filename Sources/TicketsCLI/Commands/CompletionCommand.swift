import TicketsCore

/// The hidden commands behind shell completion.
enum CompletionCommand {
    /// `tickets completion bash|zsh|fish`: the script, generated from the command table.
    static func script(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let shell = try inv.positionals(["shell"])[0].text
        switch shell {
        case "bash": inv.io.stdout.write(BashCompletion.script())
        case "zsh": inv.io.stdout.write(ZshCompletion.script())
        case "fish": inv.io.stdout.write(FishCompletion.script())
        default: throw .usage("no completion for '\(shell)'; use bash, zsh or fish")
        }
        return ExitCode.success
    }

    /// `tickets __complete departments|ids`: one word, or "id<TAB>subject", a line.
    /// Runs on every Tab, so ids are one query and at most 200 tickets.
    static func query(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["what", "command"], optional: 1)
        let what = p[0].text
        switch what {
        case "departments":
            for d in try inv.config().departments { inv.io.stdout.write(d + "\n") }
        case "ids":
            let store = try inv.openStore(.read)
            var filter = TicketFilter()
            filter.limit = 200
            // The tickets the command can act on: rate offers closed ones, reopen closed and
            // canceled ones (the lifecycle table says which), show and the rest active ones.
            let viewer = try inv.viewer()
            if let name = p.count > 1 ? p[1].text : nil, let action = Self.actions[name] {
                let statuses = Lifecycle.statuses(for: action, party: viewer.isAgent ? .agent : .requester)
                if !statuses.isEmpty { filter.statuses = statuses }
            }
            try store.forEachTicket(TicketQuery(filter, viewer: viewer, now: inv.now)) { t in
                inv.io.stdout.write("\(t.id)\t\(Sanitizer.line(t.subject))\n")
            }
        default: throw .usage("'__complete' knows departments and ids, not '\(what)'")
        }
        return ExitCode.success
    }

    /// The commands whose ids follow the lifecycle table; the others offer active tickets.
    static let actions: [String: LifecycleAction] = [
        "reply": .reply, "assign": .assign, "close": .close, "cancel": .cancel, "reopen": .reopen,
        "rate": .rate, "edit": .edit, "merge": .merge,
    ]
}
