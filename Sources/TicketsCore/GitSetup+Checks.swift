import Glibc

/// The checks of a candidate repository (setup.c): git dir signature, `.git` files,
/// common dir, repository format, and ownership.
extension GitSetup {
    /// The repository format fields setup looks at (struct repository_format).
    struct Format {
        var version = -1
        var worktreeConfig = false
        var isBare: Bool?
        var workTree: [UInt8]?
        var unknownExtension = false
        var v1OnlyExtension = false
        var hexLength = 40
    }

    enum GitFile {
        case missing, notAFile
        case target([UInt8])
    }

    /// read_gitfile_gently() as setup calls it, dying on errors: a regular `.git` file
    /// must read `gitdir: <path>` (relative to the file's folder) naming a git dir;
    /// `.missing` when nothing is there, `.notAFile` for a folder and the like.
    func readGitFile(_ file: [UInt8]) throws(GitConfigFailure) -> GitFile {
        let name = String(decoding: file, as: UTF8.self)
        guard let st = GitFiles.fileStatus(path(file)) else { return .missing }
        guard GitFiles.isRegular(st) else { return .notAFile }
        guard st.st_size <= 1 << 20 else { throw GitConfigFailure("too large to be a .git file: '\(name)'") }
        guard case .bytes(let b) = GitFiles.read(path(file)), b.count == Int(st.st_size) else {
            throw GitConfigFailure("error reading \(name)")
        }
        guard GitASCII.hasPrefix(b, "gitdir: ") else { throw GitConfigFailure("invalid gitfile format: \(name)") }
        var end = b.count
        while b[end - 1] == 0x0A || b[end - 1] == 0x0D { end -= 1 }
        guard end >= 9 else { throw GitConfigFailure("no path in gitfile: \(name)") }
        var dir = b[8..<end]
        if let nul = dir.firstIndex(of: 0) { dir = dir[..<nul] }
        var target = Array(dir)
        if !GitPath.isAbsolute(target), let slash = file.lastIndex(of: GitASCII.slash) {
            target = Array(file[...slash]) + target
        }
        guard try isGitDirectory(target) else {
            throw GitConfigFailure("not a git repository: \(String(decoding: target, as: UTF8.self))")
        }
        return .target(try real(target))
    }

    /// is_git_directory(): a valid HEAD here, `objects` (or `GIT_OBJECT_DIRECTORY`) and
    /// `refs` in the common dir.
    func isGitDirectory(_ suspect: [UInt8]) throws(GitConfigFailure) -> Bool {
        var head = suspect
        if !head.isEmpty && head.last != GitASCII.slash { head.append(GitASCII.slash) }
        head += Array("HEAD".utf8)
        guard validHead(path(head)) else { return false }
        let common: [UInt8]
        if let env = environment.bytes("GIT_COMMON_DIR") { common = env } else { common = try commonDirWithoutEnvironment(suspect).dir }
        let objects = environment.bytes("GIT_OBJECT_DIRECTORY") ?? common + Array("/objects".utf8)
        return GitFiles.access(path(objects), X_OK) == 0 && GitFiles.access(path(common + Array("/refs".utf8)), X_OK) == 0
    }

    /// validate_headref(): a symlink into refs/, `ref: refs/...`, or an object name.
    private func validHead(_ head: [UInt8]) -> Bool {
        guard let st = GitFiles.linkStatus(head) else { return false }
        if GitFiles.isSymlink(st) {
            guard let target = GitFiles.readlink(head) else { return false }
            return GitASCII.hasPrefix(target, "refs/")
        }
        guard case .bytes(let all) = GitFiles.read(head) else { return false }
        let b = all.prefix(255)
        if GitASCII.hasPrefix(b, "ref:") {
            let rest = b.dropFirst(4).drop(while: GitASCII.isSpace)
            return GitASCII.hasPrefix(rest, "refs/")
        }
        // get_oid_hex() with SHA-1, the hash before any repository is known.
        return b.count >= 40 && b.prefix(40).allSatisfy { GitASCII.hexDigit($0) != nil }
    }

