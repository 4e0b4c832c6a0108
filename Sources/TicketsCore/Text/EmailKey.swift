// Emails are compared by one rule everywhere: Unicode NFKC normalisation and full case
// folding of the whole address, so `KAREN@example.com`, `karen@EXAMPLE.com` and a
// look-alike written with U+212A KELVIN SIGN are one person.

/// The identity of an email address: two addresses are one person exactly when their keys
/// are equal. Store and compare the key; show the address as it was typed.
public enum EmailIdentity {
    /// The compatibility caseless form of the whole address (Unicode §3.13, D146),
    /// composed: `NFC(NFKD(toCasefold(NFKD(toCasefold(NFD(address))))))`, with the data of
    /// Unicode `UnicodeData.version`.
    ///
    /// - One person: upper and lower case (`KAREN`, `karen`), NFC and NFD spellings
    ///   (`josé`, `jose` + U+0301), compatibility forms (U+212A KELVIN SIGN for `k`,
    ///   U+212B ANGSTROM SIGN for `å`, fullwidth `ｋａｒｅｎ`, the ligature `ﬁ`, mathematical
    ///   and circled letters), `ß`/`ẞ`/`ss`, Greek `ς`/`σ`/`Σ`.
    /// - Different people: look-alikes from other scripts (Cyrillic `а`, Greek `ο`), the
    ///   dotless `ı` and `i` (full case folding is not Turkish: `İ` folds to `i` + U+0307,
    ///   which stays different from `i`), and invisible characters: NFKC keeps U+200B ZERO
    ///   WIDTH SPACE, U+200D, U+00AD SOFT HYPHEN and the bidi controls, so they stay in
    ///   the key and make a different person.
    ///
    /// Nothing is trimmed and nothing is checked: validating the address is the caller's
    /// job. All-ASCII input (the usual case) is just lowercased, without touching the
    /// Unicode tables.
    public static func key(_ address: String) -> String {
        var text = address
        return text.withUTF8 { asciiLowercased($0) ?? caselessKey($0) }
    }

    /// Whether two addresses are one person: `key(a) == key(b)`, without building keys
    /// when both are ASCII.
    public static func same(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        let ascii: Bool? = a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.allSatisfy({ $0 < 0x80 }) && y.allSatisfy({ $0 < 0x80 }) else { return nil }
                guard x.count == y.count else { return false }
                for i in 0..<x.count where asciiLower(x[i]) != asciiLower(y[i]) { return false }
                return true
            }
        }
        return ascii ?? (key(a) == key(b))
    }

    @inline(__always)
    static func asciiLower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// The ASCII lowercase of all-ASCII bytes in one loop, or nil at the first other byte.
    static func asciiLowercased(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
        var isASCII = true
        let lowered = String(unsafeUninitializedCapacity: utf8.count) { out in
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x80 else { isASCII = false; return 0 }
                out[i] = asciiLower(b)
            }
            return utf8.count
        }
        return isASCII ? lowered : nil
    }

    static func caselessKey(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        let tables = UnicodeTables.shared
        var buffer: [UInt32] = []
        buffer.reserveCapacity(utf8.count + 8)
        tables.decompose(utf8, into: &buffer)
        tables.compose(&buffer, droppingMarks: false)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 8)
        for s in buffer { appendUTF8(s, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
