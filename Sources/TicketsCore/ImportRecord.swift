/// What `import` holds a file to: the rules of the commands (SPEC §5), with the
/// attachment limits of this configuration.
public struct ImportRules: Sendable {
    public var attachments: AttachmentPolicy
    /// The longest message body the commands take (`-F` reads at most 16 MiB).
    public static let maxBody = 16 << 20
    /// SPEC §2: ids from 1 to 2^53-1, the range every JSON reader (jq included) holds exactly.
    public static let maxID: Int64 = 9_007_199_254_740_991

    public init(attachments: AttachmentPolicy) {
        self.attachments = attachments
    }

    /// The longest JSON string an export of these limits can hold: a body, or the
    /// base64 of the largest attachment. The reader refuses anything longer at once.
    public var maxStringBytes: Int { max(Self.maxBody, (attachments.maxSize + 2) / 3 * 4) + 1024 }
}

/// One ticket object of an export, checked field by field before it reaches the
/// database, by the rules of the commands. Strict on purpose: an unknown field, a missing
/// one or a bad value is refused (65) naming the ticket and the field, so a hand-edited
/// or foreign file never half-loads.
public struct ImportRecord: Sendable {
    public struct AttachmentData: Sendable {
        public var attachment: Attachment
        public var bytes: [UInt8]
    }

    public var ticket: Ticket
    public var messages: [Message]
    /// Per message (same order), the attachments with their bytes.
    public var attachmentData: [[AttachmentData]]
    public var events: [Event]

    /// What the stores derive from the record, computed with it on the reading thread
    /// (`ImportPipeline`): the email keys (`EmailIdentity.key`) of the requester, the
    /// assignee and each cc, and the search forms (`SearchText.indexForm`) of the subject
    /// and of each message, in order.
    public private(set) var requesterKey = ""
    public private(set) var assigneeKey: String?
    public private(set) var ccKeys: [String] = []
    public private(set) var subjectForm = ""
    public private(set) var messageForms: [String] = []

    static let ticketKeys = ["id", "subject", "status", "priority", "department", "service", "requester", "cc",
                             "assignee", "dedupe_key", "created_at", "updated_at", "closed_at", "rating",
                             "messages", "events"]

