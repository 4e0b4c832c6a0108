import TicketsCore

/// `tickets help [COMMAND]`.
enum HelpCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["command"], optional: 1)
        guard let name = p.first?.text else {
            inv.io.stdout.write(HelpText.overview())
            return ExitCode.success
        }
        if let topic = HelpTopic(rawValue: name) {
            inv.io.stdout.write(topic.text)
            return ExitCode.success
        }
        guard let command = CommandTable.command(named: name) else {
            throw .usage(ParsedArguments.unknownCommand(name))
        }
        inv.io.stdout.write(HelpText.command(command))
        return ExitCode.success
    }
}
