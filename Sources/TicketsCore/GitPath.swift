import Glibc

/// git's locale-independent ctype (git-compat-util.h, ctype.c): ASCII only, and "space"
/// is exactly tab, LF, CR and space (not VT or FF).
enum GitASCII {
    static let slash = UInt8(ascii: "/")

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    /// A character of a section or variable name: alphanumeric or '-'.
    static func isKeyChar(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) || c == 0x2D }
    static func lower(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
    static func upper(_ c: UInt8) -> UInt8 { isLower(c) ? c & ~0x20 : c }

    static func hasPrefix(_ s: some Collection<UInt8>, _ prefix: String) -> Bool {
        s.starts(with: prefix.utf8)
    }

    /// strcasecmp(3) against an ASCII word.
    static func equalsIgnoringCase(_ s: some Collection<UInt8>, _ word: String) -> Bool {
        s.count == word.utf8.count && zip(s, word.utf8).allSatisfy { lower($0) == lower($1) }
    }

    /// git's "is a boolean" (config.c, git_parse_maybe_bool): true/yes/on, false/no/off/"",
    /// or an integer (non-zero is true); nil when it is none of those. A missing value
    /// (a key written without '=') is true.
    static func parseBool(_ value: [UInt8]?) -> Bool? {
        guard let value else { return true }
        if value.isEmpty { return false }
        for word in ["true", "yes", "on"] where equalsIgnoringCase(value, word) { return true }
        for word in ["false", "no", "off"] where equalsIgnoringCase(value, word) { return false }
        return parseInt(value).map { $0 != 0 }
    }

    /// git_parse_int: strtoimax with base 0 (0x.., 0..), an optional k/m/g unit, within int.
    static func parseInt(_ value: [UInt8]) -> Int? {
        var i = 0
        // strtoimax skips C isspace, which also has VT and FF.
        while i < value.count, isSpace(value[i]) || value[i] == 0x0B || value[i] == 0x0C { i += 1 }
        var negative = false
        if i < value.count, value[i] == UInt8(ascii: "+") || value[i] == UInt8(ascii: "-") {
            negative = value[i] == UInt8(ascii: "-")
            i += 1
        }
        var base = 10
        if i + 1 < value.count, value[i] == 0x30, lower(value[i + 1]) == UInt8(ascii: "x"),
           i + 2 < value.count, hexDigit(value[i + 2]) != nil {
            base = 16
            i += 2
        } else if i < value.count, value[i] == 0x30 {
            base = 8
        }
        let start = i
        var magnitude = 0
        while i < value.count, let d = hexDigit(value[i]), d < base {
            magnitude = min(magnitude * base + d, Int(Int64.max / 16))
            i += 1
        }
        guard i > start else { return nil }
        let unit = value[i...]
        let factor: Int
        if unit.isEmpty { factor = 1 }
        else if equalsIgnoringCase(unit, "k") { factor = 1024 }
        else if equalsIgnoringCase(unit, "m") { factor = 1024 * 1024 }
        else if equalsIgnoringCase(unit, "g") { factor = 1024 * 1024 * 1024 }
        else { return nil }
        let limit = Int(Int32.max)
        guard magnitude <= limit / factor else { return nil }
        return (negative ? -magnitude : magnitude) * factor
    }

    static func hexDigit(_ c: UInt8) -> Int? {
        if isDigit(c) { return Int(c - 0x30) }
        let l = lower(c)
        return l >= 0x61 && l <= 0x66 ? Int(l - 0x61 + 10) : nil
    }
}

/// Path arithmetic as git does it on strings (path.c, abspath.c, strbuf.c): paths are
/// bytes, '/' is the only separator, and nothing is resolved unless a function says so.
enum GitPath {
    static let slash = GitASCII.slash

    static func isAbsolute(_ p: some Collection<UInt8>) -> Bool { p.first == slash }