    /// `position` (1-based) names the object when its id cannot be read.
    public init(_ o: JSONObject, position: Int, rules: ImportRules) throws(TicketsError) {
        let id = try Fields(o, context: "object \(position) of the input", keys: []).id("id")
        let f = try Fields(o, context: "ticket #\(id)", keys: Self.ticketKeys)
        let requester = try f.person("requester", system: false)
        var cc = [String]()
        for v in try f.array("cc") {
            guard let e = v.stringValue else { throw f.bad("cc", "must be a list of emails") }
            guard Email.isValid(e), TextRules.excess(e, TextRules.shortLimit) == nil else {
                throw f.bad("cc", "holds '\(e)', which is not an email address within 200 characters")
            }
            cc.append(e)
        }
        var rating: Rating?
        if let r = try f.optionalObject("rating") {
            let rf = try Fields(r, context: "ticket #\(id), rating", keys: ["stars", "review", "rated_at"])
            let stars = try rf.positiveInt("stars")
            guard stars <= 5 else { throw rf.bad("stars", "must be 1 to 5") }
            rating = Rating(stars: Int(stars), review: try rf.optionalString("review"), ratedAt: try rf.time("rated_at"))
        }
        let subject = try f.string("subject")
        do throws(TicketsError) {
            guard try TextRules.subject(subject) == subject else { throw f.bad("subject", "has spaces around it, which open trims") }
        } catch where error.message.hasPrefix("the subject") {
            throw f.bad("subject", "is refused as on open: \(error.message)")
        }
        let status = try f.status("status")
        let closedAt = try f.optionalTime("closed_at")
        // States the lifecycle can reach (SPEC §5 import).
        if (status == .closed || status == .canceled) != (closedAt != nil) {
            throw f.bad("closed_at", closedAt == nil ? "is missing: a \(status.rawValue) ticket has the time it was closed or canceled"
                                                      : "is set, but the ticket is \(status.rawValue); only a closed or canceled ticket has one")
        }
        if rating != nil && status != .closed {
            throw f.bad("rating", "is set, but the ticket is \(status.rawValue); only a closed ticket can be rated")
        }
        let assignee = try f.optionalString("assignee")
        if let a = assignee, !Email.isValid(a) || TextRules.excess(a, TextRules.shortLimit) != nil {
            throw f.bad("assignee", "'\(a)' is not an email address within 200 characters")
        }
        ticket = Ticket(id: id, subject: subject, status: status, priority: try f.priority("priority"),
                        department: try f.short("department"), service: try f.optionalShort("service"),
                        requester: requester, cc: cc, assignee: assignee, dedupeKey: try f.optionalKey("dedupe_key"),
                        createdAt: try f.time("created_at"), updatedAt: try f.time("updated_at"),
                        closedAt: closedAt, rating: rating)
        messages = []
        attachmentData = []
        for v in try f.array("messages") {
            guard let m = v.objectValue else { throw f.bad("messages", "must be a list of objects") }
            let (message, data) = try Self.message(m, ticketID: id, rules: rules)
            messages.append(message)
            attachmentData.append(data)
        }
        events = []
        for v in try f.array("events") {
            guard let e = v.objectValue else { throw f.bad("events", "must be a list of objects") }
            let ef = try Fields(e, context: "ticket #\(id), event", keys: ["id", "actor", "action", "from_status",
                                                                         "to_status", "field", "old_value", "new_value",
                                                                         "message_id", "created_at"])
            let eventID = try ef.id("id")
            let named = try Fields(e, context: "ticket #\(id), event \(eventID)", keys: [])
            events.append(Event(id: eventID, ticketID: id, actor: try named.person("actor", system: true),
                                action: try named.nonEmpty("action"),
                                fromStatus: try named.optionalStatus("from_status")?.rawValue,
                                toStatus: try named.optionalStatus("to_status")?.rawValue,
                                // Absent in exports written before events named their field (SPEC §6).
                                field: try named.absentOrString("field"), oldValue: try named.absentOrString("old_value"),
                                newValue: try named.absentOrString("new_value"),
                                createdAt: try named.time("created_at"),
                                // Absent before exports carried it; checked against the
                                // input and the database by the stage (it may name a
                                // message a merge moved to another ticket).
                                messageID: try named.absentOrID("message_id")))
        }
        requesterKey = EmailIdentity.key(requester.email)
        assigneeKey = assignee.map(EmailIdentity.key)
        ccKeys = cc.map(EmailIdentity.key)
        subjectForm = SearchText.indexForm(subject)
        messageForms = messages.map { SearchText.indexForm($0.body) }
    }

