/// What shell completion asks for: kept to one small query, since it runs on every Tab.
extension TicketStore {
    /// Active tickets the viewer may see, newest update first: id and subject only.
    public func activeTicketSubjects(viewer: Actor, limit: Int) throws(TicketsError) -> [(id: Int64, subject: String)] {
        var clause = "WHERE t.status IN ('open','in-progress','answered','customer-reply')"
        var binds = [SQLValue]()
        if !viewer.isAgent {
            clause += " AND " + Self.visibleToRequester
            binds += [.text(viewer.person.email), .text(viewer.person.email)]
        }
        let s = try db.prepare("SELECT t.id, t.subject FROM tickets t \(clause) ORDER BY t.updated_at DESC, t.id DESC LIMIT \(limit)")
        defer { s.reset() }
        s.bindAll(binds)
        var out = [(id: Int64, subject: String)]()
        while try s.step() { out.append((s.int(0), s.text(1))) }
        return out
    }
}
