import Testing
@testable import TicketsCore

private let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
private let jpegBytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46]
private let gif87Bytes: [UInt8] = Array("GIF87a".utf8) + [1, 0, 1, 0]
private let gif89Bytes: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0]
private let bmpBytes: [UInt8] = Array("BM".utf8) + [0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]
private let pdfBytes: [UInt8] = Array("%PDF-1.7\n%\u{E2}\u{E3}".utf8)
private let zipBytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0]
private let emptyZipBytes: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
private let rarBytes: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00]
private let oleBytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]
private let elfBytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0]
private let mzBytes: [UInt8] = Array("MZ".utf8) + [0x90, 0, 3, 0, 0, 0]
private let textBytes: [UInt8] = Array("Printer on floor 3 is jammed. 打印机卡纸了。\n".utf8)

@Suite struct ContentSnifferTests {
    @Test(arguments: [
        (pngBytes, "shot.png", "image/png"),
        (jpegBytes, "photo.JPG", "image/jpeg"),
        (gif87Bytes, "a.gif", "image/gif"),
        (gif89Bytes, "a.gif", "image/gif"),
        (bmpBytes, "a.bmp", "image/bmp"),
        (pdfBytes, "invoice.pdf", "application/pdf"),
        (zipBytes, "logs.zip", "application/zip"),
        (emptyZipBytes, "empty.zip", "application/zip"),
        (zipBytes, "report.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (zipBytes, "Budget.XLSX",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (rarBytes, "a.rar", "application/vnd.rar"),
        (oleBytes, "old.doc", "application/msword"),
        (oleBytes, "old.xls", "application/vnd.ms-excel"),
        (textBytes, "notes.txt", "text/plain; charset=utf-8"),
        (textBytes, "报告.log", "text/plain; charset=utf-8"),
        (Array("BMW service due\n".utf8), "cars.txt", "text/plain; charset=utf-8"),
        (elfBytes, "tool", "application/octet-stream"),
        ([0xC3, 0x28, 0x41], "bad.txt", "application/octet-stream"),  // invalid UTF-8
        (Array("a\u{0}b".utf8), "nul.txt", "application/octet-stream"),
    ] as [([UInt8], String, String)])
    func sniffsContentType(bytes: [UInt8], name: String, expected: String) {
        #expect(ContentSniffer.contentType(of: bytes, fileName: name) == expected)
    }

    @Test(arguments: [
        (pngBytes, "png"), (jpegBytes, "jpg"), (jpegBytes, "JPEG"), (gif87Bytes, "gif"),
        (gif89Bytes, "gif"), (bmpBytes, "bmp"), (pdfBytes, "pdf"), (zipBytes, "zip"),
        (emptyZipBytes, "zip"), (zipBytes, "docx"), (zipBytes, "xlsx"), (rarBytes, "rar"),
        (oleBytes, "doc"), (oleBytes, "xls"), (textBytes, "txt"), (textBytes, "log"),
        ([], "txt"), ([], "log"),
        (elfBytes, "exe2"), ([], "md"),  // extensions without a rule are left to config
    ] as [([UInt8], String)])
    func acceptsMatchingContent(bytes: [UInt8], ext: String) {
        #expect(ContentSniffer.mismatch(bytes: bytes, ext: ext) == nil)
    }

    @Test(arguments: [
        (textBytes, "png"),      // fake PNG: text renamed
        (jpegBytes, "png"),
        (pngBytes, "jpg"),
        (pngBytes, "gif"),
        (textBytes, "bmp"),
        (textBytes, "pdf"),
        (pdfBytes, "zip"),
        (oleBytes, "docx"),      // old Word file renamed to the new extension
        (zipBytes, "doc"),
        (textBytes, "xls"),
        (zipBytes, "rar"),
        (elfBytes, "png"), (mzBytes, "png"),
        (elfBytes, "txt"), (mzBytes, "txt"), (elfBytes, "log"), (mzBytes, "LOG"),
        (Array("plain\u{0}text".utf8), "txt"),
    ] as [([UInt8], String)])
    func rejectsMismatchedContent(bytes: [UInt8], ext: String) {
        let reason = ContentSniffer.mismatch(bytes: bytes, ext: ext)
        #expect(reason != nil)
        #expect(reason?.isEmpty == false)
    }

    @Test(arguments: ["png", "jpg", "jpeg", "gif", "bmp", "pdf", "zip", "docx", "xlsx",
                      "doc", "xls", "rar"])
    func zeroByteFileIsOnlyTextOrLog(ext: String) {
        #expect(ContentSniffer.mismatch(bytes: [], ext: ext) != nil)
    }

    @Test func reasonNamesTheClaimedType() {
        #expect(ContentSniffer.mismatch(bytes: textBytes, ext: "png") == "content is not a PNG image")
    }

    @Test func nulAfterFirst8KiBIsTolerated() {
        // Only the head is scanned, so a large log with a stray NUL late on passes.
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 9000)
        bytes[8500] = 0
        #expect(ContentSniffer.mismatch(bytes: bytes, ext: "txt") == nil)
        bytes[100] = 0
        #expect(ContentSniffer.mismatch(bytes: bytes, ext: "txt") != nil)
    }
}
