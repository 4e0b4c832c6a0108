import Testing
@testable import TicketsCLI

@Suite struct CellWidthTests {
    @Test func asciiIsOneCellEach() {
        #expect(CellWidth.of("") == 0)
        #expect(CellWidth.of("hello, world") == 12)
        #expect(CellWidth.of(Unicode.Scalar("A")) == 1)
    }

    @Test func cjkIsTwoCellsEach() {
        #expect(CellWidth.of("中文") == 4)
        #expect(CellWidth.of("打印机a") == 7)
        #expect(CellWidth.of("カタカナ") == 8)
        #expect(CellWidth.of("ひらがな") == 8)
        #expect(CellWidth.of("、。") == 4)            // CJK punctuation
        #expect(CellWidth.of("ＡＢ") == 4)            // fullwidth forms
        #expect(CellWidth.of(Unicode.Scalar(0x20000)!) == 2)  // CJK extension B
    }

    @Test func hangul() {
        #expect(CellWidth.of("한국어") == 6)
        // Conjoining jamo L+V+T draw as one syllable.
        #expect(CellWidth.of("\u{1100}\u{1161}\u{11A8}") == 2)
    }

    @Test func emoji() {
        #expect(CellWidth.of("😀") == 2)
        #expect(CellWidth.of("🤖") == 2)
        #expect(CellWidth.of("👍🏽") == 2)
        #expect(CellWidth.of("👨‍👩‍👧") == 2)   // ZWJ sequence is one glyph
        #expect(CellWidth.of("🇯🇵") == 2)      // flag pair
        #expect(CellWidth.of("❤️") == 2)       // emoji presentation selector
    }

    @Test func zeroWidth() {
        #expect(CellWidth.of("e\u{301}") == 1)   // combining acute
        #expect(CellWidth.of("cafe\u{301}") == 4)
        #expect(CellWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(CellWidth.of(Unicode.Scalar(0x20DD)!) == 0)  // enclosing circle (Me)
        #expect(CellWidth.of(Unicode.Scalar(0x200B)!) == 0)
        #expect(CellWidth.of(Unicode.Scalar(0xFE0F)!) == 0)
        #expect(CellWidth.of("a\u{200B}b") == 2)
    }

    @Test func narrowNonAscii() {
        #expect(CellWidth.of("café") == 4)
        #expect(CellWidth.of("Привет") == 6)
        #expect(CellWidth.of("…") == 1)
    }

    @Test func truncateLeavesShortStringsAlone() {
        #expect(CellWidth.truncate("abc", toCells: 3) == "abc")
        #expect(CellWidth.truncate("中文", toCells: 4) == "中文")
        #expect(CellWidth.truncate("abc", toCells: 0) == "")
    }

    @Test func truncateAddsEllipsis() {
        #expect(CellWidth.truncate("abcdef", toCells: 4) == "abc…")
        #expect(CellWidth.truncate("中文字", toCells: 5) == "中文…")
        // 4 cells: "中" + "…" is 3; adding "文" would need 5, so it is dropped whole.
        #expect(CellWidth.truncate("中文字", toCells: 4) == "中…")
        #expect(CellWidth.truncate("cafe\u{301} au lait", toCells: 5) == "cafe\u{301}…")
    }

    @Test(arguments: ["中文abc字", "한국어 텍스트", "a😀b👨‍👩‍👧c", "e\u{301}e\u{301}e\u{301}", "plain ascii text"])
    func truncateNeverExceedsWidthOrSplitsGraphemes(text: String) {
        for limit in 0...(CellWidth.of(text) + 1) {
            let cut = CellWidth.truncate(text, toCells: limit)
            #expect(CellWidth.of(cut) <= limit, "limit \(limit): \(cut)")
            // Whatever was kept is a whole-grapheme prefix of the original.
            let kept = cut.hasSuffix("…") ? String(cut.dropLast()) : cut
            #expect(text.hasPrefix(kept))
            #expect(Array(text).starts(with: Array(kept)))
            if limit >= 1 && CellWidth.of(text) > limit {
                #expect(cut.hasSuffix("…"))
            }
        }
    }

    @Test func padToCells() {
        #expect(CellWidth.pad("ab", toCells: 5) == "ab   ")
        #expect(CellWidth.pad("中文", toCells: 6) == "中文  ")
        #expect(CellWidth.of(CellWidth.pad("中文", toCells: 6)) == 6)
        #expect(CellWidth.pad("toolong", toCells: 3) == "toolong")
    }
}
