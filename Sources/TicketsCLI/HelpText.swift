/// Help in the layout Swift users know from swift-argument-parser: OVERVIEW, USAGE,
/// ARGUMENTS, OPTIONS; two-space indent, labels in a 24-cell column.
enum HelpText {
    static let labelWidth = 24

    static func overview() -> String {
        var s = "OVERVIEW: A support-ticket system in one command and one SQLite file.\n\n"
        s += "USAGE: tickets <command> [<options>]\n\nCOMMANDS:\n"
        for c in CommandTable.commands where !c.hidden { s += row(c.name, c.summary) }
        s += "\nOPTIONS:\n"
        for o in CommandTable.globalOptions { s += row(o.label, o.help) }
        s += row("--version", "Show the version of tickets and of SQLite.")
        s += "\nHELP TOPICS:\n"
        for t in HelpTopic.allCases { s += row(t.rawValue, t.summary) }
        s += "\n  See 'tickets help <command>' for a command's options, and 'man tickets'.\n"
        return s
    }

    static func command(_ c: CommandSpec) -> String {
        var s = "OVERVIEW: \(c.summary)\n"
        if !c.discussion.isEmpty { s += "\n" + wrap(c.discussion, indent: 0, width: 80) }
        s += "\n" + wrap("USAGE: tickets \(c.name) \(c.usage)", indent: 2, width: 80, firstIndentDone: true)
        if !c.arguments.isEmpty {
            s += "\nARGUMENTS:\n"
            for a in c.arguments { s += row("<\(a.name)>", a.help) }
        }
        s += "\nOPTIONS:\n"
        for o in c.allOptions { s += row(o.label, o.help) }
        return s
    }

    /// `  label                   help`, the help wrapped at 80 columns; a label too long
    /// for its column puts the help on the next line.
    static func row(_ label: String, _ help: String) -> String {
        var s = "  " + label
        if label.count <= labelWidth - 2 {
            s += String(repeating: " ", count: labelWidth - label.count)
            s += wrap(help, indent: labelWidth + 2, width: 80, firstIndentDone: true)
        } else {
            s += "\n" + wrap(help, indent: labelWidth + 2, width: 80)
        }
        return s
    }

    static func wrap(_ text: String, indent: Int, width: Int, firstIndentDone: Bool = false) -> String {
        var out = ""
        var line = firstIndentDone ? "" : String(repeating: " ", count: indent)
        var lineLen = indent
        var empty = true
        for word in text.split(separator: " ") {
            if !empty && lineLen + 1 + word.count > width {
                out += line + "\n"
                line = String(repeating: " ", count: indent)
                lineLen = indent
                empty = true
            }
            if !empty {
                line += " "
                lineLen += 1
            }
            line += word
            lineLen += word.count
            empty = false
        }
        return out + line + "\n"
    }
}
