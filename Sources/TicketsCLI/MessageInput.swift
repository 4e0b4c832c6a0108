import Glibc
import TicketsCore

/// The text of a message: `-m TEXT`, `-F FILE` (`-` for standard input) or `-e`.
/// Everything is read before the store is opened, so no file read or editor runs while
/// the database is locked.
extension Invocation {
    /// The message, or nil when none of -m, -F, -e was given.
    func message(template: String = "") throws(TicketsError) -> String? {
        let a = arguments
        let given = ["message", "message-file", "editor"].filter { a.has($0) }
        if given.count > 1 {
            throw .usage("give the message once: -m, -F or -e, not \(given.map { "--" + $0 }.joined(separator: " and "))")
        }
        if let m = a.value("message") { return text(m.raw, from: "--message") }
        if let f = a.value("message-file") {
            if f.text == "-" {
                let bytes = try io.standardInput()
                let t = text(bytes, from: "standard input")
                unsavedMessage = t
                return t
            }
            let bytes = try FileSystem.read(path: f.text, limit: 16 << 20)
            guard bytes.count <= 16 << 20 else { throw .invalid("\(f.text) is larger than 16 MiB; a message must be smaller") }
            return text(bytes, from: f.text)
        }
        if a.has("editor") {
            let t = try Editor.edit(self, template: template)
            unsavedMessage = t
            return t
        }
        return nil
    }

    /// Text from bytes: invalid UTF-8 is stored with U+FFFD and a warning (SPEC §5).
    func text(_ bytes: [UInt8], from source: String) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        if !s.utf8.elementsEqual(bytes) {
            warn("\(source) is not valid UTF-8; the bad bytes were stored as U+FFFD")
        }
        return s
    }

    /// An option's text, with the same repair and warning.
    func text(_ a: Argument, option: String) -> String {
        a.isValidUTF8 ? a.text : text(a.raw, from: option)
    }

    /// Saves the typed message as a draft (mode 0600) and returns its path.
    func saveDraftIfNeeded() -> String? {
        guard let message = unsavedMessage, !message.isEmpty else { return nil }
        unsavedMessage = nil
        let dir = xdg("XDG_STATE_HOME", fallback: ".local/state") + "/tickets/drafts"
        let path = "\(dir)/draft-\(now.rfc3339.replacing(":", with: ""))-\(getpid()).md"
        do {
            try FileSystem.makeDirectories(dir)
            try FileSystem.createExclusive(path, bytes: Array(message.utf8))
            return path
        } catch {
            warn("could not save your message as a draft: \(error.message)")
            return nil
        }
    }
}

/// `-e`: $VISUAL, then $EDITOR, on a private temporary file; lines starting with '#'
/// are dropped, as git does for commit messages.
enum Editor {
    static func edit(_ inv: Invocation, template: String) throws(TicketsError) -> String {
        guard inv.io.stdinIsTerminal && inv.io.stdoutIsTerminal else {
            throw .usage("-e needs a terminal; off a terminal give the text with -m or -F")
        }
        let editor = [inv.environment["VISUAL"], inv.environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let dir = inv.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var path = Array("\(dir)/tickets-XXXXXX.md".utf8CString)
        let fd = path.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 3) }
        guard fd >= 0 else { throw .cannotCreate("cannot create a temporary file in \(dir)") }
        let file = String(cString: path)
        defer { unlink(file) }
        _ = fchmod(fd, 0o600)
        try? FileSystem.writeAll(fd: fd, Array(template.utf8), name: file)
        close(fd)
        // The editor gets the terminal; the file name is passed as $1, never spliced into the command.
        let status = Spawn.wait(["/bin/sh", "-c", "\(editor) \"$1\"", "sh", file], inheritStdio: true)
        guard status == 0 else { throw .invalid("the editor (\(editor)) failed with status \(status); nothing was saved") }
        let bytes = try FileSystem.read(path: file, limit: 16 << 20)
        let kept = inv.text(bytes, from: "the edited message").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        return kept.trimmingWhitespaceLines()
    }
}

extension String {
    /// Drops leading and trailing blank lines and trailing whitespace.
    func trimmingWhitespaceLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map { l in
            var s = Substring(l)
            while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
            return s
        }
        while let f = lines.first, f.isEmpty { lines.removeFirst() }
        while let l = lines.last, l.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}

/// Spawning a child that shares our terminal (the editor).
enum Spawn {
    static func wait(_ argv: [String], inheritStdio: Bool) -> Int32 {
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, argv[0], nil, nil, cArgs, environ) == 0 else { return 127 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
