import Foundation
import Testing
@testable import TicketsCore

@Suite struct SearchTextTests {
    static let indexForms: [(String, String)] = [
        // ASCII
        ("Printer jammed!", "printer jammed"),
        ("  Hello,\tWORLD \n", "hello world"),
        ("e-mail snake_case v2.1", "e mail snake case v2 1"),
        ("ABC123def", "abc123def"),
        ("", ""),
        ("!!! ---", ""),
        // Chinese: one token per character, Latin runs stay whole
        ("部署api失败", "部 署 api 失 败"),
        ("打印机坏了", "打 印 机 坏 了"),
        ("无法连接网络。", "无 法 连 接 网 络"),
        ("服务器（生产）宕机，请尽快处理！", "服 务 器 生 产 宕 机 请 尽 快 处 理"),
        ("印表機壞了", "印 表 機 壞 了"),
        ("\u{2F00}\u{F900}", "一 豈"),  // Kangxi radical and compatibility ideograph: NFKC to unified ideographs
        ("\u{20BB7}野家", "\u{20BB7} 野 家"),  // Extension B
        // Japanese: kanji, hiragana, katakana, half-width katakana
        ("プリンターが壊れました", "プ リ ン タ ー が 壊 れ ま し た"),
        ("\u{304B}\u{3099}", "\u{304C}"),  // か + combining dakuten composes to が
        ("ﾌﾟﾘﾝﾀｰ ｶﾞ", "プ リ ン タ ー ガ"),
        ("Error 404: ページが見つかりません", "error 404 ペ ー ジ が 見 つ か り ま せ ん"),
        // Korean
        ("로그인 실패", "로 그 인 실 패"),
        ("\u{1105}\u{1169}\u{1100}\u{1173}\u{110B}\u{1175}\u{11AB}", "로 그 인"),  // conjoining jamo compose
        ("ㄱㅏ", "가"),  // compatibility jamo: NFKC composes them
        // Thai, Lao, Khmer, Myanmar: a base letter with its marks is one token
        ("ที่อยู่", "ที่ อ ยู่"),
        ("ภาษาไทย", "ภ า ษ า ไ ท ย"),
        ("ทำงาน", "ท\u{E4D} า ง า น"),  // NFKC splits SARA AM into NIKHAHIT and SARA AA
        ("ພາສາລາວ", "ພ າ ສ າ ລ າ ວ"),
        ("ភាសាខ្មែរ", "ភា សា ខ្ មែ រ"),
        ("မြန်မာ", "မြ န် မာ"),
        // Cyrillic, Greek
        ("Отчёт об ошибке", "отчет об ошибке"),
        ("Йогурт", "иогурт"),
        ("Καλημέρα ΟΔΟΣ", "καλημερα οδοσ"),
        ("ὁδός ᾠδή", "οδοσ ωιδη"),  // polytonic: breathings and accents go, the iota subscript is a letter
        // Latin with diacritics
        ("Nguyễn Văn Việt", "nguyen van viet"),
        ("Đà Nẵng", "đa nang"),
        ("Straße MÜLLER Ärger", "strasse muller arger"),
        ("Café crème à l’école", "cafe creme a l ecole"),
        ("Łódź Ørsted", "łodz ørsted"),
        ("ﬁle ①", "file 1"),
        // Arabic and Hebrew: vowel points go, letters stay
        ("مُحَمَّد", "محمد"),
        ("أحمد إلى آخر", "احمد الى اخر"),
        ("الإنترنت لا يعمل", "الانترنت لا يعمل"),
        ("שָׁלוֹם עוֹלָם", "שלום עולם"),
        // Devanagari: matras and virama are part of the word
        ("नमस्ते दुनिया", "नमस्ते दुनिया"),
        // Emoji and symbols separate tokens
        ("Printer 🔥 on fire", "printer on fire"),
        ("❤️it ok👍🏽done", "it ok done"),
        ("50% off — $10 © ™", "50 off 10 tm"),
        ("a+b=c <x> [y] {z} «q» „r“", "a b c x y z q r"),
        // Fullwidth forms
        ("Ｐｒｉｎｔｅｒ　ｊａｍｍｅｄ！", "printer jammed"),
        // A mark with nothing before it is dropped; invisible format characters separate
        ("\u{301}abc \u{E48}x", "abc x"),
        ("foo\u{200B}bar", "foo bar"),
    ]

    @Test(arguments: indexForms)
    func indexForm(text: String, form: String) {
        #expect(SearchText.indexForm(text) == form, "\(SearchText.indexForm(text).unicodeScalars.map { String($0.value, radix: 16) })")
    }