    static func message(_ o: JSONObject, ticketID: Int64, rules: ImportRules) throws(TicketsError) -> (Message, [AttachmentData]) {
        let id = try Fields(o, context: "ticket #\(ticketID), message", keys: ["id", "author", "role", "internal", "body",
                                                                              "created_at", "attachments"]).id("id")
        let f = try Fields(o, context: "ticket #\(ticketID), message \(id)", keys: [])
        guard let role = Role(rawValue: try f.string("role")) else {
            throw f.bad("role", "must be requester, agent or system")
        }
        let isInternal = try f.bool("internal")
        if isInternal && role != .agent { throw f.bad("internal", "is true, but only an agent writes internal notes") }
        let body = try f.string("body")
        if body.utf8.count > ImportRules.maxBody { throw f.bad("body", "is larger than 16 MiB, the limit of a message") }
        var data = [AttachmentData]()
        let list = try f.array("attachments")
        if list.count > rules.attachments.maxCount {
            throw f.bad("attachments", "holds \(list.count) files; at most \(rules.attachments.maxCount) may be attached to one message (attachment_max_count)")
        }
        for v in list {
            guard let a = v.objectValue else { throw f.bad("attachments", "must be a list of objects") }
            let af = try Fields(a, context: "ticket #\(ticketID), message \(id), attachment",
                                keys: ["id", "name", "size", "sha256", "content_type", "data"])
            let named = try Fields(a, context: "ticket #\(ticketID), message \(id), attachment \(try af.id("id"))", keys: [])
            let attachment = Attachment(id: try af.id("id"), name: try named.nonEmpty("name"),
                                        size: try named.nonNegativeInt("size"), sha256: try named.string("sha256"),
                                        contentType: try named.nonEmpty("content_type"))
            guard let text = a["data"]?.stringValue else {
                throw named.bad("data", "is missing for '\(attachment.name)': export with --with-attachments to carry attachment bytes")
            }
            guard let bytes = Base64.decode(text.utf8) else { throw named.bad("data", "is not valid base64") }
            guard Int64(bytes.count) == attachment.size, SHA256.hex(bytes) == attachment.sha256 else {
                throw named.bad("data", "of '\(attachment.name)' does not match its size and sha256; the export is damaged")
            }
            // The rules of -a: a name without separators, controls or bidi characters, an
            // allowed extension, the size limit, content that matches the extension.
            do throws(TicketsError) {
                let (name, _) = try AttachmentPolicy.storedName(fromPath: Array(attachment.name.utf8))
                guard name == attachment.name else { throw .invalid("cannot attach \(attachment.name): it names a path, not a file") }
                try rules.attachments.checkNames([name])
                let accepted = try rules.attachments.accept(name: name, bytes: bytes)
                guard accepted.contentType == attachment.contentType else {
                    throw .invalid("its content_type '\(attachment.contentType)' is not what its bytes are (\(accepted.contentType))")
                }
            } catch {
                throw named.bad("name", "is refused as on reply -a: \(error.message)")
            }
            data.append(AttachmentData(attachment: attachment, bytes: bytes))
        }
        let message = Message(id: id, ticketID: ticketID, author: try f.person("author", system: role == .system), role: role,
                              body: body, isInternal: isInternal,
                              createdAt: try f.time("created_at"), attachments: data.map(\.attachment))
        return (message, data)
    }
}

/// Typed access to one object's members, with errors that name where the value is.
private struct Fields {
    let object: JSONObject
    let context: String

    /// `keys` empty: no check of which members are present (already done by the caller).
    init(_ object: JSONObject, context: String, keys: [String]) throws(TicketsError) {
        self.object = object
        self.context = context
        if let unknown = object.keys.first(where: { !keys.isEmpty && !keys.contains($0) }) {
            throw .invalid("import: \(context): unknown field '\(unknown)'; import reads what tickets export writes")
        }
    }

    func bad(_ key: String, _ why: String) -> TicketsError {
        .invalid("import: \(context): '\(key)' \(why)")
    }

    func value(_ key: String) throws(TicketsError) -> JSONValue {
        guard let v = object[key] else { throw bad(key, "is missing") }
        return v
    }

    /// No stored text holds U+0000 (a PostgreSQL text cannot; the commands store U+FFFD).
    func string(_ key: String) throws(TicketsError) -> String {
        guard let s = try value(key).stringValue else { throw bad(key, "must be a string") }
        if s.containsNUL { throw bad(key, "holds U+0000 (NUL), which tickets does not store") }
        return s
    }

    func nonEmpty(_ key: String) throws(TicketsError) -> String {
        let s = try string(key)
        guard !s.isEmpty else { throw bad(key, "is empty") }
        return s
    }

    func optionalString(_ key: String) throws(TicketsError) -> String? {
        let v = try value(key)
        if v.isNull { return nil }
        guard let s = v.stringValue else { throw bad(key, "must be a string or null") }
        if s.containsNUL { throw bad(key, "holds U+0000 (NUL), which tickets does not store") }
        return s
    }

    /// A string or null that an older export may leave out altogether.
    func absentOrString(_ key: String) throws(TicketsError) -> String? {
        object[key] == nil ? nil : try optionalString(key)
    }

