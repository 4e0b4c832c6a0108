import TicketsCore

/// What happens once a change is committed, with no lock held (SPEC §9): the queued
/// emails go to `sendmail`, one at a time, and each event runs its hook. Nothing here
/// changes the data or the command's exit code: a failure is a warning, and an email
/// that could not go stays queued for `tickets notify`.
enum AfterCommit {
    /// Delivers and runs what the store's feed holds; called after each commit of a
    /// bulk command (so mail goes out between chunks) and once at the end of every run.
    static func run(_ inv: Invocation) {
        guard let store = inv.opened else { return }
        let (events, mail, warnings) = store.feed.take()
        for w in warnings { inv.warn(w) }
        if !mail.isEmpty { deliver(inv, store, mail) }
        if !events.isEmpty { runHooks(inv, events) }
    }

    /// Sends the emails `ids` (nil: every unsent one) and marks each sent or failed.
    /// Returns the emails that are still undelivered, with why.
    @discardableResult
    static func deliver(_ inv: Invocation, _ store: any TicketStore, _ ids: [Int64]?,
                        warn: Bool = true) -> [(mail: QueuedMail, error: String)] {
        let command = (try? inv.config().sendmail) ?? nil ?? Sendmail.defaultCommand
        let queued: [QueuedMail]
        do {
            queued = try store.unsentMail(ids)
        } catch {
            if warn { inv.warn("the queued notification emails could not be read: \(error.message); run tickets notify later") }
            return []
        }
        var failed = [(mail: QueuedMail, error: String)]()
        for m in queued {
            let error = Sendmail.deliver(m.bytes, command: command, environment: inv.environment)
            do {
                try store.markMail(m.id, sentAt: error == nil ? Timestamp.systemNow() : nil, error: error)
            } catch {
                // Sent but not marked: it may go twice; say so rather than hide it.
                if warn { inv.warn("email \(m.messageID) was handed to sendmail but could not be marked sent: \(error.message)") }
            }
            if let error { failed.append((m, error)) }
        }
        if warn, let first = failed.first {
            let n = failed.count
            inv.warn("\(n) notification email\(n == 1 ? "" : "s") could not be delivered (\(first.error)); \(n == 1 ? "it stays" : "they stay") queued: run tickets notify once sendmail works")
        }
        return failed
    }

    /// `post-ACTION` in `hooks_dir` for each event, with `{"event": ..., "ticket": ...}`.
    static func runHooks(_ inv: Invocation, _ events: [ChangeFeed.Committed]) {
        let directory = inv.hooksDirectory
        for c in events {
            guard let action = EventAction(rawValue: c.event.action) else { continue }
            let out = OutputStream()
            var w = JSONWriter(out)
            w.beginObject()
            w.key("event"); DetailJSON.event(c.event, &w)
            w.key("ticket"); TicketOutput(inv).object(c.ticket, &w)
            w.endObject()
            out.write(byte: 0x0A)
            out.flush()
            if let warning = HookRunner.run(action, json: out.captured, directory: directory, environment: inv.environment,
                                            output: inv.io.stderr) {
                inv.warn(warning)
            }
        }
    }
}