    /// `path` taken relative to `base` when it is not absolute, the way the kernel would
    /// resolve it with `base` as the current directory.
    static func resolve(_ path: [UInt8], in base: [UInt8]) -> [UInt8] {
        // The empty path names nothing (ENOENT), not the base folder.
        if isAbsolute(path) || path.isEmpty { return path }
        var out = base
        if out.last != slash { out.append(slash) }
        out += path
        return out
    }

    /// Everything up to and including the last '/', or empty (find_last_dir_sep).
    static func directoryPrefix(_ path: [UInt8]) -> ArraySlice<UInt8> {
        guard let slash = path.lastIndex(of: slash) else { return [] }
        return path[...slash]
    }

    /// normalize_path_copy(): drops "." and empty components and folds "..", without
    /// looking at the file system; nil when ".." climbs above the start.
    static func normalize(_ src: [UInt8]) -> [UInt8]? {
        func at(_ k: Int) -> UInt8 { k < src.count ? src[k] : 0 }
        var dst = [UInt8]()
        dst.reserveCapacity(src.count)
        var i = 0
        if at(0) == slash { dst.append(slash); i = 1 }
        let dst0 = dst.count
        while at(i) == slash { i += 1 }
        while true {
            var upOne = false
            if at(i) == UInt8(ascii: ".") {
                if at(i + 1) == 0 {
                    i += 1
                } else if at(i + 1) == slash {
                    i += 2
                    while at(i) == slash { i += 1 }
                    continue
                } else if at(i + 1) == UInt8(ascii: ".") {
                    if at(i + 2) == 0 {
                        i += 2
                        upOne = true
                    } else if at(i + 2) == slash {
                        i += 3
                        while at(i) == slash { i += 1 }
                        upOne = true
                    }
                }
            }
            if upOne {
                // dst ends with '/': drop it and the component before it.
                var len = dst.count - 1
                if len <= dst0 { return nil }
                while dst0 < len && dst[len - 1] != slash { len -= 1 }
                dst.removeSubrange(len...)
                continue
            }
            var c = at(i); i += 1
            while c != 0 && c != slash { dst.append(c); c = at(i); i += 1 }
            if c == slash {
                dst.append(slash)
                while c == slash { c = at(i); i += 1 }
                i -= 1
            } else {
                break
            }
        }
        return dst
    }

