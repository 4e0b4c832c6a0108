import TicketsCore

/// The one place where errors become exit codes and `error.code` names (SPEC §7).
public enum ExitCode {
    public static let success: Int32 = 0

    public static func code(for kind: TicketsError.Kind) -> Int32 {
        switch kind {
        case .usage: 64
        case .invalidInput, .invalidTransition: 65
        case .notFound: 66
        case .unavailable: 69
        case .internalError: 70
        case .cannotCreate: 73
        case .io: 74
        case .busy: 75
        case .notPermitted: 77
        case .config: 78
        case .canceled: success
        }
    }

    public static func name(for kind: TicketsError.Kind) -> String {
        switch kind {
        case .usage: "usage"
        case .invalidInput: "invalid_input"
        case .invalidTransition: "invalid_transition"
        case .notFound: "not_found"
        case .unavailable: "unavailable"
        case .internalError: "internal"
        case .cannotCreate: "cannot_create"
        case .io: "io"
        case .busy: "busy"
        case .notPermitted: "not_permitted"
        case .config: "config"
        case .canceled: "canceled"
        }
    }
}