    /// An id, null, or a key an older export leaves out.
    func absentOrID(_ key: String) throws(TicketsError) -> Int64? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let n = v.int64Value, n >= 1, n <= ImportRules.maxID else {
            throw bad(key, "must be null or a whole number from 1 to 9007199254740991")
        }
        return n
    }

    /// An id of SPEC §2: 1 to 2^53-1.
    func id(_ key: String) throws(TicketsError) -> Int64 {
        guard let n = try value(key).int64Value, n >= 1, n <= ImportRules.maxID else {
            throw bad(key, "must be a whole number from 1 to 9007199254740991")
        }
        return n
    }

    /// A department: 1 to 200 characters (800 bytes), one line.
    func short(_ key: String) throws(TicketsError) -> String {
        let s = try nonEmpty(key)
        if let why = TextRules.excess(s, TextRules.shortLimit) { throw bad(key, "is \(why)") }
        if s.unicodeScalars.contains(where: TextRules.isLineBreak) { throw bad(key, "must be one line") }
        return s
    }

    func optionalShort(_ key: String) throws(TicketsError) -> String? {
        try value(key).isNull ? nil : try short(key)
    }

    /// A dedupe key as open takes it: 1 to 500 bytes without control characters.
    func optionalKey(_ key: String) throws(TicketsError) -> String? {
        guard let k = try optionalString(key) else { return nil }
        guard !k.isEmpty, k.utf8.count <= 500, !k.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw bad(key, "must be 1 to 500 bytes of text without control characters")
        }
        return k
    }

    func positiveInt(_ key: String) throws(TicketsError) -> Int64 {
        guard let n = try value(key).int64Value, n > 0 else { throw bad(key, "must be a whole number from 1") }
        return n
    }

    func nonNegativeInt(_ key: String) throws(TicketsError) -> Int64 {
        guard let n = try value(key).int64Value, n >= 0 else { throw bad(key, "must be a whole number from 0") }
        return n
    }

    func bool(_ key: String) throws(TicketsError) -> Bool {
        guard let b = try value(key).boolValue else { throw bad(key, "must be true or false") }
        return b
    }

    func array(_ key: String) throws(TicketsError) -> [JSONValue] {
        guard let a = try value(key).arrayValue else { throw bad(key, "must be a list") }
        return a
    }

    func optionalObject(_ key: String) throws(TicketsError) -> JSONObject? {
        let v = try value(key)
        if v.isNull { return nil }
        guard let o = v.objectValue else { throw bad(key, "must be an object or null") }
        return o
    }

    /// Stored in the one canonical form, so export after import writes the same bytes.
    func time(_ key: String) throws(TicketsError) -> String {
        let s = try string(key)
        guard let t = Timestamp.parse(s), s.utf8.count > 10 else { throw bad(key, "'\(s)' is not an RFC 3339 time") }
        return t.rfc3339
    }

    func optionalTime(_ key: String) throws(TicketsError) -> String? {
        if try value(key).isNull { return nil }
        return try time(key)
    }

    func status(_ key: String) throws(TicketsError) -> Status {
        let s = try string(key)
        guard let status = Status(rawValue: s) else {
            throw bad(key, "'\(s)' is not a status (open, in-progress, answered, customer-reply, closed, canceled)")
        }
        return status
    }

    func optionalStatus(_ key: String) throws(TicketsError) -> Status? {
        if try value(key).isNull { return nil }
        return try status(key)
    }

    func priority(_ key: String) throws(TicketsError) -> Priority {
        let s = try string(key)
        guard let p = Priority(rawValue: s) else { throw bad(key, "'\(s)' is not a priority (low, medium, high, urgent)") }
        return p
    }

    /// A name and an email within the limits; `system` allows the system's own
    /// `tickets <system>` (auto-close and merge messages, their events).
    func person(_ key: String, system: Bool) throws(TicketsError) -> Person {
        guard let o = try value(key).objectValue else { throw bad(key, "must be an object with name and email") }
        let p = try Fields(o, context: "\(context), \(key)", keys: ["name", "email"])
        let person = Person(name: try p.string("name"), email: try p.string("email"))
        if system && person == .system { return person }
        guard Email.isValid(person.email) else { throw p.bad("email", "'\(person.email)' is not an email address") }
        if let why = TextRules.excess(person.email, TextRules.shortLimit) { throw p.bad("email", "is \(why)") }
        if let why = TextRules.excess(person.name, TextRules.shortLimit) { throw p.bad("name", "is \(why)") }
        return person
    }
}
