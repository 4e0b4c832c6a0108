// Terminal cell widths (SPEC §6: East Asian wide characters count as two cells), so
// table columns line up with Chinese, Japanese, Korean and emoji text. Standard library
// only: Foundation costs start-up time and has no width API anyway.

enum CellWidth {
    /// Cells one scalar occupies on its own: 0 (combining or zero-width), 1 or 2.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }  // ASCII and Latin-1: the hot path, no lookups
        if inTable(v, zeroWidth) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        default: break
        }
        return inTable(v, wide) ? 2 : 1
    }

    /// Cells a string occupies, measured per grapheme cluster (what the terminal draws).
    static func of(_ s: String) -> Int {
        // All ASCII: one cell a byte (what the loop below adds up), without grapheme breaking.
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.count }
        var total = 0
        for character in s { total += of(character) }
        return total
    }

    /// A grapheme is as wide as its widest scalar: "e" + U+0301 is 1, an emoji ZWJ
    /// family or a Hangul L+V+T sequence is 2. Emoji presentation (U+FE0F) and flag
    /// pairs are drawn two cells wide even when their base scalar is narrow.
    static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        if character.isASCII { return scalars.count }  // "\r\n" is one grapheme, two bytes
        var width = 0
        var count = 0
        var emojiPresentation = false
        for scalar in scalars {
            width = max(width, of(scalar))
            if scalar.value == 0xFE0F { emojiPresentation = true }
            count += 1
        }
        if emojiPresentation { return 2 }
        if count >= 2, let first = scalars.first, (0x1F1E6...0x1F1FF).contains(first.value) {
            return 2
        }
        return width
    }

    /// `s` cut to at most `toCells` cells at a grapheme boundary, with "…" (one cell)
    /// appended when something was cut. A wide character that would straddle the limit
    /// is dropped whole rather than split.
    static func truncate(_ s: String, toCells limit: Int) -> String {
        if limit <= 0 { return "" }
        if of(s) <= limit { return s }
        var used = 0
        var end = s.startIndex
        for character in s {
            let w = of(character)
            if used + w > limit - 1 { break }  // keep one cell for the ellipsis
            used += w
            end = s.index(after: end)
        }
        // "Printer on…", never "Printer on …": a cut at a space drops the space.
        var kept = s[..<end]
        while let last = kept.last, last == " " || last == "\t" { kept = kept.dropLast() }
        return String(kept) + "…"
    }

    /// `s` preceded by spaces up to `toCells` cells (numbers in a column).
    static func padLeft(_ s: String, toCells width: Int) -> String {
        let missing = width - of(s)
        return missing > 0 ? String(repeating: " ", count: missing) + s : s
    }

    /// `s` followed by spaces up to `toCells` cells; unchanged if already that wide.
    static func pad(_ s: String, toCells width: Int) -> String {
        let missing = width - of(s)
        return missing > 0 ? s + String(repeating: " ", count: missing) : s
    }

    // MARK: - Tables

    private static func inTable(_ v: UInt32, _ table: [(UInt32, UInt32)]) -> Bool {
        var lo = 0
        var hi = table.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < table[mid].0 {
                hi = mid - 1
            } else if v > table[mid].1 {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Zero-width scalars that are not Mn/Me: zero-width space and joiners, bidi
    /// controls, word joiner and invisible operators, BOM, Hangul medial vowels and
    /// final consonants (they draw inside the preceding syllable), and tag characters.
    private static let zeroWidth: [(UInt32, UInt32)] = [
        (0x1160, 0x11FF), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064),
        (0x2066, 0x206F), (0xD7B0, 0xD7FF), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
        (0xE0000, 0xE007F), (0xE0100, 0xE01EF),
    ]

    /// East Asian Wide (W) and Fullwidth (F) ranges from Unicode's EastAsianWidth.txt,
    /// adjacent ranges merged across unassigned gaps (new ideographs and emoji arrive
    /// wide), plus the whole emoji blocks 1F300-1F64F and 1F900-1F9FF. Sorted.
    private static let wide: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC),
        (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE), (0x2614, 0x2615),
        (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
        (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE),
        (0x26D4, 0x26D4), (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5),
        (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705), (0x270A, 0x270B),
        (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
        (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
        (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x2E80, 0x303E),
        (0x3041, 0x3247), (0x3250, 0x4DBF), (0x4E00, 0xA4CF), (0xA960, 0xA97C),
        (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6B),
        (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x16FE0, 0x18DFF), (0x1AFF0, 0x1B2FB),
        (0x1F004, 0x1F004), (0x1F0CF, 0x1F0CF), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A),
        (0x1F200, 0x1F64F), (0x1F680, 0x1F6C5), (0x1F6CC, 0x1F6CC), (0x1F6D0, 0x1F6D2),
        (0x1F6D5, 0x1F6DF), (0x1F6EB, 0x1F6EC), (0x1F6F4, 0x1F6FC), (0x1F7E0, 0x1F7F0),
        (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF), (0x20000, 0x3FFFD),
    ]
}
