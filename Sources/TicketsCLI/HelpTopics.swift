import TicketsCore

/// `tickets help <topic>` (as `gh help formatting`): the reference tables the man page
/// also prints. A test checks that both name the same codes, variables and fields.
enum HelpTopic: String, CaseIterable {
    case exitCodes = "exit-codes", environment, formatting

    var summary: String {
        switch self {
        case .exitCodes: "What each exit status means."
        case .environment: "The environment variables tickets reads."
        case .formatting: "Output formats and the fields of --fields and JSON."
        }
    }

    var text: String {
        switch self {
        case .exitCodes: Self.exitCodesText()
        case .environment: Self.environmentText()
        case .formatting: Self.formattingText()
        }
    }

    /// What each error kind means, in the words of SPEC §7; the codes come from ExitCode.
    static func meaning(_ kind: TicketsError.Kind) -> String {
        switch kind {
        case .usage: "Usage: unknown command or option, missing or malformed argument."
        case .invalidInput: "Invalid data: unknown department, bad email, rating out of range, attachment refused."
        case .invalidTransition: "The action is not allowed in the ticket's status."
        case .notFound: "No such ticket, or an input file that does not exist."
        case .unavailable: "The database server cannot be reached (PostgreSQL); retrying later may work."
        case .internalError: "Internal error (a bug)."
        case .cannotCreate: "Cannot create an output file or folder."
        case .io: "I/O error, disk full, or a damaged database."
        case .busy: "The database stayed locked past the busy timeout; retrying may work."
        case .notPermitted: "Not permitted: someone else's ticket, an agent-only action, a read-only database."
        case .config: "Configuration: bad config file, not a tickets database, schema newer than this program."
        case .canceled: "Canceled: the message was left empty in the editor; nothing changed."
        }
    }

    static func exitCodesText() -> String {
        var s = "EXIT CODES:\n"
        s += HelpText.row("0", "Success, including an empty result, a no-op, or a message left empty in the editor.")
        for kind in TicketsError.Kind.allCases where kind != .canceled {
            s += HelpText.row("\(ExitCode.code(for: kind))", "\(meaning(kind)) (error.code \(ExitCode.name(for: kind)))")
        }
        s += "\n  With --format json an error is {\"error\": {\"code\": \"...\", \"message\": \"...\"}} on stderr.\n"
        return s
    }

    static let variables: [(name: String, meaning: String)] = [
        ("TICKETS_DB", "The database, when --db is not given: a file, or a postgres:// URI."),
        ("TICKETS_CONFIG", "The config file (default $XDG_CONFIG_HOME/tickets/config)."),
        ("TICKETS_NAME", "Your name, before the config, git config and $USER."),
        ("TICKETS_EMAIL", "Your email, before the config, git config and $USER@host."),
        ("TICKETS_ROLE", "requester or agent, when --agent is not given."),
        ("TICKETS_NOW", "An RFC 3339 time that replaces the clock (tests, backfills)."),
        ("NO_COLOR", "When set and not empty, never colour the output."),
        ("CLICOLOR_FORCE", "When set and not 0, colour even off a terminal."),
        ("COLUMNS", "The width of tables (default: the terminal's, else 80)."),
        ("VISUAL", "The editor for -e, before $EDITOR."),
        ("EDITOR", "The editor for -e (default: vi)."),
        ("PAGER", "The pager for show and list on a terminal (default: less -FRX; empty or cat: none)."),
        ("XDG_DATA_HOME", "Where the database lives (default ~/.local/share)."),
        ("XDG_CONFIG_HOME", "Where the config lives (default ~/.config)."),
        ("XDG_STATE_HOME", "Where drafts are kept (default ~/.local/state); those older than 30 days go when one is saved."),
        ("TMPDIR", "Where the editor's temporary file and import's work file are made (default /tmp)."),
        ("PGHOST", "libpq's, for a postgres:// database: the server."),
        ("PGUSER", "libpq's: the role to log in as."),
        ("PGPASSWORD", "libpq's: the password (~/.pgpass is better)."),
        ("PGSSLMODE", "libpq's: whether and how to use TLS (verify-full for a server elsewhere)."),
        ("PGCONNECT_TIMEOUT", "libpq's: seconds to wait for the server (tickets' default: 10)."),
    ]

    static func environmentText() -> String {
        var s = "ENVIRONMENT:\n"
        for v in variables { s += HelpText.row(v.name, v.meaning) }
        return s
    }

    static func fieldMeaning(_ f: TicketField) -> String {
        switch f {
        case .id: "The ticket number (a JSON number)."
        case .subject: "The subject line."
        case .status: "open, in-progress, answered, customer-reply, closed or canceled."
        case .priority: "low, medium, high or urgent."
        case .department: "The department."
        case .service: "The related service, or null."
        case .requester: "{name, email}; in CSV requester_name and requester_email."
        case .cc: "The emails on cc (a JSON array; in CSV joined with ';')."
        case .assignee: "The assigned agent's email, or null."
        case .dedupeKey: "The --dedupe-key the ticket was opened with, or null."
        case .createdAt: "When it was opened (RFC 3339, UTC)."
        case .updatedAt: "When it last changed."
        case .closedAt: "When it was closed or canceled, or null."
        case .rating: "{stars, review, rated_at} or null; in CSV rating_stars, rating_review, rated_at."
        case .dueAt: "list only: when a ticket waiting on support is due (its SLA), or null."
        case .overdue: "list only: true when due_at has passed."
        }
    }

    static func formattingText() -> String {
        var s = "FORMATS (--format, or --json, --csv):\n"
        s += HelpText.row("table", "The default: aligned columns sized to the terminal, relative times, colour on a terminal.")
        s += HelpText.row("json", "An array of objects (one object for show and changes); snake_case names.")
        s += HelpText.row("ndjson", "One JSON object a line.")
        s += HelpText.row("csv", "RFC 4180 with a header row and CRLF line ends; a cell beginning with =, +, -, @, tab or carriage return gets a ' in front so that spreadsheets do not run it.")
        s += "\nFIELDS (--fields a,b,c; JSON names):\n"
        for f in TicketField.allCases { s += HelpText.row(f.rawValue, fieldMeaning(f)) }
        s += "\n  In CSV, requester is requester_name and requester_email; rating is rating_stars,\n"
        s += "  rating_review and rated_at. list --json adds due_at and overdue after the\n"
        s += "  ticket's fields; export, show and changed tickets leave them out.\n"
        s += "  show --json adds messages (id, author, role, internal, body, created_at,\n"
        s += "  attachments) and, with --history, events (id, actor, action, from_status,\n"
        s += "  to_status, field, old_value, new_value, message_id, created_at).\n"
        return s
    }
}
