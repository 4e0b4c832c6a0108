/// Config keys as git names them: `section[.subsection].name`.
enum GitConfigKey {
    /// git_config_parse_key(): section and name lowercased and checked, subsection kept
    /// (no newline in it); nil for what git calls an invalid key.
    static func canonical(_ key: [UInt8]) -> [UInt8]? {
        guard let lastDot = key.lastIndex(of: UInt8(ascii: ".")), lastDot != 0, lastDot + 1 < key.count else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(key.count)
        var dot = false
        for (i, c) in key.enumerated() {
            if c == UInt8(ascii: ".") { dot = true }
            if !dot || i > lastDot {
                guard GitASCII.isKeyChar(c), i != lastDot + 1 || GitASCII.isAlpha(c) else { return nil }
                out.append(GitASCII.lower(c))
            } else {
                if c == 0x0A { return nil }
                out.append(c)
            }
        }
        return out
    }

    /// parse_config_key(): for `section.sub.name` the subsection (nil when there is none)
    /// and the name; nil when the key is not in `section`.
    static func split(_ key: [UInt8], section: String) -> (subsection: ArraySlice<UInt8>?, name: ArraySlice<UInt8>)? {
        let s = section.utf8
        guard key.count > s.count, key.starts(with: s), key[s.count] == UInt8(ascii: ".") else { return nil }
        let rest = key[(s.count + 1)...]
        guard let dot = rest.lastIndex(of: UInt8(ascii: ".")) else { return (nil, rest) }
        return (rest[..<dot], rest[(dot + 1)...])
    }

    static func isRemoteURL(_ key: [UInt8]) -> Bool {
        guard let (sub, name) = split(key, section: "remote") else { return false }
        return sub != nil && name.elementsEqual("url".utf8)
    }
}
