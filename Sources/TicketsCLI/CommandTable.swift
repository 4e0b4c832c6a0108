import TicketsCore

/// Every command of SPEC §5, described once.
public enum CommandTable {
    public static let globalOptions: [OptionSpec] = [
        OptionSpec("db", nil, .required("path"), complete: .file, help: "Use the database at <path> (default: TICKETS_DB, else $XDG_DATA_HOME/tickets/tickets.db)."),
        OptionSpec("format", nil, .required("format"), complete: .format, help: "Output format: table, json, csv or ndjson (default: table)."),
        OptionSpec("json", nil, help: "Same as --format json."),
        OptionSpec("csv", nil, help: "Same as --format csv."),
        OptionSpec("agent", nil, help: "Act as a support agent (default: TICKETS_ROLE, else the config's role, else requester)."),
        OptionSpec("no-color", nil, help: "Never colour the output."),
        OptionSpec("no-pager", nil, help: "Never page the output of show and list through $PAGER."),
        OptionSpec("help", "h", help: "Show help information."),
    ]

    static let messageOptions: [OptionSpec] = [
        OptionSpec("message", "m", .required("text"), help: "The message text (Markdown)."),
        OptionSpec("message-file", "F", .required("file"), complete: .file, help: "Read the message from <file> ('-' for standard input)."),
        OptionSpec("editor", "e", help: "Write the message in $VISUAL or $EDITOR."),
    ]

    static let filterOptions: [OptionSpec] = [
        OptionSpec("status", nil, .required("status"), repeatable: true, complete: .status,
                   help: "Only tickets in <status>: open, in-progress, answered, customer-reply, closed, canceled, active or all."),
        OptionSpec("department", "d", .required("department"), repeatable: true, complete: .department, help: "Only tickets of <department>."),
        OptionSpec("priority", "p", .required("priority"), repeatable: true, complete: .priority, help: "Only tickets of <priority>: low, medium, high, urgent."),
        OptionSpec("service", nil, .required("name"), repeatable: true, help: "Only tickets about service <name>."),
        OptionSpec("requester", nil, .required("email"), repeatable: true, complete: .email, help: "Only tickets opened by <email>."),
        OptionSpec("mine", nil, help: "Only my tickets: assigned to me (agent) or opened by me (requester)."),
        OptionSpec("search", "S", .required("text"), help: "Only tickets whose subject or messages contain every word of <text>."),
        OptionSpec("created-since", nil, .required("time"), complete: .time, help: "Created at or after <time>: a date, an RFC 3339 time or a duration ago (7d)."),
        OptionSpec("created-before", nil, .required("time"), complete: .time, help: "Created before <time>."),
        OptionSpec("updated-since", nil, .required("time"), complete: .time, help: "Updated at or after <time>."),
        OptionSpec("updated-before", nil, .required("time"), complete: .time, help: "Updated before <time>."),
        OptionSpec("overdue", nil, help: "Only tickets waiting on support longer than their priority's SLA target."),
    ]

    static let listOnlyOptions: [OptionSpec] = [
        OptionSpec("sort", nil, .required("key"), complete: .sort, help: "Sort by id, created, updated or priority (default: updated, newest first)."),
        OptionSpec("reverse", nil, help: "Reverse the sort order."),
        OptionSpec("limit", "L", .required("n"), help: "Show at most <n> tickets (table default 30; 0 for all)."),
        OptionSpec("count", nil, help: "Print only the number of matching tickets."),
        OptionSpec("by", nil, .required("field"), complete: .countField, help: "With --count: count per status, department, priority, assignee or service."),
        OptionSpec("fields", nil, .required("list"), complete: .fields, help: "Show only these fields, comma-separated (see 'tickets help formatting')."),
        OptionSpec("quiet", "q", help: "Print only ticket ids, one a line."),
    ]

    /// On every command that changes tickets (SPEC §5, WHMCS's `noemail`).
    static let noNotify = OptionSpec("no-notify", nil, help: "Queue no notification email and run no hook for this change.")

    static let ticketID = ArgumentSpec("id", .ticketID, "The ticket id (42 or #42).")
    static let ticketIDs = ArgumentSpec("id", .ticketIDs, "Ticket ids (42 or #42); '-' reads ids from standard input, one a line.")

    public static let commands: [CommandSpec] = table.map { c in
        guard changing.contains(c.name) else { return c }
        return CommandSpec(c.name, c.summary, usage: c.usage, arguments: c.arguments, options: c.options + [noNotify],
                           discussion: c.discussion, hidden: c.hidden, handler: c.handler)
    }

