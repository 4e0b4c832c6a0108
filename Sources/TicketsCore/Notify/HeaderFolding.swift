/// One header field, folded as RFC 5322 §2.2.3 describes: words are joined by one
/// space, and a word that would not fit starts a continuation line instead, the space
/// becoming that line's leading white space, so unfolding gives the same text back.
/// Lines end in LF alone (see `MailMessage` for why).
struct HeaderFolding {
    /// RFC 2047 §2 holds a line that carries encoded-words to 76 characters; every line
    /// is held to it, which meets RFC 5322's 78 as well. A single word longer than that
    /// (a long address or Message-ID, which cannot be split) gets a line of its own:
    /// RFC 5322 §2.1.1 allows up to 998.
    static let limit = 76

    private var bytes: [UInt8]
    private var column: Int
    private var wordsOnLine = 0

    init(name: String) {
        bytes = Array(name.utf8) + [0x3A]
        column = bytes.count
    }

    /// Columns left for a word written after a space on the current line.
    var room: Int { Self.limit - column - 1 }

    /// Starts a continuation line, unless the current one holds no word yet (a fold
    /// right after the colon would leave an empty first line).
    mutating func fold() {
        guard wordsOnLine > 0 else { return }
        bytes.append(0x0A)
        column = 0
        wordsOnLine = 0
    }

    /// Appends a space and `word` (printable ASCII that must stay on one line: an
    /// atom, a quoted-string, an encoded-word, an address), folding first when it does
    /// not fit.
    mutating func add(_ word: String) {
        if word.utf8.count > room { fold() }
        bytes.append(0x20)
        bytes.append(contentsOf: word.utf8)
        column += 1 + word.utf8.count
        wordsOnLine += 1
    }

    /// The field with its final line end.
    var field: [UInt8] { bytes + [0x0A] }
}
