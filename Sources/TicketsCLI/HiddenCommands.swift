/// Plumbing commands that help does not list (completion scripts, id completion).
enum HiddenCommands {
    static let commands: [CommandSpec] = []

    static func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