    private static let table: [CommandSpec] = [
        CommandSpec("open", "Open a new ticket.",
                    usage: "-s <subject> (-m <text> | -F <file> | -e) [<options>]",
                    options: [OptionSpec("subject", "s", .required("subject"), help: "The subject line.")] + messageOptions + [
                        OptionSpec("department", "d", .required("department"), complete: .department, help: "The department (default: the config's default_department, else other)."),
                        OptionSpec("priority", "p", .required("priority"), complete: .priority, help: "low, medium, high or urgent (default: medium)."),
                        OptionSpec("service", nil, .required("name"), help: "The related service."),
                        OptionSpec("cc", nil, .required("email"), repeatable: true, complete: .email, help: "Copy <email> on the ticket; repeatable."),
                        OptionSpec("attach", "a", .required("file"), repeatable: true, complete: .file, help: "Attach <file>; repeatable. By default at most 5 files of 8 MiB, of the types jpg jpeg png gif bmp txt log pdf doc docx xls xlsx zip rar (config: attachment_*)."),
                        OptionSpec("dedupe-key", nil, .required("key"), help: "Reply to the active ticket carrying <key> instead of opening a second one."),
                        OptionSpec("name", nil, .required("name"), help: "Your name (default: TICKETS_NAME, config, git config user.name, $USER)."),
                        OptionSpec("email", nil, .required("email"), complete: .email, help: "Your email (default: TICKETS_EMAIL, config, git config user.email, $USER@host)."),
                        OptionSpec("quiet", "q", help: "Print only the ticket id."),
                    ],
                    discussion: "Prints the new ticket. With --dedupe-key, an active ticket that carries the key gets the message as a requester reply, and the JSON output says \"deduplicated\": true.",
                    handler: OpenCommand.run),
        CommandSpec("list", "List tickets.",
                    usage: "[<filters>] [--sort <key>] [--reverse] [-L <n>] [--count [--by <field>]] [--fields <list>]",
                    options: filterOptions + listOnlyOptions,
                    discussion: "Lists active tickets, most recently updated first, unless filters say otherwise. Repeated filters of one kind match any of their values; different filters must all match.",
                    handler: ListCommand.run),
        CommandSpec("show", "Show a ticket and its conversation.",
                    usage: "<id> [--history] [--save-attachments <dir>]", arguments: [ticketID],
                    options: [
                        OptionSpec("history", nil, help: "Also show the ticket's history of changes."),
                        OptionSpec("save-attachments", nil, .required("dir"), complete: .directory, help: "Save the attachments into <dir> (created if needed), never overwriting a file or writing through a symlink."),
                    ],
                    handler: ShowCommand.run),
        CommandSpec("reply", "Reply to a ticket.",
                    usage: "<id> (-m <text> | -F <file> | -e) [-a <file>]... [--cc <email>]... [--internal]",
                    arguments: [ticketID],
                    options: messageOptions + [
                        OptionSpec("attach", "a", .required("file"), repeatable: true, complete: .file, help: "Attach <file>; repeatable. By default at most 5 files of 8 MiB, of the types jpg jpeg png gif bmp txt log pdf doc docx xls xlsx zip rar (config: attachment_*)."),
                        OptionSpec("cc", nil, .required("email"), repeatable: true, complete: .email, help: "Add <email> to the ticket's cc list; repeatable."),
                        OptionSpec("internal", nil, help: "Write an internal note, hidden from the requester (agents only)."),
                    ],
                    handler: ReplyCommand.run),
        CommandSpec("assign", "Take a ticket, or give it to another agent (agents only).",
                    usage: "<id> [--to <email>]", arguments: [ticketID],
                    options: [OptionSpec("to", nil, .required("email"), complete: .email, help: "The agent to assign (default: yourself).")],
                    handler: AssignCommand.run),
        CommandSpec("close", "Close tickets.",
                    usage: "(<id>... | --stale [<duration>] | <filters> --yes) [-m <text>] [--dry-run]",
                    arguments: [ArgumentSpec("id", .ticketIDs, optional: true, "Ticket ids (42 or #42); '-' reads ids from standard input, one a line.")],
                    options: messageOptions + [
                        OptionSpec("stale", nil, .optionalDuration("duration"), complete: .duration, help: "Close answered tickets with no message for <duration> (default: auto_close_after, 7d)."),
                        OptionSpec("yes", "y", help: "Close every ticket the filters match without asking."),
                        OptionSpec("dry-run", "n", help: "Print what would be closed; change nothing."),
                    ] + filterOptions,
                    handler: CloseCommand.run),
        CommandSpec("cancel", "Cancel tickets that no agent has answered or taken yet.",
                    usage: "<id>... [-m <text>]", arguments: [ticketIDs], options: messageOptions,
                    handler: CancelCommand.run),
        CommandSpec("reopen", "Reopen closed or canceled tickets.",
                    usage: "<id>... [-m <text>]", arguments: [ticketIDs], options: messageOptions,
                    handler: ReopenCommand.run),
        CommandSpec("rate", "Rate the support a closed ticket got (requester only).",
                    usage: "<id> <stars> [--review <text>]",
                    arguments: [ticketID, ArgumentSpec("stars", .stars, "1 to 5 stars.")],
                    options: [OptionSpec("review", nil, .required("text"), help: "A few words about the support.")],
                    handler: RateCommand.run),
        CommandSpec("edit", "Route or correct tickets: subject, department, priority, service, cc.",
                    usage: "<id>... [-s <subject>] [-d <department>] [-p <priority>] [--service <name> | --no-service] [--add-cc <email>]... [--remove-cc <email>]... [-m <text>]",
                    arguments: [ticketIDs],
                    options: [
                        OptionSpec("subject", "s", .required("subject"), help: "The new subject line."),
                        OptionSpec("department", "d", .required("department"), complete: .department, help: "Route to <department> (agents)."),
                        OptionSpec("priority", "p", .required("priority"), complete: .priority, help: "low, medium, high or urgent (agents)."),
                        OptionSpec("service", nil, .required("name"), help: "The related service (agents)."),
                        OptionSpec("no-service", nil, help: "Clear the related service (agents)."),
                        OptionSpec("add-cc", nil, .required("email"), repeatable: true, complete: .email, help: "Copy <email> on the ticket; commas separate several."),
                        OptionSpec("remove-cc", nil, .required("email"), repeatable: true, complete: .email, help: "Take <email> off the cc list; commas separate several."),
                    ] + messageOptions,
                    discussion: "Agents change any field of a ticket in any status; its requester only the subject and the cc list of an active ticket. Each changed field is one edit event in the history; the status stays. -m says why: an internal note from an agent, a message from the requester.",
                    handler: EditCommand.run),
        CommandSpec("merge", "Merge duplicate tickets into one (agents only).",
                    usage: "<id>... --into <target> [-m <text>]",
                    arguments: [ticketIDs],
                    options: [OptionSpec("into", nil, .required("id"), complete: .ticket, help: "The ticket that receives the messages and cc of the others.")] + messageOptions,
                    discussion: "Moves every message (with its attachments) and cc address of each ticket into <target>, which keeps its subject, requester and status; each merged ticket is closed with a message naming <target> and frees its dedupe key. One transaction: all or nothing.",
                    handler: MergeCommand.run),
        CommandSpec("export", "Export tickets with their messages, events and ratings.",
                    usage: "[<filters>] [--format json|ndjson|csv] [-o <file>] [--force] [--with-attachments]",
                    options: filterOptions + [
                        OptionSpec("output", "o", .required("file"), complete: .file, help: "Write to <file> instead of standard output."),
                        OptionSpec("force", "f", help: "Overwrite <file> if it exists."),
                        OptionSpec("with-attachments", nil, help: "Include attachment bytes, base64-encoded."),
                    ],
                    discussion: "Exports every ticket the viewer may see (default --status all) as JSON, ndjson or CSV (one row per ticket).",
                    handler: ExportCommand.run),
        CommandSpec("import", "Restore tickets from an export (agents only).",
                    usage: "<file>", arguments: [ArgumentSpec("file", .file, "A JSON or ndjson export; '-' reads standard input.")],
                    options: [],
                    discussion: "All or nothing: one transaction. Tickets whose id already exists are skipped and counted.",
                    handler: ImportCommand.run),
        CommandSpec("notify", "Deliver the queued notification emails (for cron after a mail outage).",
                    usage: "[--dry-run]",
                    options: [OptionSpec("dry-run", "n", help: "List what would be sent; send nothing.")],
                    discussion: "Hands every queued email that has not gone out to the configured sendmail, oldest first, and lists what was sent (--json: objects with id, ticket_id, message_id, to, status, error). Exit 0 when the queue is empty afterwards, 75 while some stay undeliverable.",
                    handler: NotifyCommand.run),
        CommandSpec("completion", "Print the completion script for bash, zsh or fish.",
                    usage: "bash|zsh|fish", arguments: [ArgumentSpec("shell", .shell, "bash, zsh or fish.")],
                    options: [],
                    discussion: "Prints the script that lets the shell complete commands, options, departments and ticket ids; see the README or man page for where to install it.",
                    handler: CompletionCommand.script),
        CommandSpec("help", "Show help for a command.",
                    usage: "[<command>]", arguments: [ArgumentSpec("command", .command, optional: true, "The command to explain.")],
                    options: [], handler: HelpCommand.run),
    ]

    /// The commands that change tickets take `--no-notify`.
    static let changing: Set<String> = ["open", "reply", "assign", "close", "cancel", "reopen", "rate", "edit", "merge"]

    public static func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
