import Testing
@testable import TicketsCore

@Suite struct EmailIdentityTests {
    /// Each row: spellings that must be one person, and their key.
    static let onePerson: [(key: String, spellings: [String])] = [
        ("karen@example.com", ["karen@example.com", "KAREN@example.com", "karen@EXAMPLE.com", "Karen@Example.Com",
                               "\u{212A}aren@example.com",  // KELVIN SIGN
                               "ｋａｒｅｎ＠ｅｘａｍｐｌｅ．ｃｏｍ",  // fullwidth, including ＠ and ．
                               "\u{1D424}\u{1D41A}\u{1D42B}\u{1D41E}\u{1D427}@example.com",  // mathematical bold
                               "\u{24DA}\u{24D0}\u{24E1}\u{24D4}\u{24DD}@example.com",  // circled ⓚⓐⓡⓔⓝ
                               "\u{24C0}\u{24B6}\u{24C7}\u{24BA}\u{24C3}@example.com"]),  // circled ⓀⒶⓇⒺⓃ
        ("jos\u{E9}@example.com", ["josé@example.com", "JOSÉ@example.com", "jose\u{301}@example.com",
                                  "JOSE\u{301}@EXAMPLE.COM", "jos\u{C9}@example.com"]),
        ("\u{E5}sa@example.se", ["\u{E5}sa@example.se", "\u{C5}sa@example.se", "\u{212B}sa@example.se",
                                 "a\u{30A}sa@example.se", "A\u{30A}SA@EXAMPLE.SE"]),
        ("office@example.com", ["o\u{FB03}ce@example.com", "OFFICE@example.com", "o\u{FB00}ice@example.com"]),  // ﬃ, ﬀ
        ("strasse@example.de", ["straße@example.de", "STRASSE@example.de", "STRAẞE@example.de", "strasse@example.de"]),
        ("\u{3C3}\u{3C9}\u{3C3}@example.gr", ["σωσ@example.gr", "σως@example.gr", "ΣΩΣ@example.gr", "Σως@example.gr"]),
        ("\u{3C9}@example.com", ["\u{2126}@example.com", "\u{3A9}@example.com", "\u{3C9}@example.com"]),  // OHM SIGN
        ("\u{3B1}\u{3B9}@x.gr", ["\u{1FB3}@x.gr", "\u{1FBC}@x.gr", "\u{3B1}\u{345}@x.gr", "ΑΙ@x.gr"]),  // ᾳ, ᾼ: iota subscript
        ("\u{3AC}\u{3B9}@x.gr", ["\u{1FB4}@x.gr", "\u{3B1}\u{345}\u{301}@x.gr", "\u{3B1}\u{301}\u{345}@x.gr"]),  // ᾴ
        ("\u{AC00}@example.kr", ["\u{AC00}@example.kr", "\u{1100}\u{1161}@example.kr", "\u{3131}\u{314F}@example.kr",
                                 "\u{FFA1}\u{FFC2}@example.kr"]),  // 가: syllable, conjoining, compatibility, half-width jamo
        ("\u{30AC}@example.jp", ["\u{30AC}@example.jp", "\u{30AB}\u{3099}@example.jp", "\u{FF76}\u{FF9E}@example.jp"]),  // ガ
        ("1@example.com", ["\u{2460}@example.com", "\u{FF11}@example.com", "\u{1D7CF}@example.com"]),  // ①, １, 𝟏
        ("info@ex-ample.com", ["info@ex\u{FE63}ample.com", "INFO@EX\u{FF0D}AMPLE.COM"]),  // small and fullwidth hyphen-minus
    ]

