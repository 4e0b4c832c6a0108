/// An address with an optional display name, written as RFC 5322 §3.4 wants it.
public struct Mailbox: Equatable, Sendable {
    /// The display name; "" for none. Ticket text: it is cleaned (`HeaderText`) and
    /// written as atoms, a quoted-string or encoded-words, never as raw bytes.
    public var name: String
    public var address: String

    public init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }

    /// Reads a config value such as `notify_from`: `help@example.com`,
    /// `Example Help <help@example.com>` or `"Help, Example" <help@example.com>`.
    /// Nil when it holds no address a header can carry (`addrSpec`).
    public static func parse(_ text: String) -> Mailbox? {
        let t = text.trimmingWhitespace()
        guard t.hasSuffix(">"), let open = t.lastIndex(of: "<") else {
            return addrSpec(t) == nil ? nil : Mailbox(address: t)
        }
        let address = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
        var name = t[..<open].trimmingWhitespace()
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            var unquoted = "", escaped = false
            for c in name.dropFirst().dropLast() {
                if !escaped && c == "\\" { escaped = true; continue }
                unquoted.append(c)
                escaped = false
            }
            name = unquoted
        }
        return addrSpec(address) == nil ? nil : Mailbox(name: name, address: address)
    }

    /// The address as an RFC 5322 §3.4.1 addr-spec: a dot-atom local part as it is,
    /// any other printable local part as a quoted-string; the domain a dot-atom. Nil when
    /// it cannot be one: a control character or space, no `@`, longer than 254 bytes
    /// (RFC 5321 §4.5.3.1), or not ASCII. An internationalised address needs SMTPUTF8
    /// (RFC 6531/6532), which a message handed to `sendmail -t` cannot ask for. An
    /// address holding `=?` is refused too: lenient readers decode encoded-words even
    /// inside a quoted local part (Python's email package does), which would turn
    /// `"=?utf-8?q?=0D=0A...?="@x` back into a line break.
    public static func addrSpec(_ address: String) -> String? {
        guard address.utf8.count <= 254, !HeaderText.looksEncoded(address),
              let at = address.utf8.lastIndex(of: 0x40) else { return nil }
        let local = Array(address.utf8[..<at])
        let domain = Array(address.utf8[address.utf8.index(after: at)...])
        guard !local.isEmpty, isDotAtom(domain),
              local.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        if isDotAtom(local) { return address }
        var quoted: [UInt8] = [0x22]
        for b in local {
            if b == 0x22 || b == 0x5C { quoted.append(0x5C) }
            quoted.append(b)
        }
        return String(decoding: quoted + [0x22, 0x40] + domain, as: UTF8.self)
    }

    /// Writes the mailbox into an address-list header, a comma after it unless `last`.
    /// Nil when the address cannot be written (`addrSpec`); nothing is appended then.
    func append(to header: inout HeaderFolding, last: Bool) -> Bool {
        guard let spec = Mailbox.addrSpec(address) else { return false }
        let comma = last ? "" : ","
        let name = HeaderText.clean(name).trimmingWhitespace()
        if name.isEmpty {
            header.add(spec + comma)
            return true
        }
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        if !HeaderText.looksEncoded(name), words.allSatisfy({ !$0.isEmpty && Mailbox.isAtom(Array($0.utf8)) }),
           words.allSatisfy({ $0.utf8.count < HeaderFolding.limit - 1 }) {
            for w in words { header.add(String(w)) }
        } else if !HeaderText.looksEncoded(name), HeaderText.isPrintableASCII(name), name.utf8.count <= 40 {
            // RFC 5322 §3.2.4: only `"` and `\` need a backslash inside a quoted-string.
            var q = "\""
            for c in name.unicodeScalars {
                if c == "\"" || c == "\\" { q.append("\\") }
                q.unicodeScalars.append(c)
            }
            header.add(q + "\"")
        } else {
            RFC2047.append(name, to: &header)
        }
        header.add("<" + spec + ">" + comma)
        return true
    }

    /// RFC 5322 §3.2.3 atext.
    static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: true
        default: Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(b)
        }
    }

    static func isAtom(_ bytes: [UInt8]) -> Bool { !bytes.isEmpty && bytes.allSatisfy(isAtext) }

    /// atext runs joined by single dots.
    static func isDotAtom(_ bytes: [UInt8]) -> Bool {
        bytes.split(separator: 0x2E, omittingEmptySubsequences: false).allSatisfy { isAtom(Array($0)) }
    }
}
