import Glibc

/// Just enough of git's files ref backend (refs.c, refs/files-backend.c) for
/// `includeIf "onbranch:..."`: which branch HEAD names, following symbolic refs.
struct GitRefs {
    /// The repository's git dir (per-worktree refs such as HEAD) and common dir (branches),
    /// both as the kernel will resolve them from git's current directory.
    let gitDir: [UInt8]
    let commonDir: [UInt8]
    /// 40 for SHA-1 repositories, 64 for SHA-256 (`extensions.objectFormat`).
    let hexLength: Int

    /// resolve_ref_unsafe("HEAD", 0): when HEAD is a symbolic ref that ends (at most five
    /// links on, existing or not: an unborn branch counts) at `refs/heads/<name>`, that
    /// name; nil for a detached or unreadable HEAD.
    func headBranch() -> ArraySlice<UInt8>? {
        var name = Array("HEAD".utf8)
        var symbolic = false
        for _ in 0..<5 {
            switch readRaw(name) {
            case .missing, .object:
                break
            case .broken:
                return nil
            case .symbolic(let target):
                guard GitRefs.isValidName(target, allowOneLevel: true) else { return nil }
                symbolic = true
                name = target
                continue
            }
            let heads = "refs/heads/".utf8
            guard symbolic, name.starts(with: heads) else { return nil }
            return name[heads.count...]
        }
        return nil
    }

    private enum Raw {
        case missing, object, broken
        case symbolic([UInt8])
    }

    /// files_read_raw_ref() for one name, loose refs only: a packed ref is never symbolic,
    /// and to the caller a missing ref and a plain one end the walk alike.
    private func readRaw(_ name: [UInt8]) -> Raw {
        let path = location(of: name)
        guard let st = GitFiles.linkStatus(path) else {
            // ENOENT and ENOTDIR are a missing ref; anything else makes git give up.
            return errno == ENOENT || errno == ENOTDIR ? .missing : .broken
        }
        if GitFiles.isSymlink(st), let target = GitFiles.readlink(path),
           GitASCII.hasPrefix(target, "refs/"), GitRefs.isValidName(target, allowOneLevel: false) {
            return .symbolic(target)
        }
        if GitFiles.isDirectory(st) { return .missing }
        let contents: [UInt8]
        switch GitFiles.read(path) {
        case .bytes(let b): contents = b
        case .missing: return .missing
        default: return .broken
        }
        var end = contents.count
        while end > 0 && GitASCII.isSpace(contents[end - 1]) { end -= 1 }
        let text = contents[..<end]
        if GitASCII.hasPrefix(text, "ref:") {
            var i = text.startIndex + 4
            while i < end && GitASCII.isSpace(text[i]) { i += 1 }
            return .symbolic(Array(text[i...]))
        }
        // An object name, then the end or white space (FETCH_HEAD has more after it).
        guard text.count >= hexLength, text.prefix(hexLength).allSatisfy({ GitASCII.hexDigit($0) != nil }),
              text.count == hexLength || GitASCII.isSpace(text[hexLength]) else { return .broken }
        return .object
    }

    /// files_ref_path(): per-worktree refs (HEAD, pseudorefs, refs/bisect/ and friends)
    /// live in the git dir, `main-worktree/` and `worktrees/<id>/` reach other worktrees,
    /// everything else is in the common dir.
    private func location(of name: [UInt8]) -> [UInt8] {
        let sep = [GitASCII.slash]
        let worktrees = "worktrees/".utf8
        if name.starts(with: worktrees) {
            let rest = name[worktrees.count...]
            if let slash = rest.firstIndex(of: GitASCII.slash) {
                let bare = name[(slash + 1)...]
                if GitRefs.isCurrentWorktreeRef(bare) {
                    return commonDir + Array("/worktrees/".utf8) + rest[..<slash] + sep + bare
                }
            } else {
                return commonDir + Array("/worktrees/".utf8) + rest + sep
            }
        }
        let main = "main-worktree/".utf8
        if name.starts(with: main), GitRefs.isCurrentWorktreeRef(name[main.count...]) {
            return commonDir + sep + name[main.count...]
        }
        return (GitRefs.isCurrentWorktreeRef(name[...]) ? gitDir : commonDir) + sep + name
    }

    private static func isCurrentWorktreeRef(_ name: ArraySlice<UInt8>) -> Bool {
        // Pseudoref syntax (HEAD, FETCH_HEAD, ...): upper case, '-' and '_' only.
        if name.allSatisfy({ GitASCII.isUpper($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) { return true }
        return ["refs/worktree/", "refs/bisect/", "refs/rewritten/"].contains { name.starts(with: $0.utf8) }
    }

    /// check_refname_format(): no empty component or one starting with '.', no "..",
    /// "@{", control characters, space, `~^:?*[\`, no ".lock" at a component's end, not
    /// "@", not ending with '.'; one component only with `allowOneLevel`.
    static func isValidName(_ name: [UInt8], allowOneLevel: Bool) -> Bool {
        if name == [UInt8(ascii: "@")] { return false }
        var components = 0
        var start = 0
        while true {
            var i = start
            var last: UInt8 = 0
            while i < name.count && name[i] != GitASCII.slash {
                let c = name[i]
                if c < 0x20 || c == 0x7F || c == 0x20 || c == 0x09 || "~^:?*[\\".utf8.contains(c) { return false }
                if c == UInt8(ascii: ".") && last == UInt8(ascii: ".") { return false }
                if c == UInt8(ascii: "{") && last == UInt8(ascii: "@") { return false }
                last = c
                i += 1
            }
            let component = name[start..<i]
            if component.isEmpty || component.first == UInt8(ascii: ".") || component.reversed().starts(with: "kcol.".utf8) {
                return false
            }
            components += 1
            if i == name.count {
                if component.last == UInt8(ascii: ".") { return false }
                break
            }
            start = i + 1
        }
        return allowOneLevel || components >= 2
    }
}
