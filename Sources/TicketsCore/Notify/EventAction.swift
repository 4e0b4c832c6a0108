/// The action names events carry (SPEC §2) that can notify someone or run a hook
/// (SPEC §9). The raw value is the event's `action` text and the hook's name after
/// `post-` (`post-auto-close`).
public enum EventAction: String, CaseIterable, Sendable {
    case open, reply, note, assign, edit, merge, close, autoClose = "auto-close", cancel, reopen, rate

    /// The hook's file name in `hooks_dir`: `post-open`, `post-auto-close`, …
    public var hookName: String { "post-" + rawValue }
}
