/// Commands and options as data: the one description that help, usage errors,
/// "did you mean", completions and the man-page check are all generated from.
public struct OptionSpec: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case flag
        /// Takes the next argument, whatever it looks like.
        case required(String)
        /// `--stale [DUR]`: takes the next argument only when it is a duration.
        case optionalDuration(String)
    }

    /// What a value is, for completions.
    public enum Completion: String, Sendable {
        case none, file, directory, status, priority, department, format, sort, fields, email, duration, time, countField, ticket
    }

    public let long: String
    public let short: Character?
    public let value: Value
    public let repeatable: Bool
    public let help: String
    public let completion: Completion

    public init(_ long: String, _ short: Character? = nil, _ value: Value = .flag, repeatable: Bool = false,
                complete: Completion = .none, help: String) {
        self.long = long
        self.short = short
        self.value = value
        self.repeatable = repeatable
        self.help = help
        self.completion = complete
    }

    public var takesValue: Bool { value != .flag }

    public var valueName: String? {
        switch value {
        case .flag: nil
        case .required(let n), .optionalDuration(let n): n
        }
    }

    /// `-s, --subject <subject>` as help shows it.
    public var label: String {
        var s = short.map { "-\($0), " } ?? ""
        s += "--\(long)"
        switch value {
        case .flag: break
        case .required(let n): s += " <\(n)>"
        case .optionalDuration(let n): s += " [<\(n)>]"
        }
        return s
    }
}

public struct ArgumentSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case ticketIDs, ticketID, command, file, stars, shell }
    public let name: String
    public let kind: Kind
    public let optional: Bool
    public let help: String

    public init(_ name: String, _ kind: Kind, optional: Bool = false, _ help: String) {
        self.name = name
        self.kind = kind
        self.optional = optional
        self.help = help
    }
}

public struct CommandSpec: Sendable {
    public typealias Handler = @Sendable (Invocation) throws(TicketsError) -> Int32

    public let name: String
    public let summary: String
    /// The usage line after `tickets NAME`.
    public let usage: String
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    public let discussion: String
    /// Plumbing for completions: works, but is not listed in help.
    public let hidden: Bool
    let handler: Handler

    init(_ name: String, _ summary: String, usage: String, arguments: [ArgumentSpec] = [], options: [OptionSpec],
         discussion: String = "", hidden: Bool = false, handler: @escaping Handler) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.arguments = arguments
        self.options = options
        self.discussion = discussion
        self.hidden = hidden
        self.handler = handler
    }

    /// The command's own options followed by the global ones.
    public var allOptions: [OptionSpec] { options + CommandTable.globalOptions }
}

import TicketsCore
