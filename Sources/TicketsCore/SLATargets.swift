/// The SLA target of each priority (SPEC §8 `sla_urgent` ... `sla_low`), in seconds from
/// the moment a ticket starts waiting on support (`SLA`). Defaults: urgent 1 h, high 4 h,
/// medium 24 h, low 48 h.
///
/// Four stored fields rather than a `[Priority: Int64]`: every command that reads the
/// config builds one, and a dictionary keyed by a new type costs a short-lived process
/// a run-time generic instantiation (about 0.03 ms; bench/NOTES.md).
public struct SLATargets: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    public var urgent: Int64 = 3600
    public var high: Int64 = 4 * 3600
    public var medium: Int64 = 24 * 3600
    public var low: Int64 = 48 * 3600

    public init() {}

    /// `[.urgent: 1800, ...]`; priorities left out keep their default.
    public init(dictionaryLiteral elements: (Priority, Int64)...) {
        for (p, seconds) in elements { self[p] = seconds }
    }

    /// Seconds for `priority`.
    public subscript(priority: Priority) -> Int64 {
        get {
            switch priority {
            case .urgent: urgent
            case .high: high
            case .medium: medium
            case .low: low
            }
        }
        set {
            switch priority {
            case .urgent: urgent = newValue
            case .high: high = newValue
            case .medium: medium = newValue
            case .low: low = newValue
            }
        }
    }
}
