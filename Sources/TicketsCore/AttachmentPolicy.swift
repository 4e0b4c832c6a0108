/// The pure rules for attachments (SPEC §8): which names, extensions, sizes, counts and
/// contents are accepted on the way in, and how a stored name becomes a safe file name on
/// the way out. The CLI does the file I/O and asks these rules; nothing here touches disk.
public struct AttachmentPolicy: Equatable, Sendable {
    public var extensions: [String]
    public var maxSize: Int
    public var maxCount: Int

    public init(extensions: [String], maxSize: Int, maxCount: Int) {
        self.extensions = extensions
        self.maxSize = maxSize
        self.maxCount = maxCount
    }

    public init(_ config: Configuration) {
        self.init(extensions: config.attachmentExtensions, maxSize: config.attachmentMaxSize,
                  maxCount: config.attachmentMaxCount)
    }

    // MARK: - On the way in

    /// The name to store: the last component of the path as given (trailing slashes
    /// ignored), and whether invalid UTF-8 in it had to be replaced with U+FFFD.
    public static func storedName(fromPath raw: [UInt8]) throws(TicketsError) -> (name: String, repaired: Bool) {
        var bytes = raw[...]
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")) { bytes = bytes[(slash + 1)...] }
        let name = String(decoding: bytes, as: UTF8.self)
        let shown = String(decoding: raw, as: UTF8.self)
        if name.isEmpty || name == "." || name == ".." || name == "/" {
            throw .invalid("cannot attach \(shown): it names a folder, not a file")
        }
        // Both separators: a name with `\` would be a path on Windows and to any tool
        // that treats it so (SPEC §8: no path separators).
        if name.unicodeScalars.contains("\\") {
            throw .invalid("cannot attach \(shown): its name contains a backslash, a path separator; rename the file first")
        }
        if let bad = name.unicodeScalars.first(where: isUnsafeInName) {
            throw .invalid("cannot attach \(shown): its name contains the control character U+\(hex(bad.value)); rename the file first")
        }
        return (name, !name.utf8.elementsEqual(bytes))
    }

    /// Checks that need no bytes: how many files, and each name's extension.
    public func checkNames(_ names: [String]) throws(TicketsError) {
        if names.count > maxCount {
            throw .invalid(maxCount == 0
                ? "attachments are turned off (attachment_max_count = 0 in the config); send the message without -a"
                : "\(names.count) files given with -a; at most \(maxCount) may be attached to one message")
        }
        for name in names {
            let ext = ContentSniffer.fileExtension(name)
            guard extensions.contains(ext) else {
                let what = ext.isEmpty ? "has no extension" : "has the extension .\(ext), which is not allowed"
                throw .invalid("cannot attach \(name): it \(what); allowed: \(extensions.joined(separator: " "))")
            }
        }
    }

    /// Checks on the bytes read; returns what the store will insert.
    public func accept(name: String, bytes: [UInt8]) throws(TicketsError) -> NewAttachment {
        if bytes.count > maxSize {
            throw .invalid("cannot attach \(name): it is larger than \(Self.describe(size: maxSize)), the limit for one attachment (attachment_max_size)")
        }
        if let why = ContentSniffer.mismatch(bytes: bytes, ext: ContentSniffer.fileExtension(name)) {
            throw .invalid("cannot attach \(name): \(why), so it does not match its extension")
        }
        return NewAttachment(name: name, bytes: bytes, sha256: SHA256.hex(bytes),
                             contentType: ContentSniffer.contentType(of: bytes, fileName: name))
    }

    /// What `fstat` said about a file, before and after reading it.
    public struct FileStamp: Equatable, Sendable {
        public var size: Int64
        public var modifiedSeconds: Int64
        public var modifiedNanoseconds: Int64
        public init(size: Int64, modifiedSeconds: Int64, modifiedNanoseconds: Int64) {
            self.size = size
            self.modifiedSeconds = modifiedSeconds
            self.modifiedNanoseconds = modifiedNanoseconds
        }
    }

    /// A file changed while it was read when its size or time moved, or when the bytes
    /// read are not the size it claimed (a writer appending within one timestamp tick).
    /// Past the size limit the count is not compared: the read stopped early on purpose.
    public func changedWhileRead(before: FileStamp, after: FileStamp, bytesRead: Int) -> Bool {
        before != after || (bytesRead <= maxSize && Int64(bytesRead) != after.size)
    }

    // MARK: - On the way out

    /// A stored name (treated as hostile) made into one safe path component: separators,
    /// NUL and controls become `_`, leading dots and spaces go (no hidden files, never
    /// `.` or `..`), and it is cut to fit NAME_MAX with room for a ` (n)` suffix, keeping
    /// a short extension. Empty results fall back to `attachment-ID`.
    public static func safeFileName(_ stored: String, id: Int64) -> String {
        var scalars = String.UnicodeScalarView()
        for c in stored.unicodeScalars {
            scalars.append(c == "/" || c == "\\" || isUnsafeInName(c) ? "_" : c)
        }
        var name = Substring(String(scalars))
        while let first = name.first, first == "." || first == " " { name = name.dropFirst() }
        while let last = name.last, last == " " { name = name.dropLast() }
        if name.isEmpty { return "attachment-\(id)" }
        let budget = 240
        guard name.utf8.count > budget else { return String(name) }
        var (stem, ext) = split(name)
        if ext.utf8.count > 16 { (stem, ext) = (name, "") }
        while stem.utf8.count + ext.utf8.count > budget { stem = stem.dropLast() }
        return String(stem + ext)
    }

    /// The n-th alternative when `name` exists: `shot (1).png`, `README (2)`.
    public static func numbered(_ name: String, _ n: Int) -> String {
        let (stem, ext) = split(Substring(name))
        return "\(stem) (\(n))\(ext)"
    }

    /// `shot.png` -> (`shot`, `.png`); a name without a dot past its first character has no extension.
    private static func split(_ name: Substring) -> (stem: Substring, ext: Substring) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (name[..<dot], name[dot...])
    }

    // MARK: - Helpers

    /// C0, DEL, C1 and the bidi controls: they could rewrite a terminal line or make a
    /// name show an extension it does not have (`invoice<U+202E>gnp.exe`).
    static func isUnsafeInName(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `8 MiB`, `512 KiB` or `1000 bytes`, as the limit was most likely written.
    public static func describe(size: Int) -> String {
        if size >= 1 << 20 && size % (1 << 20) == 0 { return "\(size >> 20) MiB" }
        if size >= 1 << 10 && size % (1 << 10) == 0 { return "\(size >> 10) KiB" }
        return size == 1 ? "1 byte" : "\(size) bytes"
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).reversed().map { digits[Int((v >> (UInt32($0) * 4)) & 0xF)] })
    }
}
