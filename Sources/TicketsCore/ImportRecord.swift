/// One ticket object of an export, checked field by field before it reaches the
/// database. Strict on purpose: an unknown field, a missing one or a bad value is refused
/// (65) naming the ticket and the field, so a hand-edited or foreign file never half-loads.
public struct ImportRecord {
    public struct AttachmentData {
        public var attachment: Attachment
        public var bytes: [UInt8]
    }

    public var ticket: Ticket
    public var messages: [Message]
    /// Per message (same order), the attachments with their bytes.
    public var attachmentData: [[AttachmentData]]
    public var events: [Event]

    static let ticketKeys = ["id", "subject", "status", "priority", "department", "service", "requester", "cc",
                             "assignee", "dedupe_key", "created_at", "updated_at", "closed_at", "rating",
                             "messages", "events"]

    /// `position` (1-based) names the object when its id cannot be read.
    public init(_ o: JSONObject, position: Int) throws(TicketsError) {
        let id = try Fields(o, context: "object \(position) of the input", keys: [])
            .positiveInt("id")
        let f = try Fields(o, context: "ticket #\(id)", keys: Self.ticketKeys)
        let requester = try f.person("requester")
        var cc = [String]()
        for v in try f.array("cc") {
            guard let e = v.stringValue else { throw f.bad("cc", "must be a list of emails") }
            cc.append(e)
        }
        var rating: Rating?
        if let r = try f.optionalObject("rating") {
            let rf = try Fields(r, context: "ticket #\(id), rating", keys: ["stars", "review", "rated_at"])
            let stars = try rf.positiveInt("stars")
            guard stars <= 5 else { throw rf.bad("stars", "must be 1 to 5") }
            rating = Rating(stars: Int(stars), review: try rf.optionalString("review"), ratedAt: try rf.time("rated_at"))
        }
        ticket = Ticket(id: id, subject: try f.string("subject"), status: try f.status("status"),
                        priority: try f.priority("priority"), department: try f.nonEmpty("department"),
                        service: try f.optionalString("service"), requester: requester, cc: cc,
                        assignee: try f.optionalString("assignee"), dedupeKey: try f.optionalString("dedupe_key"),
                        createdAt: try f.time("created_at"), updatedAt: try f.time("updated_at"),
                        closedAt: try f.optionalTime("closed_at"), rating: rating)
        messages = []
        attachmentData = []
        for v in try f.array("messages") {
            guard let m = v.objectValue else { throw f.bad("messages", "must be a list of objects") }
            let (message, data) = try Self.message(m, ticketID: id)
            messages.append(message)
            attachmentData.append(data)
        }
        events = []
        for v in try f.array("events") {
            guard let e = v.objectValue else { throw f.bad("events", "must be a list of objects") }
            let ef = try Fields(e, context: "ticket #\(id), event", keys: ["id", "actor", "action", "from_status",
                                                                         "to_status", "field", "old_value", "new_value",
                                                                         "created_at"])
            let eventID = try ef.positiveInt("id")
            let named = try Fields(e, context: "ticket #\(id), event \(eventID)", keys: [])
            events.append(Event(id: eventID, ticketID: id, actor: try named.person("actor"), action: try named.nonEmpty("action"),
                                fromStatus: try named.optionalStatus("from_status")?.rawValue,
                                toStatus: try named.optionalStatus("to_status")?.rawValue,
                                // Absent in exports written before events named their field (SPEC §6).
                                field: try named.absentOrString("field"), oldValue: try named.absentOrString("old_value"),
                                newValue: try named.absentOrString("new_value"),
                                createdAt: try named.time("created_at")))
        }
    }

    static func message(_ o: JSONObject, ticketID: Int64) throws(TicketsError) -> (Message, [AttachmentData]) {
        let id = try Fields(o, context: "ticket #\(ticketID), message", keys: ["id", "author", "role", "internal", "body",
                                                                              "created_at", "attachments"]).positiveInt("id")
        let f = try Fields(o, context: "ticket #\(ticketID), message \(id)", keys: [])
        guard let role = Role(rawValue: try f.string("role")) else {
            throw f.bad("role", "must be requester, agent or system")
        }
        var data = [AttachmentData]()
        for v in try f.array("attachments") {
            guard let a = v.objectValue else { throw f.bad("attachments", "must be a list of objects") }
            let af = try Fields(a, context: "ticket #\(ticketID), message \(id), attachment",
                                keys: ["id", "name", "size", "sha256", "content_type", "data"])
            let attachment = Attachment(id: try af.positiveInt("id"), name: try af.nonEmpty("name"),
                                        size: try af.nonNegativeInt("size"), sha256: try af.string("sha256"),
                                        contentType: try af.nonEmpty("content_type"))
            guard let text = a["data"]?.stringValue else {
                throw af.bad("data", "is missing for '\(attachment.name)': export with --with-attachments to carry attachment bytes")
            }
            guard let bytes = Base64.decode(text.utf8) else { throw af.bad("data", "is not valid base64") }
            guard Int64(bytes.count) == attachment.size, SHA256.hex(bytes) == attachment.sha256 else {
                throw af.bad("data", "of '\(attachment.name)' does not match its size and sha256; the export is damaged")
            }
            data.append(AttachmentData(attachment: attachment, bytes: bytes))
        }
        let message = Message(id: id, ticketID: ticketID, author: try f.person("author"), role: role,
                              body: try f.string("body"), isInternal: try f.bool("internal"),
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

    func string(_ key: String) throws(TicketsError) -> String {
        guard let s = try value(key).stringValue else { throw bad(key, "must be a string") }
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
        return s
    }

    /// A string or null that an older export may leave out altogether.
    func absentOrString(_ key: String) throws(TicketsError) -> String? {
        object[key] == nil ? nil : try optionalString(key)
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

    func person(_ key: String) throws(TicketsError) -> Person {
        guard let o = try value(key).objectValue else { throw bad(key, "must be an object with name and email") }
        let p = try Fields(o, context: "\(context), \(key)", keys: ["name", "email"])
        return Person(name: try p.string("name"), email: try p.string("email"))
    }
}
