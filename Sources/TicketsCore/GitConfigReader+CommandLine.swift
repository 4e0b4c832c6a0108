/// The command line's configuration (config.c, git_config_from_parameters):
/// `GIT_CONFIG_COUNT` pairs, then `GIT_CONFIG_PARAMETERS` as `git -c` leaves it.
extension GitConfigReader {
    func readCommandLine(_ sink: Sink) throws(GitConfigFailure) {
        if let countText = environment.bytes("GIT_CONFIG_COUNT") {
            guard let count = Self.strtoul(countText) else { throw GitConfigFailure("bogus count in GIT_CONFIG_COUNT") }
            guard count <= UInt64(Int32.max) else { throw GitConfigFailure("too many entries in GIT_CONFIG_COUNT") }
            for i in 0..<Int(count) {
                guard let key = environment.bytes("GIT_CONFIG_KEY_\(i)") else {
                    throw GitConfigFailure("missing config key GIT_CONFIG_KEY_\(i)")
                }
                guard let value = environment.bytes("GIT_CONFIG_VALUE_\(i)") else {
                    throw GitConfigFailure("missing config value GIT_CONFIG_VALUE_\(i)")
                }
                try commandLinePair(key, value, sink)
            }
        }
        if let parameters = environment.bytes("GIT_CONFIG_PARAMETERS") {
            try readParameters(parameters, sink)
        }
    }

    /// config_parse_pair(): the key is checked and normalised like `git config`'s own.
    private func commandLinePair(_ key: [UInt8], _ value: [UInt8]?, _ sink: Sink) throws(GitConfigFailure) {
        guard !key.isEmpty else { throw GitConfigFailure("empty config key") }
        guard let canonical = GitConfigKey.canonical(key) else {
            throw GitConfigFailure("invalid key: \(String(decoding: key, as: UTF8.self))")
        }
        try entry(canonical, value, file: nil, sink)
    }

    /// parse_config_env_list(): space-separated `'key=value'` (old style) or
    /// `'key'='value'` and `'key'=` (a key without value) in shell single quotes.
    private func readParameters(_ text: [UInt8], _ sink: Sink) throws(GitConfigFailure) {
        let bogus = GitConfigFailure("bogus format in GIT_CONFIG_PARAMETERS")
        var cursor: Int? = 0
        while let at = cursor, at < text.count {
            guard let (key, next) = Self.singleQuoted(text, from: at) else { throw bogus }
            cursor = next
            if next == nil || GitASCII.isSpace(text[next!]) {
                try oldStyleParameter(key, sink)
            } else if text[next!] == UInt8(ascii: "=") {
                let v = next! + 1
                var value: [UInt8]?
                if v < text.count && text[v] == UInt8(ascii: "'") {
                    guard let (quoted, after) = Self.singleQuoted(text, from: v),
                          after == nil || GitASCII.isSpace(text[after!]) else { throw bogus }
                    value = quoted
                    cursor = after
                } else if v == text.count || GitASCII.isSpace(text[v]) {
                    value = nil
                    cursor = v
                } else {
                    throw bogus
                }
                try commandLinePair(key, value, sink)
            } else {
                throw bogus
            }
            if var c = cursor {
                while c < text.count && GitASCII.isSpace(text[c]) { c += 1 }
                cursor = c
            }
        }
    }

    /// git_config_parse_parameter(): `key=value`, or `key` alone for no value.
    private func oldStyleParameter(_ text: [UInt8], _ sink: Sink) throws(GitConfigFailure) {
        let bogus = GitConfigFailure("bogus config parameter: \(String(decoding: text, as: UTF8.self))")
        guard !text.isEmpty else { throw bogus }
        var key: ArraySlice<UInt8>
        var value: [UInt8]?
        if let eq = text.firstIndex(of: UInt8(ascii: "=")) {
            key = text[..<eq]
            value = Array(text[(eq + 1)...])
        } else {
            key = text[...]
            value = nil
        }
        while let f = key.first, GitASCII.isSpace(f) { key = key.dropFirst() }
        while let l = key.last, GitASCII.isSpace(l) { key = key.dropLast() }
        guard !key.isEmpty else { throw bogus }
        try commandLinePair(Array(key), value, sink)
    }

    /// sq_dequote_step(): one single-quoted word (`'\''` and `'\!'` inside); the index
    /// after it, nil at the end of the text; nil for a malformed word.
    static func singleQuoted(_ s: [UInt8], from start: Int) -> ([UInt8], Int?)? {
        func at(_ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }
        guard at(start) == UInt8(ascii: "'") else { return nil }
        var out = [UInt8]()
        var src = start
        while true {
            src += 1
            let c = at(src)
            if src >= s.count { return nil }
            if c != UInt8(ascii: "'") {
                out.append(c)
                continue
            }
            src += 1
            if src >= s.count { return (out, nil) }
            if at(src) == UInt8(ascii: "\\"), at(src + 1) == UInt8(ascii: "'") || at(src + 1) == UInt8(ascii: "!"),
               at(src + 2) == UInt8(ascii: "'") {
                out.append(at(src + 1))
                src += 2
                continue
            }
            return (out, src)
        }
    }

    /// strtoul(3), base 10, as git checks GIT_CONFIG_COUNT: the whole text is the number
    /// (an empty text is 0); a negative number wraps around to a huge one.
    static func strtoul(_ text: [UInt8]) -> UInt64? {
        if text.isEmpty { return 0 }
        var i = 0
        while i < text.count, GitASCII.isSpace(text[i]) || text[i] == 0x0B || text[i] == 0x0C { i += 1 }
        var negative = false
        if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < text.count else { return nil }
        var n: UInt64 = 0
        for c in text[i...] {
            guard GitASCII.isDigit(c) else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
            n = (o1 || o2) ? UInt64.max : s
        }
        return negative ? 0 &- n : n
    }

    /// `GIT_CONFIG` alone: the file as `git config` reads it then, without includes;
    /// one that cannot be opened gives nothing.
    static func readAlone(_ file: [UInt8], _ sink: Sink) throws(GitConfigFailure) {
        guard case .bytes(let b) = GitFiles.read(file) else { return }
        do {
            try GitConfigParser.parse(b) { (key: [UInt8], value: [UInt8]?) throws(GitConfigFailure) in
                try sink(key, value)
            }
        } catch {
            switch error {
            case .syntax(let line):
                throw GitConfigFailure("bad config line \(line) in file \(String(decoding: file, as: UTF8.self))")
            case .entry(let e): throw e
            }
        }
    }
}
