// RFC 4648 base64 (standard alphabet, padded) without Foundation: attachment bytes
// travel through JSON export/import in this form.

public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let pad = UInt8(ascii: "=")

    /// 0xFF marks a byte outside the alphabet, so decoding is one table load per byte.
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// ASCII bytes of the encoding, with padding and no line breaks.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        let outCount = (bytes.count + 2) / 3 * 4
        return [UInt8](unsafeUninitializedCapacity: outCount) { out, initialized in
            alphabet.withUnsafeBufferPointer { a in
                bytes.withUnsafeBufferPointer { src in
                    var i = 0, o = 0
                    while i + 3 <= src.count {
                        let n = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
                        out[o] = a[Int(n >> 18)]
                        out[o + 1] = a[Int(n >> 12 & 63)]
                        out[o + 2] = a[Int(n >> 6 & 63)]
                        out[o + 3] = a[Int(n & 63)]
                        i += 3; o += 4
                    }
                    let rest = src.count - i
                    if rest > 0 {
                        let n = UInt32(src[i]) << 16 | (rest == 2 ? UInt32(src[i + 1]) << 8 : 0)
                        out[o] = a[Int(n >> 18)]
                        out[o + 1] = a[Int(n >> 12 & 63)]
                        out[o + 2] = rest == 2 ? a[Int(n >> 6 & 63)] : pad
                        out[o + 3] = pad
                    }
                }
            }
            initialized = outCount
        }
    }

    public static func encodeString(_ bytes: [UInt8]) -> String {
        String(decoding: encode(bytes), as: UTF8.self)
    }

    /// Strict decoding: the length must be a multiple of 4, padding is required, only the
    /// last quantum may hold `=`, and the unused bits before the padding must be zero
    /// (so every input has one canonical form). Returns nil on anything else, including
    /// whitespace and the URL-safe alphabet.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let input = Array(text)
        guard input.count % 4 == 0 else { return nil }
        if input.isEmpty { return [] }
        var padding = 0
        if input[input.count - 1] == pad { padding += 1 }
        if input[input.count - 2] == pad { padding += 1 }
        if padding == 1 && input[input.count - 2] == pad { return nil }
        let outCount = input.count / 4 * 3 - padding
        var failed = false
        let result = [UInt8](unsafeUninitializedCapacity: outCount) { out, initialized in
            initialized = 0
            reverse.withUnsafeBufferPointer { r in
                var o = 0
                var i = 0
                let body = input.count - 4  // last quantum handled separately
                while i < body {
                    let a = r[Int(input[i])], b = r[Int(input[i + 1])]
                    let c = r[Int(input[i + 2])], d = r[Int(input[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { failed = true; return }
                    let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    out[o] = UInt8(truncatingIfNeeded: n >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: n)
                    i += 4; o += 3
                }
                let a = r[Int(input[i])], b = r[Int(input[i + 1])]
                let c = padding >= 2 ? 0 : r[Int(input[i + 2])]
                let d = padding >= 1 ? 0 : r[Int(input[i + 3])]
                if (a | b | c | d) & 0xC0 != 0 { failed = true; return }
                let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                // Non-zero leftover bits mean a non-canonical (likely corrupted) encoding.
                if padding == 2 && n & 0xFFFF != 0 { failed = true; return }
                if padding == 1 && n & 0xFF != 0 { failed = true; return }
                out[o] = UInt8(truncatingIfNeeded: n >> 16)
                if padding < 2 { out[o + 1] = UInt8(truncatingIfNeeded: n >> 8) }
                if padding < 1 { out[o + 2] = UInt8(truncatingIfNeeded: n) }
                initialized = outCount
            }
        }
        return failed ? nil : result
    }
}
