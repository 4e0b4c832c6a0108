/// Which messages were said along with a close, cancel or reopen (`-m TEXT`), so that
/// `show` can print them as the reason they are, not as one more reply (SPEC §5).
///
/// Each change records the message it wrote in its event (`Event.messageID`), in the same
/// transaction, so the link is exact; export and import keep it.
public enum MessagePurpose {
    /// The changes whose message is a reason.
    static let reasonActions: Set<String> = ["close", "cancel", "reopen"]

    /// Message id → the action it was the reason for.
    public static func reasons(events: [Event]) -> [Int64: String] {
        var out = [Int64: String]()
        for e in events where reasonActions.contains(e.action) {
            if let id = e.messageID { out[id] = e.action }
        }
        return out
    }
}
