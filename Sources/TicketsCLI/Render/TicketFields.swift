import TicketsCore

/// The fields of a ticket as `--fields`, JSON, CSV and tables name them (SPEC §6), and
/// the two that `list` adds from the SLA (`due_at`, `overdue`).
enum TicketField: String, CaseIterable {
    case id, subject, status, priority, department, service, requester, cc, assignee
    case dedupeKey = "dedupe_key", createdAt = "created_at", updatedAt = "updated_at", closedAt = "closed_at", rating
    case dueAt = "due_at", overdue

    /// What a ticket is: what export, show and changed tickets print. `due_at` and
    /// `overdue` depend on the clock, so exports stay independent of it.
    static let stored: [TicketField] = allCases.filter { $0 != .dueAt && $0 != .overdue }

    /// A table's columns: a requester never sees a REQUESTER column that is always
    /// themselves; an agent sees who has the ticket.
    static func tableDefault(agent: Bool) -> [TicketField] {
        agent ? [.id, .status, .priority, .department, .subject, .requester, .assignee, .updatedAt]
              : [.id, .status, .priority, .department, .subject, .updatedAt]
    }

    /// Which columns go first when the terminal is narrow: the least needed first.
    static let dropOrder: [TicketField] = [.department, .assignee, .requester, .priority, .updatedAt, .createdAt,
                                           .closedAt, .dueAt, .service, .cc, .dedupeKey, .rating, .overdue, .status]

    /// `--fields a,b,c`, refused (64) with the list of names when one is unknown.
    static func parse(_ list: String) throws(TicketsError) -> [TicketField] {
        var out = [TicketField]()
        for name in list.split(separator: ",") {
            let n = name.trimmingWhitespace()
            guard let f = TicketField(rawValue: n) else {
                throw .usage("unknown field '\(n)' in --fields; fields are \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            out.append(f)
        }
        if out.isEmpty { throw .usage("--fields needs at least one field name") }
        return out
    }

    /// CSV columns: nested values are spread over flat columns.
    var csvColumns: [String] {
        switch self {
        case .requester: ["requester_name", "requester_email"]
        case .rating: ["rating_stars", "rating_review", "rated_at"]
        default: [rawValue]
        }
    }

    func csvValues(_ t: Ticket, _ d: Deadline? = nil) -> [String] {
        switch self {
        case .requester: [t.requester.name, t.requester.email]
        case .cc: [t.cc.joined(separator: ";")]
        case .rating: [t.rating.map { String($0.stars) } ?? "", t.rating?.review ?? "", t.rating?.ratedAt ?? ""]
        default: [plain(t, d) ?? ""]
        }
    }

    /// The value as one line of text; nil where the ticket has none.
    func plain(_ t: Ticket, _ d: Deadline? = nil) -> String? {
        switch self {
        case .id: String(t.id)
        case .subject: t.subject
        case .status: t.status.rawValue
        case .priority: t.priority.rawValue
        case .department: t.department
        case .service: t.service
        case .requester: t.requester.name.isEmpty ? t.requester.email : "\(t.requester.name) <\(t.requester.email)>"
        case .cc: t.cc.isEmpty ? nil : t.cc.joined(separator: ", ")
        case .assignee: t.assignee
        case .dedupeKey: t.dedupeKey
        case .createdAt: t.createdAt
        case .updatedAt: t.updatedAt
        case .closedAt: t.closedAt
        case .rating: t.rating.map { String(repeating: "★", count: $0.stars) + String(repeating: "☆", count: 5 - $0.stars) }
        case .dueAt: d?.dueAt.rfc3339
        case .overdue: (d?.overdue ?? false) ? "true" : "false"
        }
    }

    func writeJSON(_ t: Ticket, _ w: inout JSONWriter, _ d: Deadline? = nil) {
        w.key(rawValue)
        switch self {
        case .id: w.int(t.id)
        case .overdue: w.bool(d?.overdue ?? false)
        case .requester: DetailJSON.person(t.requester, &w)
        case .cc:
            w.beginArray()
            for e in t.cc { w.string(e) }
            w.endArray()
        case .rating:
            if let r = t.rating {
                w.beginObject()
                w.key("stars"); w.int(Int64(r.stars))
                w.key("review"); w.string(r.review)
                w.key("rated_at"); w.string(r.ratedAt)
                w.endObject()
            } else {
                w.null()
            }
        default: w.string(plain(t, d))
        }
    }
}
