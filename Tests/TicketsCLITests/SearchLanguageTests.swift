import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// Contract C: `list -S` finds a ticket when every word of the query appears somewhere in
/// its subject or in a message the viewer may see; case, diacritics and NFC/NFD do not
/// matter; text without spaces (Chinese, Japanese, Korean, Thai) matches on any run of
/// its characters; `word*` is a prefix; punctuation is never syntax.
struct SearchLanguageTests {
    /// Alice's tickets by name: subject and first message.
    static let tickets: [(name: String, subject: String, message: String)] = [
        ("printer", "Printer on fire", "Smoke everywhere."),
        ("dayinji", "打印机坏了", "无法打印"),
        ("login-ja", "ログインできません", "パスワードを忘れました"),
        ("deploy", "部署api失败", "日志在附件"),
        ("network", "无法连接网络", "公司WiFi"),
        ("payment", "Payment fails", "Card declined at checkout"),
        ("cafe", "Café menu broken", "the naïve résumé parser"),
        ("korean", "비밀번호 재설정", "로그인이 안 돼요"),
        ("thai", "เครื่องพิมพ์เสีย", "ช่วยด้วย"),
        ("street", "Straße gesperrt", "ΟΔΟΣ κλειστή"),
        ("email", "e-mail bounces", "error 404 on v2.3"),
        ("syntax", "Filters: status AND priority", "the col:x syntax -x (beta) OR NOT"),
        ("vpn", "VPN drops", "tunnel resets"),
        ("edited", "Old heading words", "nothing special"),
        ("merged-source", "Disk full", "quota exceeded mammoth"),
        ("merged-target", "Storage issue", "out of room"),
        ("nfd", "Jose\u{301} cannot sign in", "account locked"),
        ("cyrillic", "Ёлка не горит", "гирлянда"),
        ("arabic", "مرحبا أهلا", "شكرا"),
        ("fullwidth", "Ｍｏｎｉｔｏｒ flickers", "ＨＤＭＩ cable"),
    ]

    /// Built once and only read: the tickets above (ids in order), Carol's look-alike
    /// ticket, an internal note, an edited subject and a merge.
    struct World: @unchecked Sendable {
        let h: Harness
        let ids: [String: Int]
    }

    static let world: World = {
        let h = Harness()
        var ids = [String: Int]()
        for t in tickets { ids[t.name] = h.openAs("alice@example.com", t.subject, message: t.message) }
        ids["carol"] = h.openAs("carol@example.com", "Printer jam", message: "paper stuck, quota mammoth")
        precondition(h.agent(["reply", "\(ids["vpn"]!)", "--internal", "-m", "secretword zebra"]).code == 0)
        precondition(h.agent(["edit", "\(ids["edited"]!)", "-s", "Brand new title"]).code == 0)
        precondition(h.agent(["merge", "\(ids["merged-source"]!)", "--into", "\(ids["merged-target"]!)"]).code == 0)
        return World(h: h, ids: ids)
    }()

