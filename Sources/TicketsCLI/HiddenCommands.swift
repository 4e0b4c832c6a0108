/// Plumbing commands that help does not list (completion scripts, id completion).
/// They are parsed like the others, so the global options (--db, --agent) work.
enum HiddenCommands {
    static let commands: [CommandSpec] = [
        CommandSpec("__complete", "Print what a completion script completes.",
                    usage: "departments | ids [<command>]",
                    arguments: [ArgumentSpec("what", .command, "departments or ids."),
                                ArgumentSpec("command", .command, optional: true, "For ids: the command being completed, which decides the statuses offered.")],
                    options: [], hidden: true, handler: CompletionCommand.query),
    ]

    static func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
