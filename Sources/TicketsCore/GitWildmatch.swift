/// git's wildmatch.c, the glob of `includeIf "gitdir:..."`, `onbranch:` and `hasconfig:`
/// patterns (git-config(1) Conditional includes): `?`, `*`, `[...]` with ranges, `!`/`^`
/// negation and `[:class:]`, `\` escapes, and with `pathname` a `*` that stops at '/'
/// while `**` between slashes (or at either end) crosses any number of folders.
/// A line-by-line port, so the corner cases (a `*` before a literal, "abort" results that
/// stop the backtracking) behave as in git.
enum GitWildmatch {
    private enum Outcome: Equatable { case match, noMatch, abortAll, abortToStarStar }

    static func matches(_ pattern: some Collection<UInt8>, _ text: some Collection<UInt8>,
                        pathname: Bool, caseFold: Bool = false) -> Bool {
        let p = Array(pattern), t = Array(text)
        return dowild(p, 0, t, 0, pathname: pathname, caseFold: caseFold) == .match
    }

    private static func isGlobSpecial(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "*") || c == UInt8(ascii: "?") || c == UInt8(ascii: "[") || c == UInt8(ascii: "\\")
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private static func dowild(_ pat: [UInt8], _ p0: Int, _ txt: [UInt8], _ t0: Int,
                               pathname: Bool, caseFold: Bool) -> Outcome {
        // C strings: reading past the end gives NUL.
        func P(_ i: Int) -> UInt8 { i < pat.count ? pat[i] : 0 }
        func T(_ i: Int) -> UInt8 { i < txt.count ? txt[i] : 0 }
        func fold(_ c: UInt8) -> UInt8 { caseFold && GitASCII.isUpper(c) ? GitASCII.lower(c) : c }
        func textHasSlash(from i: Int) -> Int? {
            var k = i
            while k < txt.count { if txt[k] == GitASCII.slash { return k }; k += 1 }
            return nil
        }
        let star = UInt8(ascii: "*"), slash = GitASCII.slash, bslash = UInt8(ascii: "\\")
        var p = p0, t = t0
        while P(p) != 0 {
            defer { t += 1; p += 1 }
            var pch = P(p)
            var tch = T(t)
            if tch == 0 && pch != star { return .abortAll }
            tch = fold(tch)
            pch = fold(pch)
            if pch == bslash || (pch != UInt8(ascii: "?") && pch != star && pch != UInt8(ascii: "[")) {
                if pch == bslash {
                    // Literal match with the next character (a trailing backslash fails below).
                    p += 1
                    pch = P(p)
                }
                if tch != pch { return .noMatch }
                continue
            }
            switch pch {
            case UInt8(ascii: "?"):
                if pathname && tch == slash { return .noMatch }
                continue
            case star:
                var matchSlash: Bool
                p += 1
                if P(p) == star {
                    let prev = p - 2
                    p += 1
                    while P(p) == star { p += 1 }
                    if !pathname {
                        matchSlash = true
                    } else if (prev < p0 || pat[prev] == slash) &&
                                (P(p) == 0 || P(p) == slash || (P(p) == bslash && P(p + 1) == slash)) {
                        // "foo/**/bar" matches "foo/bar" too: try "**/" as nothing.
                        if P(p) == slash && dowild(pat, p + 1, txt, t, pathname: pathname, caseFold: caseFold) == .match {
                            return .match
                        }
                        matchSlash = true
                    } else {
                        matchSlash = false
                    }
                } else {
                    matchSlash = !pathname
                }
                if P(p) == 0 {
                    // A trailing "**" matches everything, a trailing "*" up to a '/'.
                    if !matchSlash && textHasSlash(from: t) != nil { return .noMatch }
                    return .match
                } else if !matchSlash && P(p) == slash {
                    // One '*' then '/': skip to the next folder of the text.
                    guard let s = textHasSlash(from: t) else { return .noMatch }
                    t = s
                    continue
                }
                while true {
                    if tch == 0 { break }
                    // A literal after the star: skip ahead to where it occurs.
                    if !isGlobSpecial(P(p)) {
                        let lit = fold(P(p))
                        while true {
                            tch = T(t)
                            if tch == 0 || (!matchSlash && tch == slash) { break }
                            tch = fold(tch)
                            if tch == lit { break }
                            t += 1
                        }
                        if tch != lit { return .noMatch }
                    }
                    let matched = dowild(pat, p, txt, t, pathname: pathname, caseFold: caseFold)
                    if matched != .noMatch {
                        if !matchSlash || matched != .abortToStarStar { return matched }
                    } else if !matchSlash && tch == slash {
                        return .abortToStarStar
                    }
                    t += 1
                    tch = T(t)
                }
                return .abortAll
            default:  // '['
                p += 1
                pch = P(p)
                if pch == UInt8(ascii: "^") { pch = UInt8(ascii: "!") }
                let negated = pch == UInt8(ascii: "!")
                if negated {
                    p += 1
                    pch = P(p)
                }
                var prev: UInt8 = 0
                var matched = false
                repeat {
                    if pch == 0 { return .abortAll }
                    if pch == bslash {
                        p += 1
                        pch = P(p)
                        if pch == 0 { return .abortAll }
                        if tch == pch { matched = true }
                    } else if pch == UInt8(ascii: "-") && prev != 0 && P(p + 1) != 0 && P(p + 1) != UInt8(ascii: "]") {
                        p += 1
                        pch = P(p)
                        if pch == bslash {
                            p += 1
                            pch = P(p)
                            if pch == 0 { return .abortAll }
                        }
                        if tch <= pch && tch >= prev {
                            matched = true
                        } else if caseFold && GitASCII.isLower(tch) {
                            let up = GitASCII.upper(tch)
                            if up <= pch && up >= prev { matched = true }
                        }
                        pch = 0  // so that prev becomes 0
                    } else if pch == UInt8(ascii: "[") && P(p + 1) == UInt8(ascii: ":") {
                        p += 2
                        let s = p
                        while P(p) != 0 && P(p) != UInt8(ascii: "]") { p += 1 }
                        if P(p) == 0 { return .abortAll }
                        let i = p - s - 1
                        if i < 0 || P(p - 1) != UInt8(ascii: ":") {
                            // No ":]": a plain '[' in the set.
                            p = s - 2
                            pch = UInt8(ascii: "[")
                            if tch == pch { matched = true }
                            prev = pch
                            p += 1
                            pch = P(p)
                            continue
                        }
                        guard let inClass = classMatch(pat[s..<(s + i)], tch, caseFold: caseFold) else { return .abortAll }
                        if inClass { matched = true }
                        pch = 0
                    } else if tch == pch {
                        matched = true
                    }
                    prev = pch
                    p += 1
                    pch = P(p)
                } while pch != UInt8(ascii: "]")
                if matched == negated || (pathname && tch == slash) { return .noMatch }
                continue
            }
        }
        return t < txt.count && T(t) != 0 ? .noMatch : .match
    }

    /// `[:name:]` against one character; nil for an unknown class (a malformed pattern).
    private static func classMatch(_ name: ArraySlice<UInt8>, _ c: UInt8, caseFold: Bool) -> Bool? {
        let isPrint = c >= 0x20 && c <= 0x7E
        let isAlnum = GitASCII.isAlpha(c) || GitASCII.isDigit(c)
        switch String(decoding: name, as: UTF8.self) {
        case "alnum": return isAlnum
        case "alpha": return GitASCII.isAlpha(c)
        case "blank": return c == 0x20 || c == 0x09
        case "cntrl": return c < 0x20 || c == 0x7F
        case "digit": return GitASCII.isDigit(c)
        case "graph": return isPrint && c != 0x20
        case "lower": return GitASCII.isLower(c)
        case "print": return isPrint
        case "punct": return isPrint && c != 0x20 && !isAlnum
        case "space": return GitASCII.isSpace(c)
        case "upper": return GitASCII.isUpper(c) || (caseFold && GitASCII.isLower(c))
        case "xdigit": return GitASCII.hexDigit(c) != nil
        default: return nil
        }
    }
}