    /// strbuf_realpath(): absolute, symbolic links resolved, "." and ".." folded. Only
    /// the last component may be missing unless `manyMissing`; nil on any other error.
    /// Relative paths start from `cwd` (git's current directory). One lstat a component.
    static func realPath(_ path: [UInt8], cwd: [UInt8], manyMissing: Bool = false) -> [UInt8]? {
        if path.isEmpty { return nil }
        var remaining = ArraySlice(path)
        var resolved: [UInt8]
        if isAbsolute(path) {
            resolved = [slash]
            remaining = remaining.dropFirst()
        } else {
            resolved = cwd
        }
        var symlinks = 0
        while !remaining.isEmpty {
            while remaining.first == slash { remaining = remaining.dropFirst() }
            let end = remaining.firstIndex(of: slash) ?? remaining.endIndex
            let next = remaining[remaining.startIndex..<end]
            remaining = remaining[end...]
            if next.isEmpty || next.elementsEqual([UInt8(ascii: ".")]) { continue }
            if next.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                stripLastComponent(&resolved)
                continue
            }
            if resolved.last != slash { resolved.append(slash) }
            resolved += next
            var st = stat()
            let failed = GitFiles.withCPath(resolved) { lstat($0, &st) } != 0
            if failed {
                if errno != ENOENT || (!manyMissing && !remaining.isEmpty) { return nil }
                continue
            }
            guard GitFiles.isSymlink(st) else { continue }
            if symlinks > 32 { return nil }  // MAXSYMLINKS
            symlinks += 1
            guard var target = GitFiles.readlink(resolved) else { return nil }
            if isAbsolute(target) {
                resolved = [slash]
                target.removeFirst()
            } else {
                stripLastComponent(&resolved)
            }
            if !remaining.isEmpty {
                target.append(slash)
                target += remaining
            }
            remaining = ArraySlice(target)
        }
        return resolved
    }

    private static func stripLastComponent(_ path: inout [UInt8]) {
        let offset = isAbsolute(path) ? 1 : 0
        var len = path.count
        while offset < len && path[len - 1] != slash { len -= 1 }
        while offset < len && path[len - 1] == slash { len -= 1 }
        path.removeSubrange(len...)
    }

    /// strbuf_add_absolute_path(): a relative path joined to the current directory, or to
    /// $PWD when that names the same directory (so a symlinked ~/work stays ~/work).
    static func absolute(_ path: [UInt8], cwd: [UInt8], pwd: String?) -> [UInt8] {
        if isAbsolute(path) { return path }
        var base = cwd
        if let pwd, !pwd.utf8.elementsEqual(cwd), let c = GitFiles.fileStatus(cwd), c.st_dev != 0 || c.st_ino != 0,
           let p = GitFiles.fileStatus(Array(pwd.utf8)), p.st_dev == c.st_dev, p.st_ino == c.st_ino {
            base = Array(pwd.utf8)
        }
        if !base.isEmpty && base.last != slash { base.append(slash) }
        return base + path
    }

    /// dir_inside_of(): the offset of the part of `subdir` below `dir`, or nil when it is
    /// not inside (0 when they are the same).
    static func offsetInside(_ subdir: [UInt8], _ dir: [UInt8]) -> Int? {
        var i = 0
        while i < dir.count && i < subdir.count && dir[i] == subdir[i] { i += 1 }
        if i < dir.count && i < subdir.count { return nil }
        if i == subdir.count { return i == dir.count ? i : nil }
        if i > 0 && dir[i - 1] == slash { return subdir[i - 1] == slash ? i : nil }
        return i == dir.count && subdir[i] == slash ? i + 1 : nil
    }

    /// interpolate_path(): "%(prefix)/" and "~/" or "~user/" expanded; nil when $HOME is
    /// unset or the user unknown (git then keeps or rejects the path, by caller). With
    /// `realHome` the home folder is resolved too, and a home that cannot be is fatal.
    static func interpolate(_ path: [UInt8], environment: GitEnvironment, cwd: [UInt8],
                            realHome: Bool) throws(GitConfigFailure) -> [UInt8]? {
        if GitASCII.hasPrefix(path, "%(prefix)/") {
            let rest = Array(path.dropFirst(10))
            // system_path(): this build's prefix, /usr for Debian's and most Linux gits.
            return isAbsolute(rest) ? rest : Array("/usr/".utf8) + rest
        }
        guard path.first == UInt8(ascii: "~") else { return path }
        let firstSlash = path.firstIndex(of: slash) ?? path.endIndex
        let user = path[1..<firstSlash]
        var home: [UInt8]
        if user.isEmpty {
            guard let h = environment.bytes("HOME") else { return nil }
            home = h
            if realHome {
                guard let real = realPath(h, cwd: cwd) else {
                    throw GitConfigFailure("cannot resolve the home folder '\(String(decoding: h, as: UTF8.self))'")
                }
                home = real
            }
        } else {
            guard let h = homeOfUser(Array(user)) else { return nil }
            home = h
        }
        return home + path[firstSlash...]
    }

    /// The home folder of a user name from /etc/passwd. git asks getpwnam(3); a static
    /// executable cannot load NSS modules, so users known only to LDAP and the like are
    /// not found here.
    static func homeOfUser(_ name: [UInt8]) -> [UInt8]? {
        guard case .bytes(let passwd) = GitFiles.read(Array("/etc/passwd".utf8)) else { return nil }
        for line in passwd.split(separator: 0x0A) {
            let fields = line.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            if fields.count >= 6, fields[0].elementsEqual(name) { return Array(fields[5]) }
        }
        return nil
    }
}
