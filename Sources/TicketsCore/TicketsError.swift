/// Every failure the core reports. The CLI maps `kind` to an exit code in one place
/// (`ExitCode.swift`); the message is one line that says what went wrong and what to do.
public struct TicketsError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case usage, invalidInput, invalidTransition, notFound, internalError
        case cannotCreate, io, busy, notPermitted, config
        /// The database server cannot be reached (PostgreSQL); retrying later may work.
        case unavailable
        /// The person canceled (an emptied editor buffer): nothing happened, and that is
        /// not a failure (exit 0, the message as a note).
        case canceled
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func usage(_ m: String) -> Self { Self(.usage, m) }
    public static func invalid(_ m: String) -> Self { Self(.invalidInput, m) }
    public static func transition(_ m: String) -> Self { Self(.invalidTransition, m) }
    public static func notFound(_ m: String) -> Self { Self(.notFound, m) }
    public static func notPermitted(_ m: String) -> Self { Self(.notPermitted, m) }
    public static func config(_ m: String) -> Self { Self(.config, m) }
    public static func io(_ m: String) -> Self { Self(.io, m) }
    public static func cannotCreate(_ m: String) -> Self { Self(.cannotCreate, m) }
    public static func bug(_ m: String) -> Self { Self(.internalError, m) }
    public static func canceled(_ m: String) -> Self { Self(.canceled, m) }
    public static func unavailable(_ m: String) -> Self { Self(.unavailable, m) }
    public static func busy(_ m: String) -> Self { Self(.busy, m) }
}
