/// Message-IDs of notification emails (RFC 5322 §3.6.4): `<id-left@id-right>`, both
/// sides dot-atom-text.
public enum MessageID {
    /// `<ticket-42@support.example>`: the id every email of ticket 42 replies to
    /// (`In-Reply-To` of the first, the head of every `References`). No email carries it;
    /// mail readers thread on `References` and keep a missing parent as the thread's
    /// root. Derived, not stored: the ticket id and the domain are enough.
    ///
    /// - Throws: `.invalid` when `domain` is not a dot-atom (`isValidDomain`).
    public static func threadRoot(ticketID: Int64, domain: String) throws(TicketsError) -> String {
        try checked(domain)
        return "<ticket-\(ticketID)@\(domain)>"
    }

    /// `<ticket-42.event-1234.9f3a1c0b5d7e2a64@support.example>`: one email's id. The
    /// ticket and event ids say where it comes from; 64 random bits (the standard
    /// library's system generator, getrandom(2) on Linux) keep it unique across
    /// databases that send from one domain. Make it when the email is queued and keep it
    /// with the email: a delivery retried later must carry the same id, so a reader that
    /// got an earlier attempt drops the copy.
    ///
    /// - Throws: `.invalid` when `domain` is not a dot-atom (`isValidDomain`).
    public static func make(ticketID: Int64, eventID: Int64, domain: String,
                            random: UInt64 = .random(in: .min ... .max)) throws(TicketsError) -> String {
        try checked(domain)
        let hex = String(random, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        return "<ticket-\(ticketID).event-\(eventID).\(padded)@\(domain)>"
    }

    /// A msg-id as RFC 5322 §3.6.4 writes it, without the obsolete forms: `<`, a
    /// dot-atom-text, `@`, a dot-atom-text, `>`.
    public static func isValid(_ id: String) -> Bool {
        let b = Array(id.utf8)
        guard b.count > 4, b.first == 0x3C, b.last == 0x3E else { return false }
        let inner = b[1..<(b.count - 1)]
        let parts = inner.split(separator: 0x40, omittingEmptySubsequences: false)
        return parts.count == 2 && Mailbox.isDotAtom(Array(parts[0])) && Mailbox.isDotAtom(Array(parts[1]))
    }

    /// Whether `domain` can be the right side of a Message-ID: atext runs joined by dots.
    public static func isValidDomain(_ domain: String) -> Bool { Mailbox.isDotAtom(Array(domain.utf8)) }

    private static func checked(_ domain: String) throws(TicketsError) {
        guard isValidDomain(domain) else {
            throw .invalid("'\(domain)' cannot be the domain of a Message-ID; give an ASCII domain such as support.example.com")
        }
    }
}
