// The two hand-made rules of the search form, written once as data. Everything else
// (mappings, classes, categories) comes from the generated UnicodeData.swift. Ranges are
// mostly whole blocks (Unicode Blocks.txt), so a later Unicode version fills them without
// edits; only letters and numbers (perCharacter) and marks (droppedMarks) of a range are
// affected, as UnicodeTables checks the category, so unassigned code points and
// punctuation inside a range change nothing.

enum SearchRanges {
    /// Scripts written without spaces between words: each letter or number becomes a token
    /// of its own (with the marks that follow it), so a word inside a sentence can be found.
    static let perCharacter: [ClosedRange<UInt32>] = [
        0x0E00...0x0E7F,  // Thai
        0x0E80...0x0EFF,  // Lao
        0x1000...0x109F,  // Myanmar
        0x1100...0x11FF,  // Hangul Jamo
        0x1780...0x17FF,  // Khmer
        0x19E0...0x19FF,  // Khmer Symbols
        0x2E80...0x2EFF,  // CJK Radicals Supplement
        0x2F00...0x2FDF,  // Kangxi Radicals (NFKC maps them to unified ideographs anyway)
        0x3005...0x3007,  // 々 〆 〇: ideographic iteration and closing marks, number zero
        0x3021...0x3029,  // Hangzhou numerals
        0x3031...0x3035,  // kana repeat marks
        0x3038...0x303C,  // Hangzhou numerals, ideographic iteration marks
        0x3040...0x309F,  // Hiragana
        0x30A0...0x30FF,  // Katakana
        0x3100...0x312F,  // Bopomofo
        0x3130...0x318F,  // Hangul Compatibility Jamo
        0x31A0...0x31BF,  // Bopomofo Extended
        0x31F0...0x31FF,  // Katakana Phonetic Extensions
        0x3400...0x4DBF,  // CJK Unified Ideographs Extension A
        0x4E00...0x9FFF,  // CJK Unified Ideographs
        0xA960...0xA97F,  // Hangul Jamo Extended-A
        0xA9E0...0xA9FF,  // Myanmar Extended-B
        0xAA60...0xAA7F,  // Myanmar Extended-A
        0xAC00...0xD7AF,  // Hangul Syllables
        0xD7B0...0xD7FF,  // Hangul Jamo Extended-B
        0xF900...0xFAFF,  // CJK Compatibility Ideographs
        0xFF66...0xFF9F,  // half-width Katakana (NFKC widens them; kept for clarity)
        0xFFA0...0xFFDC,  // half-width Hangul (NFKC widens them too)
        0x1AFF0...0x1AFFF,  // Kana Extended-B
        0x1B000...0x1B16F,  // Kana Supplement, Kana Extended-A, Small Kana Extension
        0x20000...0x3FFFF,  // Supplementary and Tertiary Ideographic Planes: CJK extensions B-H, compatibility supplement
    ]

    /// Marks removed from the search form after decomposition, so `café`, `cafe` and
    /// `CAFÉ` are one word. The general-purpose diacritic blocks, plus the optional vowel
    /// points of Arabic and Hebrew (usually left out when typing; keeping them would make
    /// a vocalised query miss unvocalised text) and variation selectors (glyph choices:
    /// `❤️` is `❤`). Marks that are part of a letter in their script stay: Thai vowels and
    /// tones, Devanagari matras and viramas, Japanese dakuten U+3099/U+309A.
    static let droppedMarks: [ClosedRange<UInt32>] = [
        0x0300...0x036F,  // Combining Diacritical Marks
        0x0591...0x05BD,  // Hebrew cantillation and vowel points
        0x05BF...0x05BF,  // Hebrew rafe
        0x05C1...0x05C2,  // Hebrew shin and sin dots
        0x05C4...0x05C5,  // Hebrew upper and lower dots
        0x05C7...0x05C7,  // Hebrew qamats qatan
        0x064B...0x065F,  // Arabic harakat, shadda, sukun, hamza and madda marks (أ إ آ → ا, ؤ → و, ئ → ي)
        0x0670...0x0670,  // Arabic superscript alef
        0x1AB0...0x1AFF,  // Combining Diacritical Marks Extended
        0x1DC0...0x1DFF,  // Combining Diacritical Marks Supplement
        0x20D0...0x20FF,  // Combining Diacritical Marks for Symbols
        0xFE00...0xFE0F,  // Variation Selectors
        0xFE20...0xFE2F,  // Combining Half Marks
        0xE0100...0xE01EF,  // Variation Selectors Supplement
    ]

    /// Unicode White_Space (PropList.txt, unchanged since Unicode 6.3): what separates the
    /// words of a query.
    static func isWhitespace(_ s: UInt32) -> Bool {
        switch s {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
