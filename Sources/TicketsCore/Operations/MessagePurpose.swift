/// Which messages were said along with a close, cancel or reopen (`-m TEXT`), so that
/// `show` can print them as the reason they are, not as one more reply (SPEC §5).
///
/// Nothing stores the link: it is derived from the exported data alone, so it survives
/// export and import. Each change writes its message and its event in one transaction,
/// with the same time and actor. Events that always carry a message (open, reply, note,
/// auto-close) take theirs first, oldest first; a message left over that matches a close,
/// cancel or reopen event in time and actor is that change's reason. So `reopen` without
/// a message followed within the second by `reply -m` labels nothing wrongly.
public enum MessagePurpose {
    /// The actions whose event always comes with a message of the same actor and time.
    static let alwaysWithMessage: Set<String> = ["open", "reply", "note", "auto-close"]
    /// The changes that may carry a reason.
    static let mayCarryReason: Set<String> = ["close", "cancel", "reopen"]

    /// Message id → the action it was the reason for.
    public static func reasons(messages: [Message], events: [Event]) -> [Int64: String] {
        var used = Set<Int64>()
        func take(_ e: Event) -> Int64? {
            guard let m = messages.first(where: {
                !used.contains($0.id) && $0.createdAt == e.createdAt && $0.author.email == e.actor.email
            }) else { return nil }
            used.insert(m.id)
            return m.id
        }
        for e in events where alwaysWithMessage.contains(e.action) { _ = take(e) }
        var out = [Int64: String]()
        for e in events where mayCarryReason.contains(e.action) {
            if let id = take(e) { out[id] = e.action }
        }
        return out
    }
}