    /// get_common_dir_noenv(): the resolved target of `<gitDir>/commondir` (relative to the
    /// git dir) for a linked worktree, else the git dir itself. Remembered per git dir:
    /// setup asks several times (by different spellings of the path), and git's answer
    /// cannot change within one run.
    func commonDirWithoutEnvironment(_ gitDir: [UInt8]) throws(GitConfigFailure) -> (dir: [UInt8], linked: Bool) {
        let key = path(gitDir)
        if let known = commonDirs[key] { return known.map { ($0, true) } ?? (gitDir, false) }
        let file = gitDir + Array("/commondir".utf8)
        var target: [UInt8]?
        switch GitFiles.read(path(file)) {
        case .missing:
            // git tests lstat() first; a dangling symlink named commondir would make it
            // fail where this reads it as absent.
            target = nil
        case .bytes(var data) where !data.isEmpty:
            while let last = data.last, last == 0x0A || last == 0x0D { data.removeLast() }
            if let nul = data.firstIndex(of: 0) { data.removeSubrange(nul...) }
            let full = GitPath.isAbsolute(data) ? data : gitDir + [GitASCII.slash] + data
            target = try real(full)
        default:
            throw GitConfigFailure("failed to read \(String(decoding: file, as: UTF8.self))")
        }
        commonDirs[key] = .some(target)
        return target.map { ($0, true) } ?? (gitDir, false)
    }

    /// check_repository_format_gently(): nil when git 2.39 cannot use the repository
    /// (version above 1, an unknown extension in version 1, a version-1 extension in
    /// version 0). `isBare` and `workTree` are set only where git applies them: for a
    /// repository that is not a linked worktree, or from `config.worktree`.
    func checkFormat(_ gitDir: [UInt8]) throws(GitConfigFailure) -> Format? {
        var linked: Bool
        let common: [UInt8]
        if let env = environment.bytes("GIT_COMMON_DIR") {
            (common, linked) = (env, true)
        } else {
            (common, linked) = try commonDirWithoutEnvironment(gitDir)
        }
        let configPath = path(common + Array("/config".utf8))
        let file = GitFiles.read(configPath)
        // The main read takes this file from here instead of reading it again.
        preread.append((configPath, file))
        var format = Format()
        if case .bytes(let b) = file { try parseFormat(b, name: configPath, into: &format) }
        // Without core.repositoryformatversion nothing is checked and nothing applies.
        if format.version < 0 { return Format() }
        if format.version > 1 || (format.version == 1 && format.unknownExtension)
            || (format.version == 0 && format.v1OnlyExtension) {
            return nil
        }
        if format.worktreeConfig {
            let worktreePath = path(gitDir + Array("/config.worktree".utf8))
            if case .bytes(let b) = GitFiles.read(worktreePath) {
                try parseFormat(b, name: worktreePath, into: &format, worktreeSettingsOnly: true)
            }
            linked = false
        }
        if linked {
            format.isBare = nil
            format.workTree = nil
        }
        return format
    }

    /// check_repo_format() and read_worktree_config() over one file (no includes).
    private func parseFormat(_ bytes: [UInt8], name: [UInt8], into format: inout Format,
                             worktreeSettingsOnly: Bool = false) throws(GitConfigFailure) {
        func bad(_ key: [UInt8], _ what: String) -> GitConfigFailure {
            GitConfigFailure("\(what) for '\(String(decoding: key, as: UTF8.self))' in \(String(decoding: name, as: UTF8.self))")
        }
        func bool(_ key: [UInt8], _ value: [UInt8]?) throws(GitConfigFailure) -> Bool {
            guard let b = GitASCII.parseBool(value) else { throw bad(key, "bad boolean config value") }
            return b
        }
        do {
            try GitConfigParser.parse(bytes) { (key: [UInt8], value: [UInt8]?) throws(GitConfigFailure) in
                let ext = "extensions.".utf8
                if !worktreeSettingsOnly && key.elementsEqual("core.repositoryformatversion".utf8) {
                    guard let value, let v = GitASCII.parseInt(value) else { throw bad(key, "bad numeric config value") }
                    format.version = v
                } else if !worktreeSettingsOnly && key.starts(with: ext) {
                    switch String(decoding: key[ext.count...], as: UTF8.self) {
                    case "noop": break
                    case "preciousobjects": _ = try bool(key, value)
                    case "partialclone":
                        // git copies the value with xstrdup(), which cannot take a missing one.
                        guard value != nil else { throw bad(key, "missing value") }
                    case "worktreeconfig": format.worktreeConfig = try bool(key, value)
                    case "noop-v1": format.v1OnlyExtension = true
                    case "objectformat":
                        guard let value, value.elementsEqual("sha1".utf8) || value.elementsEqual("sha256".utf8) else {
                            throw bad(key, "invalid value")
                        }
                        format.hexLength = value.count == 4 ? 40 : 64
                        format.v1OnlyExtension = true
                    default: format.unknownExtension = true
                    }
                } else if key.elementsEqual("core.bare".utf8) {
                    format.isBare = try bool(key, value)
                } else if key.elementsEqual("core.worktree".utf8) {
                    guard let value else { throw bad(key, "missing value") }
                    format.workTree = value
                }
            }
        } catch {
            switch error {
            case .syntax(let line):
                throw GitConfigFailure("bad config line \(line) in file \(String(decoding: name, as: UTF8.self))")
            case .entry(let e): throw e
            }
        }
    }