    /// NFC, NFD, NFKC and NFKD spellings of the same words index identically.
    @Test(arguments: ["отчёт", "로그인", "καλημέρα", "Việt Nam", "がぎぐげご パピプペポ", "ÅNGSTRÖM", "ﬁnal Ⅻ ㈱",
                      "Ｐｒｉｎｔｅｒ", "שָׁלוֹם", "ᾠδή", "ที่อยู่"])
    func normalisationFormsAgree(word: String) {
        let form = SearchText.indexForm(word)
        #expect(!form.isEmpty)
        for variant in [word.precomposedStringWithCanonicalMapping, word.decomposedStringWithCanonicalMapping,
                        word.precomposedStringWithCompatibilityMapping, word.decomposedStringWithCompatibilityMapping,
                        word.uppercased(), word.lowercased()] {
            #expect(SearchText.indexForm(variant) == form, "\(variant.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    static let queries: [(String, [SearchTerm])] = [
        ("打印机", [SearchTerm(tokens: ["打", "印", "机"], prefix: false)]),
        ("网络", [SearchTerm(tokens: ["网", "络"], prefix: false)]),
        ("api", [SearchTerm(tokens: ["api"], prefix: false)]),
        ("paym*", [SearchTerm(tokens: ["paym"], prefix: true)]),
        ("printer paper", [SearchTerm(tokens: ["printer"], prefix: false), SearchTerm(tokens: ["paper"], prefix: false)]),
        ("\"printer paper\"", [SearchTerm(tokens: ["printer"], prefix: false), SearchTerm(tokens: ["paper"], prefix: false)]),
        ("(a OR b) AND NOT c", ["a", "or", "b", "and", "not", "c"].map { SearchTerm(tokens: [$0], prefix: false) }),
        ("-foo title:bar", [SearchTerm(tokens: ["foo"], prefix: false), SearchTerm(tokens: ["title", "bar"], prefix: false)]),
        ("e-mail", [SearchTerm(tokens: ["e", "mail"], prefix: false)]),
        ("- -- *** ... 🔥 \"", []),
        ("", []),
        ("\u{3000} \t\n", []),
        ("*paym", [SearchTerm(tokens: ["paym"], prefix: false)]),  // only a trailing * counts
        ("pa*ym", [SearchTerm(tokens: ["pa", "ym"], prefix: false)]),
        ("paym**", [SearchTerm(tokens: ["paym"], prefix: true)]),
        ("Café*", [SearchTerm(tokens: ["cafe"], prefix: true)]),
        ("cafe\u{301}", [SearchTerm(tokens: ["cafe"], prefix: false)]),
        ("ｐａｙｍ＊", [SearchTerm(tokens: ["paym"], prefix: true)]),
        ("打印*", [SearchTerm(tokens: ["打", "印"], prefix: true)]),
        ("打印机\u{3000}网络", [SearchTerm(tokens: ["打", "印", "机"], prefix: false), SearchTerm(tokens: ["网", "络"], prefix: false)]),
        ("Straße\u{A0}Nguyễn", [SearchTerm(tokens: ["strasse"], prefix: false), SearchTerm(tokens: ["nguyen"], prefix: false)]),
    ]

    @Test(arguments: queries)
    func query(text: String, terms: [SearchTerm]) {
        #expect(SearchText.query(text) == terms)
    }

    /// What a store does with the terms: every term's tokens appear consecutively in the
    /// indexed tokens, the last one as a prefix if the term says so.
    static func finds(_ query: String, in text: String) -> Bool {
        let indexed = SearchText.indexForm(text).split(separator: " ").map(String.init)
        let terms = SearchText.query(query)
        return !terms.isEmpty && terms.allSatisfy { term in
            indexed.indices.contains { start in
                guard start + term.tokens.count <= indexed.count else { return false }
                return term.tokens.enumerated().allSatisfy { i, token in
                    let candidate = indexed[start + i]
                    return term.prefix && i == term.tokens.count - 1 ? candidate.hasPrefix(token) : candidate == token
                }
            }
        }
    }

    @Test(arguments: [
        ("打印机", "打印机坏了", true),
        ("网络", "无法连接网络", true),
        ("api", "部署api失败", true),
        ("paym*", "Payment fails", true),
        ("printer paper", "Paper jam in the printer", true),
        ("printer paper", "Printer offline", false),
        ("印机坏", "打印机坏了", true),
        ("机打", "打印机坏了", false),  // a phrase is in order
        ("pay", "Payment fails", false),  // no prefix without *
        ("cafe", "Le Café est fermé", true),
        ("CAFÉ", "cafe", true),
        ("strasse", "Hauptstraße 5", false),  // a token is a whole word
        ("hauptstrasse", "Hauptstraße 5", true),
        ("e-mail", "my email bounced", false),
        ("e-mail", "my e-mail bounced", true),
        ("ガ", "ｶﾞｿﾘﾝ", true),
        ("로그인", "로그인이 안 돼요", true),
        ("ที่", "ที่อยู่", true),
        ("محمد", "مُحَمَّد", true),
        ("\"printer\" AND paper", "paper and printer", true),
    ])
    func queriesFindText(query: String, text: String, found: Bool) {
        #expect(Self.finds(query, in: text) == found)
    }

    /// The ASCII fast path gives what the Unicode path gives.
    @Test func asciiFastPathAgreesWithTheTables() {
        var rng = SplitMix64(state: 7)
        for length in [0, 1, 2, 5, 40, 300] {
            for _ in 0..<50 {
                var bytes = (0..<length).map { _ in UInt8.random(in: 0..<128, using: &rng) }
                let text = String(decoding: bytes, as: UTF8.self)
                let viaTables = bytes.withUnsafeMutableBufferPointer { SearchText.unicodeTokens(UnsafeBufferPointer($0)) }
                #expect(SearchText.indexForm(text) == viaTables, "\(bytes)")
            }
        }
    }

    /// Over the key vectors (random scripts, marks, compatibility characters): the index
    /// form is a fixpoint, ignores what the email key ignores, and is only tokens and spaces.
    @Test func indexFormIsStableOverTheKeyVectors() throws {
        let lines = try UnicodeKeyVectorTests.lines("unicode-key-vectors.txt").filter { !$0.hasPrefix("#") }
        #expect(lines.count > 3000)
        for line in lines {
            let input = UnicodeKeyVectorTests.scalars(line.split(separator: "\t")[0])
            let form = SearchText.indexForm(input)
            #expect(SearchText.indexForm(form) == form, "\(line)")
            #expect(SearchText.indexForm(EmailIdentity.key(input)) == form, "\(line)")
            #expect(!form.hasPrefix(" ") && !form.hasSuffix(" ") && !form.contains("  "), "\(line)")
        }
    }
}