    /// Look-alikes that must stay different people: other scripts, other letters, and
    /// characters NFKC keeps (zero-width and bidi controls, soft hyphen).
    static let differentPeople: [(String, String)] = [
        ("karen@example.com", "k\u{430}ren@example.com"),  // Cyrillic а
        ("peter@example.com", "p\u{435}ter@example.com"),  // Cyrillic е
        ("bob@example.com", "b\u{43E}b@example.com"),  // Cyrillic о
        ("pat@example.com", "\u{440}at@example.com"),  // Cyrillic р
        ("cat@example.com", "\u{441}at@example.com"),  // Cyrillic с
        ("xavier@example.com", "\u{445}avier@example.com"),  // Cyrillic х
        ("bob@example.com", "b\u{3BF}b@example.com"),  // Greek ο
        ("pat@example.com", "\u{3C1}at@example.com"),  // Greek ρ
        ("nick@example.com", "n\u{3B9}ck@example.com"),  // Greek ι
        ("kim@example.com", "\u{3BA}im@example.com"),  // Greek κ
        ("ilker@example.com", "\u{131}lker@example.com"),  // Turkish dotless ı
        ("ilker@example.com", "\u{130}lker@example.com"),  // İ folds to i + U+0307, not to i
        ("oscar@example.com", "\u{585}scar@example.com"),  // Armenian օ
        ("dan@example.com", "\u{561}an@example.com"),  // Armenian ա vs Latin d (look-alike of a)
        ("joe@example.com", "\u{13AB}oe@example.com"),  // Cherokee Ꭻ (looks like J)
        ("west@example.com", "\u{13B3}est@example.com"),  // Cherokee Ꮃ (looks like W)
        ("karen@example.com", "karen\u{200B}@example.com"),  // ZERO WIDTH SPACE: NFKC keeps it
        ("karen@example.com", "ka\u{200D}ren@example.com"),  // ZERO WIDTH JOINER
        ("karen@example.com", "ka\u{AD}ren@example.com"),  // SOFT HYPHEN
        ("karen@example.com", "\u{202E}karen@example.com"),  // RIGHT-TO-LEFT OVERRIDE
        ("karen@example.com", " karen@example.com"),  // nothing is trimmed
        ("jose@example.com", "josé@example.com"),  // accents count in identity
        ("strasse@example.de", "strase@example.de"),
        ("\u{3C3}@x.gr", "s@x.gr"),
        ("l@example.com", "\u{142}@example.com"),  // ł does not decompose
        ("o@example.com", "\u{F8}@example.com"),  // ø neither
    ]

    @Test(arguments: onePerson)
    func spellingsOfOnePersonShareTheKey(key: String, spellings: [String]) {
        for spelling in spellings {
            #expect(EmailIdentity.key(spelling) == key, "\(spelling.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(EmailIdentity.same(spelling, spellings[0]), "\(spelling)")
            #expect(EmailIdentity.same(spellings[0], spelling), "\(spelling)")
        }
    }

    @Test(arguments: differentPeople)
    func lookAlikesStayDifferent(a: String, b: String) {
        #expect(EmailIdentity.key(a) != EmailIdentity.key(b))
        #expect(!EmailIdentity.same(a, b))
        #expect(!EmailIdentity.same(b, a))
    }

    @Test func invisibleCharactersStayInTheKey() {
        #expect(EmailIdentity.key("KAREN\u{200B}@example.com") == "karen\u{200B}@example.com")
        #expect(EmailIdentity.key("") == "")
    }

    /// The ASCII fast path gives what the Unicode path gives, for every ASCII byte.
    @Test func asciiFastPathAgreesWithTheTables() {
        var all = (0..<128).map { UInt8($0) }
        let text = String(decoding: all, as: UTF8.self)
        let viaTables = all.withUnsafeMutableBufferPointer { EmailIdentity.caselessKey(UnsafeBufferPointer($0)) }
        #expect(EmailIdentity.key(text) == viaTables)
        #expect(EmailIdentity.key(text) == text.lowercased())
        // The first non-ASCII byte anywhere sends the whole address to the tables.
        #expect(EmailIdentity.key("KAREN@EXAMPLE.COM\u{212A}") == "karen@example.comk")
        #expect(EmailIdentity.key("\u{212A}AREN@EXAMPLE.COM") == "karen@example.com")
    }

    @Test func sameComparesASCIIWithoutKeysAndFallsBackOtherwise() {
        #expect(EmailIdentity.same("A@B.C", "a@b.c"))
        #expect(!EmailIdentity.same("a@b.c", "a@b.cd"))
        #expect(!EmailIdentity.same("a@b.c", "a@b.d"))
        #expect(EmailIdentity.same("a@b.c\u{212A}", "a@b.ck"))  // lengths differ in bytes, one person
        #expect(EmailIdentity.same("", ""))
    }
}
