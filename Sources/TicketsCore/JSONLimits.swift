/// Bounds on one top-level object, so that a hostile or broken input cannot take the
/// memory: the reader holds one object at a time, and these keep that object finite.
/// Exceeding one is a `JSONSyntaxError` at the value that crossed it, whose
/// `exceededLimit` says which.
///
/// The defaults are generous for `tickets export` output: a ticket is a few KB and a
/// base64 attachment at most about 11 MiB (`attachment_max_size` is 8 MiB by default).
public struct JSONLimits: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case stringBytes, numberLength, containerCount, documentValues, documentBytes, depth
    }

    /// Bytes of one string, key or value, after decoding escapes (UTF-8). Default 16 MiB.
    public var maxStringBytes = 16 << 20
    /// Characters of one number literal, sign and exponent included. Default 1,000.
    public var maxNumberLength = 1_000
    /// Members of one object or elements of one array. Default 1,000,000.
    public var maxContainerCount = 1_000_000
    /// Members and elements at every level inside one top-level object (each counts
    /// once, containers included). Default 4,000,000, a few hundred MB once parsed.
    public var maxDocumentValues = 4_000_000
    /// Input bytes of one top-level object, whitespace included. Default 1 GiB.
    /// Checked as the window refills and at the object's end, so it is reported where it
    /// was noticed, up to one window past the byte that crossed it.
    public var maxDocumentBytes = 1 << 30
    /// Levels of nesting: the top-level object is level 1 and a top-level array does not
    /// count, so a ticket parses the same in both formats. Default 64.
    public var maxDepth = 64
    /// How a user raises a limit that comes from a setting, shown in parentheses in its
    /// error, e.g. `[.stringBytes: "raise attachment_max_size in the config"]`.
    public var howToRaise: [Kind: String] = [:]

    public init() {}
}