    // MARK: - Ownership

    /// ensure_valid_ownership(): every path given is owned by the user, or the protected
    /// config lists the work tree (or the bare git dir) in `safe.directory` (`*` for any;
    /// an empty value forgets the earlier ones).
    func ensureValidOwnership(gitFile: [UInt8]?, workTree: [UInt8]?, gitDir: [UInt8]?) throws(GitConfigFailure) -> Bool {
        if try !environment.bool("GIT_TEST_ASSUME_DIFFERENT_OWNER", default: false),
           [gitFile, workTree, gitDir].allSatisfy({ $0.map(isOwned) ?? true }) {
            return true
        }
        let target = workTree ?? gitDir ?? []
        var safe = false
        for (key, value) in try protectedConfig() where key.elementsEqual("safe.directory".utf8) {
            guard let value, !value.isEmpty else {
                safe = false
                continue
            }
            if value == [UInt8(ascii: "*")] {
                safe = true
                continue
            }
            guard let expanded = try GitPath.interpolate(value, environment: environment, cwd: gitCwd, realHome: false) else {
                throw GitConfigFailure("failed to expand user dir in: '\(String(decoding: value, as: UTF8.self))'")
            }
            if expanded == target { safe = true }
        }
        return safe
    }

    /// is_path_owned_by_current_uid(): lstat's owner is the effective user; for root also
    /// the user in SUDO_UID.
    private func isOwned(_ p: [UInt8]) -> Bool {
        guard let st = GitFiles.linkStatus(p) else { return false }
        var uid = effectiveUID
        if uid == 0 {
            if st.st_uid == 0 { return true }
            if let sudo = environment.bytes("SUDO_UID"), let id = GitSetup.strtoulUID(sudo) { uid = id }
        }
        return st.st_uid == uid
    }

    /// strtoul(3) as extract_id_from_env() takes it: the whole text a number.
    static func strtoulUID(_ text: [UInt8]) -> uid_t? {
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
            if o1 || o2 { return nil }
            n = s
        }
        return uid_t(truncatingIfNeeded: negative ? 0 &- n : n)
    }

    /// get_allowed_bare_repo(): `safe.bareRepository` of the protected config is `all`
    /// (the default) or `explicit`; any other value is fatal.
    func protectedBareRepositoryIsExplicit() throws(GitConfigFailure) -> Bool {
        var explicit = false
        for (key, value) in try protectedConfig() where key.elementsEqual("safe.barerepository".utf8) {
            if let value, value.elementsEqual("explicit".utf8) {
                explicit = true
            } else if let value, value.elementsEqual("all".utf8) {
                explicit = false
            } else {
                throw GitConfigFailure("bad config variable 'safe.bareRepository'")
            }
        }
        return explicit
    }

    /// The protected configuration (system, global, command line; never the repository's),
    /// read once, when a check first needs it.
    private func protectedConfig() throws(GitConfigFailure) -> [([UInt8], [UInt8]?)] {
        if let protectedEntries { return protectedEntries }
        var entries: [([UInt8], [UInt8]?)] = []
        let context = GitConfigContext(environment: environment, cwd: gitCwd, gitDir: nil, commonDir: nil,
                                       worktreeConfig: false, refs: nil, preread: [])
        try GitConfigReader(context: context, scope: .protected).read { (key: [UInt8], value: [UInt8]?) throws(GitConfigFailure) in
            if key.elementsEqual("safe.directory".utf8) || key.elementsEqual("safe.barerepository".utf8) {
                entries.append((key, value))
            }
        }
        protectedEntries = entries
        return entries
    }
}