    /// (query, names of Alice's tickets it finds)
    static let cases: [Labeled<(query: String, found: [String])>] = [
        // Latin: case, spread over fields, all words needed.
        ("printer", ["printer"]),
        ("PRINTER", ["printer"]),
        ("Ｐｒｉｎｔｅｒ", ["printer"]),
        ("printer smoke", ["printer"]),
        ("smoke PRINTER everywhere", ["printer"]),
        ("printer declined", []),
        ("fire everywhere", ["printer"]),
        ("monitor hdmi", ["fullwidth"]),
        ("ＭＯＮＩＴＯＲ", ["fullwidth"]),
        // Chinese: any run of characters, a single one too, across subject and message.
        ("打印机", ["dayinji"]),
        ("打印", ["dayinji"]),
        ("机", ["dayinji"]),
        ("坏了", ["dayinji"]),
        ("打印机坏了", ["dayinji"]),
        ("无法", ["dayinji", "network"]),
        ("无法 网络", ["network"]),
        ("印打", []),
        ("网络", ["network"]),
        ("连接网", ["network"]),
        ("wifi", ["network"]),
        ("api", ["deploy"]),
        ("API", ["deploy"]),
        ("部署", ["deploy"]),
        ("api失败", ["deploy"]),
        ("失败", ["deploy"]),
        ("日志", ["deploy"]),
        // Japanese, half-width katakana too.
        ("ログイン", ["login-ja"]),
        ("ログ", ["login-ja"]),
        ("ロ", ["login-ja"]),
        ("できません", ["login-ja"]),
        ("ﾛｸﾞｲﾝ", ["login-ja"]),
        ("パスワード", ["login-ja"]),
        ("ログイン パスワード", ["login-ja"]),
        // Korean.
        ("비밀번호", ["korean"]),
        ("번호", ["korean"]),
        ("로그인", ["korean"]),
        ("재설정 로그인", ["korean"]),
        // Thai.
        ("พิมพ์", ["thai"]),
        ("เครื่อง", ["thai"]),
        ("เสีย", ["thai"]),
        ("ช่วย", ["thai"]),
        // Prefixes.
        ("paym*", ["payment"]),
        ("PAYM*", ["payment"]),
        ("pay", []),
        ("decl* checkout", ["payment"]),
        ("打印*", ["dayinji"]),
        ("résu*", ["cafe"]),
        // Diacritics, NFC/NFD, case folding of other scripts.
        ("cafe", ["cafe"]),
        ("CAFÉ", ["cafe"]),
        ("Cafe\u{301}", ["cafe"]),
        ("naive resume", ["cafe"]),
        ("NAÏVE RÉSUMÉ", ["cafe"]),
        ("josé", ["nfd"]),
        ("JOSE", ["nfd"]),
        ("Jose\u{301}", ["nfd"]),
        ("strasse", ["street"]),
        ("STRASSE", ["street"]),
        ("STRA\u{1E9E}E", ["street"]),
        ("οδος", ["street"]),
        ("ΟΔΌΣ", ["street"]),
        ("κλειστη", ["street"]),
        ("елка", ["cyrillic"]),
        ("ЁЛКА", ["cyrillic"]),
        ("ГИРЛЯНДА", ["cyrillic"]),
        ("اهلا", ["arabic"]),
        ("أهلا", ["arabic"]),
        // Punctuation and operators are text.
        ("e-mail", ["email"]),
        ("404", ["email"]),
        ("v2.3", ["email"]),
        ("\"bounces\"", ["email"]),
        ("(bounces)", ["email"]),
        ("bounces)", ["email"]),
        ("\"bounces", ["email"]),
        ("AND", ["syntax"]),
        ("OR", ["syntax"]),
        ("NOT", ["syntax"]),
        ("status AND priority", ["syntax"]),
        ("status OR nothing", []),
        ("printer OR status", []),
        ("fire NOT", []),
        ("status -priority", ["syntax"]),
        ("-x", ["syntax"]),
        ("col:x", ["syntax"]),
        ("subject:printer", []),
        ("(beta)", ["syntax"]),
        ("\"AND\"", ["syntax"]),
        ("NEAR(status priority)", []),
        ("status^", ["syntax"]),
        ("+status", ["syntax"]),
        // Internal notes are not a requester's to search; edits and merges are followed.
        ("zebra", []),
        ("secretword", []),
        ("tunnel", ["vpn"]),
        ("heading", []),
        ("old heading words", []),
        ("brand", ["edited"]),
        ("brand new title", ["edited"]),
        ("mammoth", ["merged-target"]),
        ("quota exceeded", ["merged-target"]),
        ("storage mammoth", ["merged-target"]),
    ].map { Labeled("-S \($0.0)", (query: $0.0, found: $0.1)) }

    @Test(arguments: cases)
    func requesterSearch(c: Labeled<(query: String, found: [String])>) throws {
        let w = Self.world
        let r = w.h.run(["list", "-q", "--status", "all", "-S", c.value.query])
        #expect(r.code == 0, "\(r.stderr)")
        let expected = Set(c.value.found.map { w.ids[$0]! })
        let names = Dictionary(uniqueKeysWithValues: w.ids.map { ($1, $0) })
        #expect(r.ids == expected, "found \(r.ids.map { names[$0] ?? "?" }.sorted())")
    }

    /// An agent finds what the requester finds, plus internal notes and other people's tickets.
    @Test(arguments: [
        ("zebra", ["vpn"]), ("secretword tunnel", ["vpn"]), ("printer", ["printer", "carol"]),
        ("mammoth", ["merged-target", "carol"]), ("heading", []), ("打印机", ["dayinji"]),
    ])
    func agentSearch(query: String, found: [String]) throws {
        let w = Self.world
        let r = w.h.agent(["list", "-q", "--status", "all", "-S", query])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.ids == Set(found.map { w.ids[$0]! }))
    }

    /// Carol searches her own ticket only; Alice never finds Carol's.
    @Test func searchStaysInsideWhatTheViewerMaySee() {
        let w = Self.world
        #expect(w.h.carol(["list", "-q", "--status", "all", "-S", "printer"]).ids == [w.ids["carol"]!])
        #expect(w.h.carol(["list", "-q", "--status", "all", "-S", "打印机"]).ids == [])
        #expect(w.h.run(["list", "-q", "--status", "all", "-S", "jam"]).ids == [])
    }

    /// The same search through export, count and JSON, which share the filter.
    @Test func exportAndCountSearchToo() throws {
        let w = Self.world
        #expect(w.h.run(["export", "-S", "ﾛｸﾞｲﾝ"]).jsonIDs() == [w.ids["login-ja"]!])
        #expect(w.h.run(["list", "--count", "--status", "all", "-S", "无法"]).stdout == "2\n")
        #expect(w.h.run(["list", "--json", "--status", "all", "-S", "paym*"]).jsonIDs() == [w.ids["payment"]!])
    }

    /// A query with no word at all is a usage error, not "everything".
    @Test(arguments: ["\"", "()", "*", "-", "   ", "\"\" ()", "🔥"])
    func aQueryWithoutWordsIsAUsageError(query: String) {
        let r = Self.world.h.run(["list", "-q", "-S", query])
        #expect(r.code == 64, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
