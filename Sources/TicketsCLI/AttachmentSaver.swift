import Glibc
import TicketsCore

/// `show ID --save-attachments DIR`. Stored names are treated as hostile: each becomes one
/// safe path component and is created with `openat` on DIR's descriptor with
/// O_CREAT|O_EXCL|O_NOFOLLOW, so it is never written outside DIR, never through a
/// symlink and never over an existing file (a numbered name is taken instead). Each file
/// is mode 0600 and written only after its bytes matched their SHA-256.
enum AttachmentSaver {
    static func save(_ detail: TicketDetail, into dir: Argument, store: any TicketStore, inv: Invocation) throws(TicketsError) {
        let dirFD = try openDirectory(dir)
        defer { close(dirFD) }
        let attachments = detail.messages.flatMap(\.attachments)
        if attachments.isEmpty { inv.note("ticket #\(detail.ticket.id) has no attachments to save") }
        let shownDir = dir.text.hasSuffix("/") ? String(dir.text.dropLast()) : dir.text
        // One bad attachment does not stop the others; the first failure decides the exit code.
        var failures = [TicketsError]()
        for a in attachments {
            do throws(TicketsError) {
                let file = try saveOne(a, dirFD: dirFD, shownDir: shownDir, store: store)
                inv.note("saved \(a.name) as \(shownDir)/\(file)")
            } catch {
                failures.append(error)
            }
        }
        guard let first = failures.first else { return }
        if failures.count == 1 { throw first }
        for f in failures { inv.warn(f.message) }
        throw TicketsError(first.kind, "\(failures.count) of \(attachments.count) attachments were not saved (see above); the others are in \(shownDir)")
    }

    static func saveOne(_ a: Attachment, dirFD: Int32, shownDir: String, store: any TicketStore) throws(TicketsError) -> String {
        let bytes = try store.attachmentData(a.id)
        guard SHA256.hex(bytes) == a.sha256 else {
            throw .invalid("attachment \(a.id) (\(a.name)) does not match its SHA-256, so it was not saved; the database may be damaged: check it with sqlite3's PRAGMA integrity_check or restore a backup")
        }
        let base = AttachmentPolicy.safeFileName(a.name, id: a.id)
        for n in 0...999 {
            let name = n == 0 ? base : AttachmentPolicy.numbered(base, n)
            let fd = openat(dirFD, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                // EEXIST covers a planted symlink too: O_EXCL never follows one.
                if errno == EEXIST { continue }
                throw .cannotCreate("cannot create \(shownDir)/\(name): \(String(cString: strerror(errno)))")
            }
            defer { close(fd) }
            _ = fchmod(fd, 0o600)
            do throws(TicketsError) {
                try FileSystem.writeAll(fd: fd, bytes, name: "\(shownDir)/\(name)")
            } catch {
                _ = unlinkat(dirFD, name, 0)
                throw error
            }
            return name
        }
        throw .cannotCreate("cannot save \(a.name): \(base) and 999 numbered names like it already exist in \(shownDir)")
    }

    /// `mkdir -p` (new folders 0700) on the raw path, then the folder's descriptor. DIR
    /// itself may be a symlink to a folder: the user named it; only the files inside are
    /// never written through one.
    static func openDirectory(_ dir: Argument) throws(TicketsError) -> Int32 {
        let raw = dir.raw
        for end in raw.indices where (raw[end] == UInt8(ascii: "/") && end > 0) || end == raw.count - 1 {
            let prefix = Argument(raw: Array(raw[...(raw[end] == UInt8(ascii: "/") ? end - 1 : end)]))
            let made = prefix.cPath.withUnsafeBufferPointer { mkdir($0.baseAddress!, 0o700) }
            if made == 0 {
                _ = prefix.cPath.withUnsafeBufferPointer { chmod($0.baseAddress!, 0o700) }
            } else if errno != EEXIST {
                throw .cannotCreate("cannot create the folder \(prefix.text): \(String(cString: strerror(errno)))")
            }
        }
        let fd = dir.cPath.withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else {
            let e = errno
            let why = e == ENOTDIR ? "it exists and is not a folder" : String(cString: strerror(e))
            throw .cannotCreate("cannot save attachments into \(dir.text): \(why)")
        }
        return fd
    }
}
