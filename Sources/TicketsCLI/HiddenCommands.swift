/// Plumbing commands that help does not list (completion scripts, id completion).
/// They are parsed like the others, so the global options (--db, --agent) work.
enum HiddenCommands {
    static let commands: [CommandSpec] = [
        CommandSpec("completion", "Print the completion script for a shell.",
                    usage: "bash|zsh|fish", arguments: [ArgumentSpec("shell", .command, "bash, zsh or fish.")],
                    options: [], hidden: true, handler: CompletionCommand.script),
        CommandSpec("__complete", "Print what a completion script completes.",
                    usage: "departments|ids", arguments: [ArgumentSpec("what", .command, "departments or ids.")],
                    options: [], hidden: true, handler: CompletionCommand.query),
    ]

    static func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
