// Attachment content checks from magic bytes, not from the name: the name is what the
// user claims, the bytes are what a recipient's viewer will actually open (SPEC §8).

public enum ContentSniffer {
    private static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF]
    private static let gif87: [UInt8] = Array("GIF87a".utf8)
    private static let gif89: [UInt8] = Array("GIF89a".utf8)
    private static let bmp: [UInt8] = Array("BM".utf8)
    private static let pdf: [UInt8] = Array("%PDF-".utf8)
    private static let zipLocal: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    private static let zipEmpty: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    private static let rar: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]
    private static let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    private static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
    private static let mz: [UInt8] = Array("MZ".utf8)

    /// Only this much is scanned for NUL bytes: enough to tell text from binary without
    /// reading an 8 MiB attachment twice.
    private static let textProbeLength = 8192

    /// The MIME type to store for an attachment. The file name only chooses between
    /// formats that share a container (ZIP for docx/xlsx, OLE2 for doc/xls).
    public static func contentType(of bytes: [UInt8], fileName: String) -> String {
        let ext = fileExtension(fileName)
        if has(bytes, png) { return "image/png" }
        if has(bytes, jpeg) { return "image/jpeg" }
        if has(bytes, gif87) || has(bytes, gif89) { return "image/gif" }
        if has(bytes, pdf) { return "application/pdf" }
        if isZip(bytes) {
            switch ext {
            case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            default: return "application/zip"
            }
        }
        if has(bytes, rar) { return "application/vnd.rar" }
        if has(bytes, ole2) {
            switch ext {
            case "doc": return "application/msword"
            case "xls": return "application/vnd.ms-excel"
            default: return "application/octet-stream"
            }
        }
        // "BM" is only two bytes and can start plain text ("BMW ..."), so text is tried
        // first: a real BMP header always holds NUL bytes, so it never passes as text.
        if isText(bytes) { return "text/plain; charset=utf-8" }
        if has(bytes, bmp) { return "image/bmp" }
        return "application/octet-stream"
    }

    /// Why the content does not fit the extension, or nil when it does (or when the
    /// extension is one we have no rule for: config may allow extra extensions).
    public static func mismatch(bytes: [UInt8], ext: String) -> String? {
        let ext = ext.lowercased()
        if bytes.isEmpty {
            switch ext {
            case "txt", "log": return nil
            case "png", "jpg", "jpeg", "gif", "bmp", "pdf", "zip", "docx", "xlsx",
                 "doc", "xls", "rar":
                return "file is empty"
            default: return nil
            }
        }
        switch ext {
        case "png":
            return has(bytes, png) ? nil : "content is not a PNG image"
        case "jpg", "jpeg":
            return has(bytes, jpeg) ? nil : "content is not a JPEG image"
        case "gif":
            return has(bytes, gif87) || has(bytes, gif89) ? nil : "content is not a GIF image"
        case "bmp":
            return has(bytes, bmp) ? nil : "content is not a BMP image"
        case "pdf":
            return has(bytes, pdf) ? nil : "content is not a PDF document"
        case "zip":
            return isZip(bytes) ? nil : "content is not a ZIP archive"
        case "docx":
            return isZip(bytes) ? nil : "content is not a Word (.docx) document"
        case "xlsx":
            return isZip(bytes) ? nil : "content is not an Excel (.xlsx) workbook"
        case "doc":
            return has(bytes, ole2) ? nil : "content is not a Word (.doc) document"
        case "xls":
            return has(bytes, ole2) ? nil : "content is not an Excel (.xls) workbook"
        case "rar":
            return has(bytes, rar) ? nil : "content is not a RAR archive"
        case "txt", "log":
            if has(bytes, elf) { return "content is an ELF executable, not text" }
            if has(bytes, mz) { return "content is a Windows executable, not text" }
            if containsNUL(bytes, limit: textProbeLength) { return "content is binary, not text" }
            return nil
        default:
            return nil
        }
    }

    // MARK: - Helpers

    /// Lowercased text after the last dot of the last path component, or "".
    static func fileExtension(_ fileName: String) -> String {
        let utf8 = Array(fileName.utf8)
        guard let dot = utf8.lastIndex(of: UInt8(ascii: ".")),
              !utf8[dot...].contains(UInt8(ascii: "/")) else { return "" }
        return String(decoding: utf8[(dot + 1)...], as: UTF8.self).lowercased()
    }

    private static func has(_ bytes: [UInt8], _ magic: [UInt8]) -> Bool {
        bytes.count >= magic.count && bytes[0..<magic.count].elementsEqual(magic)
    }

    private static func isZip(_ bytes: [UInt8]) -> Bool {
        has(bytes, zipLocal) || has(bytes, zipEmpty)
    }

    private static func containsNUL(_ bytes: [UInt8], limit: Int) -> Bool {
        bytes.prefix(limit).contains(0)
    }

    /// Whole-buffer UTF-8 validation (the stdlib's validator, no copy kept) plus no NUL.
    private static func isText(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) { return false }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
