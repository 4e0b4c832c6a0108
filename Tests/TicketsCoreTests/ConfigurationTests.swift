import Testing
@testable import TicketsCore

struct ConfigurationTests {
    @Test func readsEveryKey() throws {
        let c = try Configuration.parse("""
            # comment
            name = Alice Example
            email = alice@example.com
            role = agent
            db = /tmp/x.db
            departments = it, hr , other
            default_department = hr
            default_priority = high
            auto_close_after = 3d
            sla_urgent = 30m
            sla_high = 2h
            sla_medium = 1d
            sla_low = 1w
            attachment_extensions = png, .txt
            attachment_max_size = 2M
            attachment_max_count = 3
            """, file: "cfg")
        #expect(c.name == "Alice Example")
        #expect(c.email == "alice@example.com")
        #expect(c.role == .agent)
        #expect(c.db == "/tmp/x.db")
        #expect(c.departments == ["it", "hr", "other"])
        #expect(c.fallbackDepartment == "hr")
        #expect(c.defaultPriority == .high)
        #expect(c.autoCloseAfter == 3 * 86_400)
        #expect(c.sla == [.urgent: 1800, .high: 7200, .medium: 86_400, .low: 604_800])
        #expect(c.attachmentExtensions == ["png", "txt"])
        #expect(c.attachmentMaxSize == 2 << 20)
        #expect(c.attachmentMaxCount == 3)
    }

    @Test func slaTargetsDefaultToSpecAndKeepUnsetPriorities() throws {
        #expect(Configuration().sla == [.urgent: 3600, .high: 4 * 3600, .medium: 86_400, .low: 2 * 86_400])
        let c = try Configuration.parse("sla_high = 90m", file: "cfg")
        #expect(c.sla[.high] == 5400)
        #expect(c.sla[.urgent] == 3600 && c.sla[.medium] == 86_400 && c.sla[.low] == 172_800)
    }

    /// Space, tab and CR are trimmed scalar by scalar: a combining mark after them stays,
    /// which a Character-wise trim would have taken with the space before it.
    @Test(arguments: [
        ("  \u{301}x \t", "\u{301}x"),
        ("\t é \r", "é"),
        ("東京", "東京"),
        (" \t\r ", ""),
        ("", ""),
        ("a = b", "a = b"),
        ("\u{A0}x\u{A0}", "\u{A0}x\u{A0}"),
    ])
    func trimmingWhitespace(input: String, trimmed: String) {
        #expect(input.trimmingWhitespace() == trimmed)
        #expect(Array(input.trimmingWhitespace().unicodeScalars) == Array(trimmed.unicodeScalars))
        let padded = "[" + input + "]"
        let inner = padded.dropFirst().dropLast()
        #expect(inner.trimmingWhitespace() == trimmed)
    }

    @Test(arguments: [
        ("colour = red", "cfg:1: unknown key 'colour'"),
        ("role = boss", "cfg:1: role must be"),
        ("\n\nsla_high = soon", "cfg:3: 'sla_high' must be a duration"),
        ("email = nobody", "cfg:1: 'nobody' is not an email"),
        ("just words", "cfg:1: expected 'key = value'"),
        ("default_department = legal", "default_department 'legal' is not one of"),
        ("attachment_max_size = lots", "cfg:1: attachment_max_size"),
    ])
    func refusesWithFileAndLine(text: String, expected: String) {
        #expect {
            try Configuration.parse(text, file: "cfg")
        } throws: { error in
            guard let e = error as? TicketsError else { return false }
            return e.kind == .config && e.message.contains(expected)
        }
    }
}
