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

    /// Text from bytes: invalid UTF-8 is stored with U+FFFD and a warning (SPEC §5). So is
    /// U+0000, which a PostgreSQL text cannot hold: both stores keep the same text, and
    /// an export is the same bytes from either.
    func text(_ bytes: [UInt8], from source: String) -> String {
        var s = String(decoding: bytes, as: UTF8.self)
        if !s.utf8.elementsEqual(bytes) {
            warn("\(source) is not valid UTF-8; the bad bytes were stored as U+FFFD")
        }
        if s.utf8.contains(0) {
            s = String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
            warn("\(source) holds NUL characters (U+0000); they were stored as U+FFFD")
        }
        return s
    }

    /// An option's text, with the same repair and warning.
    func text(_ a: Argument, option: String) -> String {
        a.isValidUTF8 ? a.text : text(a.raw, from: option)
    }

    /// Saves the typed message as a draft (mode 0600) and returns its path. Drafts older
    /// than 30 days go when a new one is saved (SPEC §7), so CI runners whose failed
    /// `reply -F -` each leave one do not pile them up.
    func saveDraftIfNeeded() -> String? {
        guard let message = unsavedMessage, !message.isEmpty else { return nil }
        unsavedMessage = nil
        let dir = draftFolder
        let path = "\(dir)/draft-\(now.rfc3339.replacing(":", with: ""))-\(getpid()).md"
        do {
            try FileSystem.makeDirectories(dir)
            try FileSystem.createExclusive(path, bytes: Array(message.utf8))
        } catch {
            warn("could not save your message as a draft: \(error.message)")
            return nil
        }
        Drafts.prune(dir, olderThan: now.adding(-Drafts.keptSeconds))
        return path
    }

    /// `$XDG_STATE_HOME/tickets/drafts` (`~/.local/state/tickets/drafts`).
    var draftFolder: String { xdg("XDG_STATE_HOME", fallback: ".local/state") + "/tickets/drafts" }
}

/// The draft folder's one rule: what is older than 30 days goes.
enum Drafts {
    static let keptSeconds: Int64 = 30 * 86_400

    /// Removes this program's drafts (`draft-*.md`) last modified before `cutoff`; other
    /// files in the folder are not ours to remove.
    static func prune(_ dir: String, olderThan cutoff: Timestamp) {
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix("draft-"), name.hasSuffix(".md") else { continue }
            var st = stat()
            let path = dir + "/" + name
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int64(st.st_mtim.tv_sec) < cutoff.seconds else { continue }
            unlink(path)
        }
    }
}
