/// The text of a notification: what happened, the message that came with it, and how
/// to answer with `tickets`. Plain UTF-8; `QuotedPrintable` makes it safe to send.
enum MailBody {
    /// What the actor did, as the sentence's verb phrase before "ticket #ID".
    private static func verb(_ action: EventAction) -> String {
        switch action {
        case .open: "opened"
        case .reply: "replied to"
        case .note: "added an internal note to"
        case .assign: "assigned"
        case .edit: "edited"
        case .merge: "merged"
        case .close: "closed"
        case .autoClose: "closed"
        case .cancel: "canceled"
        case .reopen: "reopened"
        case .rate: "rated"
        }
    }

    static func text(_ m: MailMessage) -> String {
        let id = m.ticketID
        let when = m.time.humanUTC
        let name = HeaderText.clean(m.actor.name.isEmpty ? m.actor.email : m.actor.name)
        var s: String
        if m.action == .autoClose {
            // The actor is the system; the person reading wants the reason, not "tickets".
            s = "Ticket #\(id) was closed automatically on \(when): it got no answer after the last reply."
        } else {
            s = "\(name) \(verb(m.action)) ticket #\(id) on \(when)."
        }
        s += "\nSubject: " + HeaderText.clean(m.subject) + "\n"
        if let text = m.text, !text.isEmpty {
            s += "\n" + text
            if !text.hasSuffix("\n") { s += "\n" }
        }
        // A closed or canceled ticket refuses replies (SPEC §3): reopening is the answer.
        let ended = switch m.action {
        case .close, .autoClose, .cancel, .merge: true
        default: false
        }
        s += "\n-- \n"
        s += ended
            ? "To reopen it:    tickets reopen \(id) -m \"...\"\n"
            : "To answer:       tickets reply \(id) -m \"...\"\n"
        s += "To see it all:   tickets show \(id)\n"
        s += "This email was sent automatically by tickets.\n"
        return s
    }
}
