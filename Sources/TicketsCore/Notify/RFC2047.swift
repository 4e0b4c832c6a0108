/// RFC 2047 encoded-words, for header text that cannot go as it is: anything not
/// printable ASCII, `=?` lookalikes, words too long to fold.
///
/// Always the B encoding: its length depends only on the byte count, so a word can be
/// sized exactly to the room left on a line, and it needs none of the Q encoding's
/// special cases inside a display name (§5 (3)).
enum RFC2047 {
    private static let open = "=?utf-8?b?"
    private static let close = "?="
    /// §2: an encoded-word is at most 75 characters; 75 - 12 leaves 63 for base64, 60
    /// in whole quanta, which carry 45 bytes.
    private static let maxBytes = 45

    /// Appends `text` to `header` as encoded-words separated by folding white space,
    /// each as long as its line allows. A word holds whole Unicode scalars (§5: never
    /// part of a character, so a UTF-8 sequence is never split) and decodes on its own.
    /// The white space between two encoded-words is not part of the text (§6.2), so the
    /// text's own spaces travel inside the words.
    ///
    /// Text that fits one encoded-word is kept in one, on a new line if need be: some
    /// readers do not follow §6.2 inside a display name and show a space between two
    /// encoded-words (Python's email package), so most names are never split.
    static func append(_ text: String, to header: inout HeaderFolding) {
        let scalars = text.unicodeScalars.map { Array(String($0).utf8) }
        if text.utf8.count <= maxBytes && capacity(header.room) < text.utf8.count { header.fold() }
        var i = 0
        while i < scalars.count {
            if capacity(header.room) < scalars[i].count { header.fold() }
            let cap = capacity(header.room)
            var chunk = [UInt8]()
            // At least one character, so a line too short for any (which cannot
            // happen after a fold) still makes progress.
            while i < scalars.count, chunk.isEmpty || chunk.count + scalars[i].count <= cap {
                chunk += scalars[i]
                i += 1
            }
            header.add(open + Base64.encodeString(chunk) + close)
        }
    }

    /// Bytes an encoded-word can carry in `room` columns.
    private static func capacity(_ room: Int) -> Int {
        min(maxBytes, max(0, room - open.utf8.count - close.utf8.count) / 4 * 3)
    }
}
