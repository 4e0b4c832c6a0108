// Full-text search compares tokens, and the text indexed and the query typed are turned
// into tokens by the same function, so whatever the rule decides, both sides agree:
// `Café` finds `CAFE`, `打印机` finds `打印机坏了`, an NFD query finds NFC text.

/// One word of a search query, normalised like indexed text. The stores render it in
/// their own query language; punctuation typed by the user is never syntax.
public struct SearchTerm: Equatable, Sendable {
    /// The word's tokens, in order, as `SearchText.indexForm` writes them. Several tokens
    /// (`e-mail`, a run of Chinese characters) match only as a phrase: consecutive tokens
    /// of the indexed text.
    public var tokens: [String]
    /// The word ended in `*`: its last token matches any token that starts with it.
    public var prefix: Bool

    public init(tokens: [String], prefix: Bool) {
        self.tokens = tokens
        self.prefix = prefix
    }
}

/// The search form of text, with the tables of Unicode `UnicodeData.version`.
public enum SearchText {
    /// The text as the full-text index stores it: tokens separated by single ASCII spaces,
    /// nothing else (no leading or trailing space; empty if there is no token).
    ///
    /// 1. The email identity rule: NFKC and full case folding (`EmailIdentity.key`), so
    ///    fullwidth `Ｐｒｉｎｔｅｒ` is `printer` and `Straße` is `strasse`.
    /// 2. Diacritics removed: after decomposition, the marks of `SearchRanges.droppedMarks`
    ///    go (the combining diacritic blocks U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF,
    ///    U+20D0–20FF, U+FE20–FE2F; Arabic harakat and the hamza and madda marks; Hebrew
    ///    points; variation selectors), then the rest is recomposed: `Café` is `cafe`,
    ///    `Việt` is `viet`, `ё` is `е`, `й` is `и`, `أ`/`إ`/`آ` are `ا`; `が` stays `が`.
    ///    Letters that do not decompose stay themselves: `ø`, `ł`, `đ`, `ı`.
    /// 3. Tokens: a token is a run of letters and numbers (general categories L*, N*) with
    ///    the marks (M*) that follow them; everything else separates tokens (spaces,
    ///    punctuation including `_` and `-`, symbols, emoji, controls). A mark with no
    ///    letter or number before it is dropped.
    /// 4. In scripts written without spaces (`SearchRanges.perCharacter`: Han, Hiragana,
    ///    Katakana, Hangul, Bopomofo, Thai, Lao, Khmer, Myanmar) every letter or number is
    ///    a token of its own, with its marks: `部署api失败` is `部 署 api 失 败`, `ที่` is one
    ///    token. (NFKC splits Thai `ำ` and Lao `ຳ` into a mark and a vowel letter.)
    ///
    /// All-ASCII text (most messages) is lowercased and split on everything but letters
    /// and digits in one loop over its bytes, without the Unicode tables.
    public static func indexForm(_ text: String) -> String {
        var text = text
        return text.withUTF8 { asciiTokens($0) ?? unicodeTokens($0) }
    }

    /// The words of a query, split on Unicode white space, each turned into the tokens of
    /// `indexForm`. A word that ends in `*` (or fullwidth `＊`) is a prefix: that one `*`
    /// is removed before normalising; a `*` anywhere else is punctuation. Words without a
    /// token (`-`, `"`,
    /// `*`, emoji) are dropped; quotes, parentheses, `-`, `:`, `AND`, `OR` and `NOT` are
    /// plain text (`AND` is the token `and`).
    public static func query(_ text: String) -> [SearchTerm] {
        var terms: [SearchTerm] = []
        var word = String.UnicodeScalarView()
        func endWord() {
            defer { word = String.UnicodeScalarView() }
            guard let last = word.last else { return }
            let prefix = last == "*" || last == "\u{FF0A}"
            if prefix { word.removeLast() }
            let form = indexForm(String(word))
            if !form.isEmpty {
                terms.append(SearchTerm(tokens: form.split(separator: " ").map(String.init), prefix: prefix))
            }
        }
        for scalar in text.unicodeScalars {
            if SearchRanges.isWhitespace(scalar.value) { endWord() } else { word.append(scalar) }
        }
        endWord()
        return terms
    }

    /// The ASCII rule in one loop, or nil at the first byte that is not ASCII.
    static func asciiTokens(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        var isASCII = true
        // Every token byte comes from one input byte and every space from at least one
        // separator, so the output is never longer than the input.
        let tokens = String(unsafeUninitializedCapacity: utf8.count) { out in
            var o = 0
            var inToken = false
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x80 else { isASCII = false; return 0 }
                let lower = b | 0x20
                if lower &- 0x61 < 26 || b &- 0x30 < 10 {
                    if !inToken && o > 0 {
                        out[o] = 0x20
                        o += 1
                    }
                    out[o] = b &- 0x30 < 10 ? b : lower
                    o += 1
                    inToken = true
                } else {
                    inToken = false
                }
            }
            return o
        }
        return isASCII ? tokens : nil
    }

    static func unicodeTokens(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        let tables = UnicodeTables.shared
        var buffer: [UInt32] = []
        buffer.reserveCapacity(utf8.count + 8)
        tables.decompose(utf8, into: &buffer)
        tables.compose(&buffer, droppingMarks: true)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + utf8.count / 2)
        var inToken = false
        var perCharacterToken = false
        for scalar in buffer {
            let info = tables.info(scalar)
            switch info & UnicodeTables.classMask {
            case UnicodeTables.letterClass:
                let perCharacter = info & UnicodeTables.perCharacter != 0
                if perCharacter || perCharacterToken || !inToken {
                    if !out.isEmpty { out.append(0x20) }
                    inToken = true
                    perCharacterToken = perCharacter
                }
                appendUTF8(scalar, to: &out)
            case UnicodeTables.markClass:
                if inToken { appendUTF8(scalar, to: &out) }
            default:
                inToken = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
