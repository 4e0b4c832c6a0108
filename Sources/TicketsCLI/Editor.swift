import Glibc
import TicketsCore

/// `-e`: $VISUAL, then $EDITOR (else vi), on a private temporary file (mode 0600) that
/// holds a commented template. Lines starting with '#' are dropped, as git does for
/// commit messages. Commands call it before they open the store, so no database lock is
/// held while the person writes.
enum Editor {
    /// The edited text without comment lines and surrounding blank lines; "" means the
    /// person emptied the buffer, which the commands take as "cancel".
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
        let text = strip(inv.text(bytes, from: "the edited message"))
        if status != 0 {
            // Whatever was typed before the editor failed goes to a draft (TicketsCLI.report).
            if text != strip(template) { inv.unsavedMessage = text }
            throw .invalid("the editor '\(editor)' exited with status \(status); nothing was stored")
        }
        inv.unsavedMessage = text
        return text
    }

    /// Drops comment lines, then blank lines at either end and trailing blanks.
    static func strip(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }.joined(separator: "\n").trimmingWhitespaceLines()
    }

    /// Help lines for a template, each behind '# '.
    static func comments(_ lines: [String]) -> String {
        lines.map { "# " + $0 + "\n" }.joined()
    }
}
