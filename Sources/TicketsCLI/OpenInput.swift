import TicketsCore

/// What `open` needs from the person (subject, department, priority, message): from the
/// options; else, on a terminal, from prompts and then the editor, whose first line is
/// the subject (as in `git commit`). Off a terminal nothing is asked: the missing
/// options are named in a usage error.
struct OpenInput {
    var subject: String
    var department: String
    var priority: Priority
    var body: String

    /// Nil when the person canceled: an empty subject, end of input at a prompt, or an
    /// emptied editor buffer.
    static func gather(_ inv: Invocation) throws(TicketsError) -> OpenInput? {
        let a = inv.arguments
        let config = try inv.config()
        // With -e the editor's first line is the subject, so -s is not missing.
        let needsSubject = !a.has("subject") && !a.has("editor")
        let needsMessage = !a.has("message") && !a.has("message-file") && !a.has("editor")
        let interactive = needsSubject || needsMessage
        if interactive && !(inv.io.stdinIsTerminal && inv.io.stdoutIsTerminal) {
            let missing = (needsSubject ? ["-s/--subject <subject>"] : []) + (needsMessage ? ["the message (-m <text>, -F <file> or -e)"] : [])
            throw .usage("missing \(missing.joined(separator: " and ")) (nothing is asked off a terminal); usage: tickets open \(a.command?.usage ?? "")")
        }
        var subject = try a.value("subject").map { (s) throws(TicketsError) in try checked(inv.text(s, option: "--subject")) }
        var department = try a.value("department").map { (d) throws(TicketsError) in try inv.department(d) }
        var priority = try a.value("priority").map { (p) throws(TicketsError) in try inv.priority(p) }
        if interactive {
            if needsSubject {
                guard let s = ask(inv, "Subject: ")?.trimmingWhitespace(), !s.isEmpty else { return nil }
                subject = try checked(s)
            }
            if department == nil {
                guard let d = choose(inv, "Department", config.departments, default: config.fallbackDepartment) else { return nil }
                department = d
            }
            if priority == nil {
                let names = Priority.allCases.map(\.rawValue)
                guard let p = choose(inv, "Priority", names, default: config.defaultPriority.rawValue) else { return nil }
                priority = Priority(rawValue: p)
            }
        }
        let chosenDepartment = department ?? config.fallbackDepartment
        let chosenPriority = priority ?? config.defaultPriority
        let usesEditor = a.has("editor") || needsMessage
        func template() -> String {
            Editor.template([
                "The first line is the subject; the message goes below it, in Markdown.",
                "Department \(chosenDepartment), priority \(chosenPriority.rawValue).",
            ], prefill: subject ?? "")
        }
        guard let text = try usesEditor ? Editor.edit(inv, template: template()) : inv.message() else { return nil }
        if usesEditor {
            // Split on the scalar: "\r\n" is one Character, and CRLF files must work.
            let lines = text.unicodeScalars.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            subject = try checked(String(String.UnicodeScalarView(lines[0])))
            let body = lines.count > 1 ? Editor.strip(String(String.UnicodeScalarView(lines[1])), template: "") : ""
            // The subject alone, as offered: nothing typed below it cancels, as the template says.
            guard !body.isEmpty else { throw .canceled("there is no message below the subject line; nothing was opened") }
            return OpenInput(subject: subject ?? "", department: chosenDepartment, priority: chosenPriority, body: body)
        }
        guard !text.isEmpty else { throw .invalid("the message is empty; nothing was opened") }
        return OpenInput(subject: subject ?? "", department: chosenDepartment, priority: chosenPriority, body: text)
    }

    static func checked(_ subject: String) throws(TicketsError) -> String {
        try TextRules.subject(subject)
    }

    /// A question on stderr (stdout stays data), the answer from the terminal; nil at end of input.
    static func ask(_ inv: Invocation, _ question: String) -> String? {
        inv.io.stderr.write(question)
        inv.io.stderr.flush()
        return inv.io.readAnswer()
    }

    /// Asks until the answer is one of `choices`; an empty answer takes the default.
    static func choose(_ inv: Invocation, _ what: String, _ choices: [String], default value: String) -> String? {
        while true {
            guard let answer = ask(inv, "\(what) (\(choices.joined(separator: ", "))) [\(value)]: ") else { return nil }
            let a = answer.trimmingWhitespace().lowercased()
            if a.isEmpty { return value }
            if choices.contains(a) { return a }
            inv.io.stderr.write("'\(Sanitizer.line(a))' is not one of them.\n")
        }
    }
}
