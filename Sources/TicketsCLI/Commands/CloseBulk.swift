import Glibc
import TicketsCore

/// `close --stale [DUR]` (cron), `close <filters> --yes`, and `close ... --dry-run`.
/// Tickets are chosen in a read, then closed in short transactions, so a batch never
/// holds the write lock for long; a ticket that fails is reported and the rest go on.
enum CloseBulk {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        inv.arguments.has("stale") ? try stale(inv) : try byFilter(inv)
    }

    /// Every answered ticket whose newest message is at least DUR old, whatever the role.
    static func stale(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        if inv.hasFilters || a.has("yes") {
            throw .usage("--stale takes no list filters and no --yes; it closes every answered ticket idle for the duration")
        }
        let given = a.value("stale")?.text ?? ""
        let seconds = given.isEmpty ? try inv.config().autoCloseAfter : Duration.seconds(given)
        guard let seconds, seconds > 0 else {
            throw .usage("--stale takes a duration like 90m, 12h, 7d or 2w, not '\(given)'")
        }
        let cutoff = inv.now.adding(-seconds)
        let reason = try inv.message(template: Editor.template(["The message left on each closed ticket."]))
            .flatMap { $0.isEmpty ? nil : $0 }
            ?? "Closed automatically: this ticket was answered and has had no new message for \(Self.shown(seconds)). Reopen it if the problem is not solved."
        let dryRun = a.has("dry-run")
        let store = try inv.openStore(dryRun ? .read : .write)
        let candidates = try store.staleTickets(idleSince: cutoff)
        if dryRun { return finish(inv, candidates, failure: nil, dryRun: true) }
        let ids = candidates.map(\.id)
        var closed = [Ticket]()
        var failure: Int32?
        // 25 closes per transaction share one commit, then the lock stays free for 2 ms: a
        // waiting writer (polling every millisecond) gets in between chunks, so a concurrent
        // `tickets open` waits for one chunk, not the batch (bench/RESULTS.md). A chunk that
        // fails is redone ticket by ticket, so the failure is named and the rest still close.
        for start in stride(from: 0, to: ids.count, by: 25) {
            if start > 0 { usleep(2000) }
            let chunk = ids[start..<min(start + 25, ids.count)]
            do throws(TicketsError) {
                closed += try store.closeStale(chunk, idleSince: cutoff, reason: reason, now: inv.now)
            } catch {
                let (done, failed) = Bulk.each(inv, Array(chunk)) { (id) throws(TicketsError) in
                    try store.closeStale(id, idleSince: cutoff, reason: reason, now: inv.now)
                }
                closed += done
                failure = failure ?? failed
            }
            // The chunk's emails and hooks, between chunks: no lock is held, and ten
            // thousand closes never wait on one pile of mail at the end.
            AfterCommit.run(inv)
        }
        inv.unsavedMessage = nil
        if !closed.isEmpty { inv.committed("\(closed.count) stale ticket\(closed.count == 1 ? " was" : "s were") closed") }
        return finish(inv, closed, failure: failure, dryRun: false)
    }

    /// `close <filters> --yes`: what `list` with the same filters shows (default: active).
    static func byFilter(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        let dryRun = a.has("dry-run")
        let canAsk = inv.io.stdinIsTerminal && inv.io.stdoutIsTerminal
        if !dryRun && !a.has("yes") && !canAsk {
            throw .usage("closing by filters needs --yes off a terminal; run it with --dry-run first to see what would close")
        }
        var filter = try inv.filter(defaultStatuses: Status.active)
        filter.sort = .id
        filter.reverse = true
        let actor = try inv.actor()
        let message = try inv.message(template: Editor.template(["A message to go with each close."]))
            .flatMap { $0.isEmpty ? nil : $0 }
        let store = try inv.openStore(dryRun ? .read : .write)
        let selected = try store.list(TicketQuery(filter, viewer: Viewer(actor), now: inv.now))
        if dryRun || selected.isEmpty { return finish(inv, selected, failure: nil, dryRun: dryRun) }
        if !a.has("yes") {
            inv.io.stderr.write("Close \(selected.count) ticket\(selected.count == 1 ? "" : "s")? [y/N] ")
            inv.io.stderr.flush()
            let answer = inv.io.readAnswer()?.trimmingWhitespace().lowercased()
            guard answer == "y" || answer == "yes" else {
                inv.note("nothing was closed")
                return ExitCode.success
            }
        }
        let (closed, failure) = Bulk.each(inv, selected.map(\.id)) { (id) throws(TicketsError) -> Ticket? in
            switch try store.transition(id, .close, message: message, actor: actor, now: inv.now) {
            case .changed(let t): return t
            case .unchanged(_, let note):
                inv.note(note)
                return nil
            }
        }
        inv.unsavedMessage = nil
        if !closed.isEmpty { inv.committed("\(closed.count) ticket\(closed.count == 1 ? " was" : "s were") closed") }
        return finish(inv, closed, failure: failure, dryRun: false)
    }

    /// `close ID... --dry-run`: the same checks as a real close, nothing written.
    static func dryRun(_ inv: Invocation, ids: [Int64]) throws(TicketsError) -> Int32 {
        let actor = try inv.actor()
        let store = try inv.openStore(.read)
        let (wouldClose, failure) = Bulk.each(inv, ids) { (id) throws(TicketsError) -> Ticket? in
            switch try store.previewTransition(id, .close, actor: actor) {
            case .changed(let t): return t
            case .unchanged(_, let note):
                inv.note(note)
                return nil
            }
        }
        return finish(inv, wouldClose, failure: failure, dryRun: true)
    }

    /// Prints the tickets as `list` does; an empty table prints nothing, so a cron job
    /// that found nothing to do stays quiet.
    static func finish(_ inv: Invocation, _ tickets: [Ticket], failure: Int32?, dryRun: Bool) -> Int32 {
        if !tickets.isEmpty || inv.format == .json { TicketOutput(inv).list(tickets) }
        if dryRun && !tickets.isEmpty {
            inv.note("dry run: \(tickets.count) ticket\(tickets.count == 1 ? "" : "s") would be closed; nothing was changed")
        }
        return failure ?? ExitCode.success
    }

    /// `7d`, `12h`, `90m`: a duration as a user would type it.
    static func shown(_ seconds: Int64) -> String {
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds % size == 0 {
            if unit == "w" && seconds / size == 1 { continue }
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
