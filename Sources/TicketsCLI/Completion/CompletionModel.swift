import TicketsCore

/// What the completion scripts are generated from: the command table, read once into
/// the few facts a shell needs (which words are commands, which options take values and
/// what those values are), so the three generators cannot disagree.
enum CompletionModel {
    /// Value kinds a shell completes itself; the rest (`department`, `id`) ask
    /// `tickets __complete`, and free text gets nothing.
    enum Kind: String {
        case file, directory, status, priority, format, sort, fields, department, id, command, stars, text, countField, shell
    }

    static let commands = CommandTable.commands.filter { !$0.hidden }

    /// Fixed word lists, from the same enums the parser accepts.
    static func words(_ kind: Kind) -> [String] {
        switch kind {
        case .status: Status.allCases.map(\.rawValue) + ["active", "all"]
        case .priority: Priority.allCases.map(\.rawValue)
        case .format: OutputFormat.allCases.map(\.rawValue)
        case .sort: TicketFilter.Sort.allCases.map(\.rawValue)
        case .fields: TicketField.allCases.map(\.rawValue)
        case .command: commands.map(\.name) + HelpTopic.allCases.map(\.rawValue)
        case .stars: ["1", "2", "3", "4", "5"]
        case .countField: CountField.allCases.map(\.rawValue)
        case .shell: ["bash", "zsh", "fish"]
        case .file, .directory, .department, .id, .text: []
        }
    }

    /// The kind of value an option takes, or nil for a flag. `--stale [DUR]` counts as a
    /// flag: the word after it may as well be an id.
    static func kind(of option: OptionSpec) -> Kind? {
        guard case .required = option.value else { return nil }
        switch option.completion {
        case .file: return .file
        case .directory: return .directory
        case .status: return .status
        case .priority: return .priority
        case .department: return .department
        case .format: return .format
        case .sort: return .sort
        case .fields: return .fields
        case .countField: return .countField
        case .ticket: return .id
        case .none, .email, .duration, .time: return .text
        }
    }

    /// The positional arguments of a command, in order; `repeats` when the last one may
    /// be given again (ids).
    static func arguments(_ c: CommandSpec) -> (kinds: [Kind], repeats: Bool) {
        var kinds = [Kind]()
        var repeats = false
        for a in c.arguments {
            switch a.kind {
            case .ticketID: kinds.append(.id)
            case .ticketIDs: kinds.append(.id); repeats = true
            case .command: kinds.append(.command)
            case .file: kinds.append(.file)
            case .stars: kinds.append(.stars)
            case .shell: kinds.append(.shell)
            }
        }
        return (kinds, repeats)
    }

    /// `--version` is an option of the bare `tickets` only, so it is not in the table.
    static let topLevelOnly = ["--version"]

    /// An option's spellings: `-s` and `--subject`.
    static func spellings(_ o: OptionSpec) -> [String] {
        (o.short.map { ["-\($0)"] } ?? []) + ["--" + o.long]
    }
}
