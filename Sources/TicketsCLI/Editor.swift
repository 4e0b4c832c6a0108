import Glibc
import TicketsCore

/// `-e`: $VISUAL, then $EDITOR (else vi), on a private temporary file (mode 0600) that
/// holds a template. Only the template's own help lines are removed afterwards: what the
/// person typed is kept as typed, so Markdown headings (`## Steps`) and `#2` survive
/// (SPEC §8). Commands call it before they open the store, so no database lock is held
/// while the person writes.
enum Editor {
    /// The buffer: `prefill` (open's subject line), a blank line, then the help lines,
    /// each behind `# `. They say that they will be removed, and nothing else is.
    static func template(_ help: [String], prefill: String = "") -> String {
        var text = prefill + "\n\n"
        for line in help + ["These lines are removed when you save; everything else you write is kept.",
                            "An empty message cancels."] {
            text += "# " + line + "\n"
        }
        return text
    }

    /// The edited text without the template's help lines and without blank lines at
    /// either end; "" means the person emptied the buffer, which the commands take as
    /// "cancel".
    static func edit(_ inv: Invocation, template: String) throws(TicketsError) -> String {
        guard inv.io.stdinIsTerminal && inv.io.stdoutIsTerminal else {
            throw .usage("-e needs a terminal; off a terminal give the text with -m or -F")
        }
        let editor = [inv.environment["VISUAL"], inv.environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let dir = inv.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var path = Array("\(dir)/tickets-XXXXXX.md".utf8CString)
        let fd = path.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 3) }
        guard fd >= 0 else { throw .cannotCreate("cannot create a temporary file in \(dir); set TMPDIR to a writable folder") }
        let file = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(file) }
        _ = fchmod(fd, 0o600)
        do {
            try FileSystem.writeAll(fd: fd, Array(template.utf8), name: file)
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        // The file name goes in as $1, never spliced into the command: $EDITOR may carry
        // its own arguments ("code --wait"), the name may not.
        guard let pid = Spawn.start(shell: "\(editor) \"$1\"", arguments: [file], environment: inv.environment) else {
            throw .io("cannot start the editor '\(editor)'; set VISUAL or EDITOR to an editor that exists")
        }
        let status = Spawn.wait(pid)
        let bytes = (try? FileSystem.read(path: file, limit: 16 << 20)) ?? []
        let text = strip(inv.text(bytes, from: "the edited message"), template: template)
        if status != 0 {
            // Whatever was typed before the editor failed goes to a draft (TicketsCLI.report).
            if text != strip(template, template: template) { inv.unsavedMessage = text }
            throw .invalid("the editor '\(editor)' exited with status \(status); nothing was stored")
        }
        // Nothing typed but the template: every command takes that as "cancel".
        guard !text.isEmpty else { throw .canceled("the message is empty; nothing was changed") }
        inv.unsavedMessage = text
        return text
    }

    /// Removes a leading byte-order mark, each of the template's help lines once (a line
    /// ending in CR counts: editors on Windows save CRLF), and blank lines at either end.
    /// Every other byte stays as typed.
    static func strip(_ text: String, template: String) -> String {
        var remaining = [Substring: Int]()
        for line in template.split(separator: "\n") where line.hasPrefix("# ") { remaining[line, default: 0] += 1 }
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var kept = [Substring]()
        // "\r\n" is one Character in Swift: split on the scalar so CRLF lines split too.
        for line in body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map({ Substring($0) }) {
            let bare = line.hasSuffix("\r") ? line.dropLast() : line
            if let n = remaining[bare], n > 0 {
                remaining[bare] = n - 1
                continue
            }
            kept.append(line)
        }
        while let first = kept.first, first.allSatisfy(\.isWhitespace) { kept.removeFirst() }
        while let last = kept.last, last.allSatisfy(\.isWhitespace) { kept.removeLast() }
        // The last line's break went with the trailing blank lines: its CR (of a CRLF
        // file) goes with it.
        if let last = kept.last, last.hasSuffix("\r") { kept[kept.count - 1] = last.dropLast() }
        return kept.joined(separator: "\n")
    }
}
