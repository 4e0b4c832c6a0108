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
            let bytes = try FileSystem.read(rawPath: f.raw, limit: 16 << 20)
            guard bytes.count <= 16 << 20 else { throw .invalid("\(f.text) is larger than 16 MiB; a message must be smaller") }
            return text(bytes, from: f.text)
        }
        if a.has("editor") { return try Editor.edit(self, template: template) }
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
