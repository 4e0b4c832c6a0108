/// One notification email (SPEC §9) as values. `render()` is pure: the same values
/// give the same bytes, so the email can be rendered when it is queued, inside the
/// change's transaction, and handed to `sendmail` later as it is.
public struct MailMessage: Sendable {
    /// `notify_from`.
    public var from: Mailbox
    /// From `Recipients.of`; the requester may carry their name.
    public var to: [Mailbox]
    public var ticketID: Int64
    /// The ticket's subject; the header says `[#ID] subject`.
    public var subject: String
    public var action: EventAction
    public var actor: Person
    /// The message that came with the event (the open's description, a reply, the
    /// text given to close); nil when there was none.
    public var text: String?
    /// When the event happened; the `Date:` header and the body say it.
    public var time: Timestamp
    /// This email's id, from `MessageID.make`, kept with the queued email.
    public var messageID: String
    /// `MessageID.threadRoot` of the ticket.
    public var threadRoot: String
    /// Message-IDs of the ticket's earlier emails, oldest first; empty for the first.
    public var earlier: [String]

    public init(from: Mailbox, to: [Mailbox], ticketID: Int64, subject: String, action: EventAction,
                actor: Person, text: String?, time: Timestamp, messageID: String, threadRoot: String,
                earlier: [String] = []) {
        self.from = from
        self.to = to
        self.ticketID = ticketID
        self.subject = subject
        self.action = action
        self.actor = actor
        self.text = text
        self.time = time
        self.messageID = messageID
        self.threadRoot = threadRoot
        self.earlier = earlier
    }

    /// `References` keeps the root and the newest ids, as Netnews trims it (RFC 5537
    /// §3.4.4): enough to thread, without a header that grows with every email.
    static let referencesKept = 10

    /// The message, ready for `sendmail -t -oi`: RFC 5322 with MIME (RFC 2045) headers,
    /// 7-bit throughout, every line at most 76 characters except an address or
    /// Message-ID longer than that (RFC 5322 §2.1.1 allows 998).
    ///
    /// Lines end in LF alone. `sendmail` reads a message in the local text convention
    /// and writes CRLF on the wire itself (msmtp, Postfix, Exim); a CR we wrote would be
    /// data to some of them. Nothing in the message is a bare CR or LF: header text is
    /// cleaned (`HeaderText`) and the body is quoted-printable, so turning every LF
    /// into CRLF gives the canonical form exactly.
    ///
    /// - Throws: `.config` when `from` cannot be written (`Mailbox.addrSpec`);
    ///   `.invalid` when no recipient can be, or a Message-ID is malformed.
    public func render() throws(TicketsError) -> RenderedMail {
        var out = [UInt8]()
        var fromField = HeaderFolding(name: "From")
        guard from.append(to: &fromField, last: true) else {
            throw .config("notify_from '\(from.address)' is not an address a mail header can carry")
        }
        out += fromField.field

        let writable = to.filter { Mailbox.addrSpec($0.address) != nil }
        guard !writable.isEmpty else {
            throw .invalid("no recipient address can be written in a mail header: \(to.map(\.address).joined(separator: ", "))")
        }
        var toField = HeaderFolding(name: "To")
        for (i, m) in writable.enumerated() { _ = m.append(to: &toField, last: i == writable.count - 1) }
        out += toField.field

        out += subjectField()
        out += Array("Date: \(time.rfc5322)\n".utf8)

        for id in [messageID, threadRoot] + earlier where !MessageID.isValid(id) {
            throw .invalid("'\(id)' is not a Message-ID (<left@right>)")
        }
        out += Array("Message-ID: \(messageID)\n".utf8)
        let parents = earlier.filter { $0 != threadRoot && $0 != messageID }
        out += Array("In-Reply-To: \(parents.last ?? threadRoot)\n".utf8)
        var references = HeaderFolding(name: "References")
        for id in [threadRoot] + parents.suffix(MailMessage.referencesKept - 1) { references.add(id) }
        out += references.field

        // RFC 3834 §5: an automatic message, so vacation responders stay quiet.
        out += Array("Auto-Submitted: auto-generated\n".utf8)
        out += Array("MIME-Version: 1.0\n".utf8)
        out += Array("Content-Type: text/plain; charset=utf-8\n".utf8)
        out += Array("Content-Transfer-Encoding: quoted-printable\n".utf8)
        out.append(0x0A)
        out += QuotedPrintable.encode(MailBody.text(self))
        return RenderedMail(bytes: out, recipients: writable.map(\.address),
                            skipped: to.filter { Mailbox.addrSpec($0.address) == nil }.map(\.address))
    }

    /// `Subject: [#ID] subject` (SPEC §9). Plain words when the subject is printable
    /// ASCII that folds cleanly (single spaces, no word too long for a line, no `=?`);
    /// otherwise the subject goes as encoded-words (RFC 2047), which decode back to it
    /// exactly.
    private func subjectField() -> [UInt8] {
        var field = HeaderFolding(name: "Subject")
        field.add("[#\(ticketID)]")
        let subject = HeaderText.clean(subject)
        let words = subject.split(separator: " ", omittingEmptySubsequences: false)
        if HeaderText.isPrintableASCII(subject), !HeaderText.looksEncoded(subject),
           words.allSatisfy({ !$0.isEmpty && $0.utf8.count < HeaderFolding.limit - 1 }) {
            for w in words { field.add(String(w)) }
        } else {
            RFC2047.append(subject, to: &field)
        }
        return field.field
    }
}

/// A rendered notification.
public struct RenderedMail: Equatable, Sendable {
    /// The RFC 5322 message (see `MailMessage.render`).
    public var bytes: [UInt8]
    /// The addresses in `To:`, as given.
    public var recipients: [String]
    /// Addresses left out because no header can carry them (`Mailbox.addrSpec`); the
    /// others still get the email.
    public var skipped: [String]
}
