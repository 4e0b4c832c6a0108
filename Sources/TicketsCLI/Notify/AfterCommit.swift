import Glibc
import TicketsCore

/// What happens once a change is committed, with no lock held (SPEC §9): the queued
/// emails go to `sendmail`, one at a time, and each event runs its hook. Nothing here
/// changes the data or the command's exit code: a failure is a warning, and an email
/// that could not go stays queued for `tickets notify`.
enum AfterCommit {
    /// Delivers and runs what the store's feed holds; called after each commit of a
    /// bulk command (so mail goes out between chunks) and once at the end of every run.
    static func run(_ inv: Invocation) {
        // A sendmail started for an email the change did not queue (it failed, or found
        // nobody to tell) ends here, having sent nothing.
        defer {
            if let unused = inv.standbySendmail.take() { Sendmail.cancel(unused) }
        }
        guard let store = inv.opened else { return }
        let (events, mail, warnings) = store.feed.take()
        for w in warnings { inv.warn(w) }
        if !mail.isEmpty { inv.undelivered += deliver(inv, store, mail, claimed: store.feed.claimant != nil) }
        if !events.isEmpty { runHooks(inv, events) }
    }

    /// The one warning line of a command whose emails did not all go (SPEC §9), however
    /// many chunks a bulk command delivered in; at the end of the run.
    static func report(_ inv: Invocation) {
        guard let first = inv.undelivered.first else { return }
        let n = inv.undelivered.count
        inv.warn("\(n) notification email\(n == 1 ? "" : "s") could not be delivered (\(first.error)); \(n == 1 ? "it stays" : "they stay") queued: run tickets notify once sendmail works")
        inv.undelivered = []
    }

    /// Sends `queued`, one sendmail at a time, each marked sent or failed in its own short
    /// transaction. `claimed`: this process claimed them when it queued them (a command's
    /// own emails, `ChangeFeed.claimant`); otherwise each is claimed first, so that two
    /// deliveries (`tickets notify` beside a command) never send one email twice.
    /// Returns those still undelivered, with why.
    static func deliver(_ inv: Invocation, _ store: any TicketStore, _ queued: [QueuedMail],
                        claimed: Bool) -> [(mail: QueuedMail, error: String)] {
        let command = (try? inv.config().sendmail) ?? nil ?? Sendmail.defaultCommand
        var failed = [(mail: QueuedMail, error: String)]()
        let me = Claimant.this
        for m in queued {
            if !claimed {
                do {
                    // Another process is delivering it, or did: not ours to send. A claimant
                    // of this host that is gone (killed mid-delivery) holds nothing any more.
                    let dead = m.claimedBy.flatMap { Claimant.isDead($0) ? $0 : nil }
                    guard try store.claimMail(m.id, by: me, for: ChangeFeed.claimSeconds, now: Timestamp.systemNow(),
                                              takeOver: dead) else { continue }
                } catch {
                    failed.append((m, error.message))
                    continue
                }
            }
            let error: String?
            if claimed, let standby = inv.standbySendmail.take() {
                // The one `open` started before its transaction, waiting for this email.
                error = Sendmail.finish(standby, message: m.bytes)
            } else {
                error = Sendmail.deliver(m.bytes, command: command, environment: inv.environment)
            }
            do {
                try store.markMail(m.id, sentAt: error == nil ? Timestamp.systemNow() : nil, error: error)
            } catch {
                // Sent but not marked: it may go twice once its claim expires; say so.
                inv.warn("email \(m.messageID) was handed to sendmail but could not be marked sent: \(error.message)")
            }
            if let error { failed.append((m, error)) }
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

/// Who delivers an email: `host:pid`, so that a process on the same host can tell that
/// the claimant is gone (kill(pid, 0) fails) and take over at once; from another host
/// the claim's time decides.
enum Claimant {
    static let this = "\(Identity.hostname()):\(getpid())"

    static func isDead(_ claimant: String) -> Bool {
        guard let colon = claimant.lastIndex(of: ":"), claimant[..<colon] == Identity.hostname(),
              let pid = Int32(claimant[claimant.index(after: colon)...]) else { return false }
        return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }
}
