import Glibc

/// Where the repository is, as `git config` finds it before reading anything: setup.c's
/// setup_git_directory_gently() of git 2.39, which never fails for want of a repository
/// but does stop (`fatal:`) on a broken `.git` file or config. In order:
///
/// - `GIT_DIR` names the git dir (or a `gitdir:` file); the work tree is `GIT_WORK_TREE`,
///   `core.worktree`, or the working directory.
/// - Otherwise each folder from the working directory up is tried: `.git` as a file
///   (`gitdir: <path>`, relative to the file), `.git` as a git dir, then the folder itself
///   as a bare repository. The walk stops below the longest `GIT_CEILING_DIRECTORIES`
///   entry that is a parent, and at a file system boundary unless
///   `GIT_DISCOVERY_ACROSS_FILESYSTEM` is true.
/// - A git dir needs a valid HEAD, an objects and a refs folder (in the `commondir` that a
///   linked worktree's git dir points to, or `GIT_COMMON_DIR`).
/// - The repository must be owned by the user (git's safe.directory check; root may use a
///   repository of `SUDO_UID`), or be listed in `safe.directory` of the protected config
///   (system, global, command line); a bare one found by walking is refused when
///   `safe.bareRepository` is `explicit`.
/// - Its `config` must have a format git 2.39 reads (`core.repositoryformatversion` at
///   most 1, known extensions); `extensions.worktreeConfig` turns on `config.worktree`.
///
/// A repository that fails these is no repository (git warns and reads the other files).
/// git then changes to the top of the work tree, which is where relative paths resolve.
final class GitSetup {
    let environment: GitEnvironment
    /// The working directory the command started in, absolute and physical.
    let cwd: [UInt8]
    /// git's current directory once set up (the work tree's top when found above `cwd`).
    private(set) var gitCwd: [UInt8]
    private(set) var repository: Repository?
    /// the_repository->gitdir, for `onbranch:`: a `GIT_DIR` that names no repository
    /// still sets it.
    private(set) var refs: GitRefs?
    /// Whether `cwd` is below the top of the work tree (git's "prefix").
    private(set) var hasPrefix = false
    /// Files setup already read (the repository's config), by absolute path.
    var preread: [([UInt8], GitFiles.Read)] = []
    /// safe.* entries of the protected config, once read.
    var protectedEntries: [([UInt8], [UInt8]?)]?
    /// The resolved commondir of each git dir (by absolute path), nil when it has none.
    var commonDirs: [[UInt8]: [UInt8]?] = [:]
    /// geteuid(), asked once.
    lazy var effectiveUID = geteuid()

    struct Repository {
        /// As git keeps it: may be relative to `gitCwd` (".git" for a discovered one).
        let gitDir: [UInt8]
        let commonDir: [UInt8]
        let worktreeConfig: Bool
    }

    private init(environment: GitEnvironment, cwd: [UInt8]) {
        self.environment = environment
        self.cwd = cwd
        gitCwd = cwd
    }

    static func run(environment: GitEnvironment, cwd: [UInt8]) throws(GitConfigFailure) -> GitSetup {
        let setup = GitSetup(environment: environment, cwd: cwd)
        if let gitDir = environment.bytes("GIT_DIR") {
            try setup.explicit(gitDir, fromEnvironment: true)
        } else {
            try setup.discover()
        }
        return setup
    }

    /// What `git config` reads with: the repository, and git's current directory.
    var mainContext: GitConfigContext {
        GitConfigContext(environment: environment, cwd: gitCwd, gitDir: repository?.gitDir,
                         commonDir: repository?.commonDir, worktreeConfig: repository?.worktreeConfig ?? false,
                         refs: refs, preread: preread)
    }

    /// A relative `GIT_CONFIG` is taken from where the command started.
    var configFileBase: [UInt8] { hasPrefix ? cwd : gitCwd }

    /// A path as the kernel would resolve it from git's current directory.
    func path(_ p: [UInt8]) -> [UInt8] { GitPath.resolve(p, in: gitCwd) }

    // MARK: - GIT_DIR

    /// setup_explicit_git_dir().
    private func explicit(_ given: [UInt8], fromEnvironment: Bool) throws(GitConfigFailure) {
        if given.isEmpty { return }  // GIT_DIR="": no repository (git would look for "HEAD" here)
        guard given.count <= Int(PATH_MAX) - 40 else { throw GitConfigFailure("'$GIT_DIR' too big") }
        var gitDir = given
        if case .target(let t) = try readGitFile(given) { gitDir = t }
        let refsIfNone = fromEnvironment ? gitDir : nil
        guard try isGitDirectory(gitDir) else { return try noRepository(refsGitDir: refsIfNone) }
        guard let format = try checkFormat(gitDir) else { return try noRepository(refsGitDir: refsIfNone) }
        let workTree: [UInt8]
        if let env = environment.bytes("GIT_WORK_TREE") {
            workTree = try real(env)
        } else if format.isBare == true {
            return try found(gitDir: gitDir, format: format)
        } else if let configured = format.workTree {
            if GitPath.isAbsolute(configured) {
                workTree = try real(configured)
            } else {
                // git changes into the git dir, then into core.worktree, and asks getcwd().
                let dir = try real(GitPath.resolve(configured, in: path(gitDir)))
                guard let st = GitFiles.fileStatus(dir), GitFiles.isDirectory(st) else {
                    throw GitConfigFailure("cannot chdir to '\(String(decoding: configured, as: UTF8.self))'")
                }
                workTree = dir
            }
        } else if try !environment.bool("GIT_IMPLICIT_WORK_TREE", default: true) {
            return try found(gitDir: gitDir, format: format)
        } else {
            workTree = cwd
        }
        if cwd != workTree, let offset = GitPath.offsetInside(cwd, workTree), offset < cwd.count {
            let absolute = try real(gitDir)
            gitCwd = workTree
            hasPrefix = true
            return try found(gitDir: absolute, format: format)
        }
        try found(gitDir: gitDir, format: format)
    }

    // MARK: - Discovery

    /// setup_git_directory_gently_1() and what setup_git_directory_gently() does with its
    /// answer.
    private func discover() throws(GitConfigFailure) {
        var ceiling = -1
        if let list = environment["GIT_CEILING_DIRECTORIES"] {
            ceiling = longestCeiling(list)
        }
        let minOffset = 1
        if ceiling < 0 { ceiling = minOffset - 2 }
        var dir = cwd
        let oneFileSystem = try !environment.bool("GIT_DISCOVERY_ACROSS_FILESYSTEM", default: false)
        let device = oneFileSystem ? try deviceOf(dir) : 0
        while true {
            var candidate = dir
            if dir.count > minOffset { candidate.append(GitASCII.slash) }
            candidate += Array(".git".utf8)
            switch try readGitFile(candidate) {
            case .target(let target):
                guard try ensureValidOwnership(gitFile: candidate, workTree: dir, gitDir: target) else { return }
                return try discovered(gitDir: target, at: dir)
            case .notAFile:
                if try isGitDirectory(candidate) {
                    guard try ensureValidOwnership(gitFile: nil, workTree: dir, gitDir: candidate) else { return }
                    return try discovered(gitDir: Array(".git".utf8), at: dir)
                }
            case .missing:
                break  // git also asks is_git_directory(), which cannot hold for a missing path
            }
            if try isGitDirectory(dir) {
                if try protectedBareRepositoryIsExplicit() { return }
                guard try ensureValidOwnership(gitFile: nil, workTree: nil, gitDir: dir) else { return }
                return try bare(at: dir)
            }
            var offset = dir.count
            if offset <= minOffset { return }
            repeat { offset -= 1 } while offset > ceiling && dir[offset] != GitASCII.slash
            if offset <= ceiling { return }
            dir.removeSubrange(max(offset, minOffset)...)
            if oneFileSystem, try deviceOf(dir) != device { return }
        }
    }

    /// setup_discovered_git_dir(): git has changed to `dir`.
    private func discovered(gitDir: [UInt8], at dir: [UInt8]) throws(GitConfigFailure) {
        gitCwd = dir
        guard let format = try checkFormat(gitDir) else { return try noRepository(refsGitDir: nil) }
        if environment["GIT_WORK_TREE"] != nil || format.workTree != nil {
            var g = gitDir
            if dir.count != cwd.count && !GitPath.isAbsolute(g) { g = try real(g) }
            gitCwd = cwd
            return try explicit(g, fromEnvironment: false)
        }
        if format.isBare == true {
            let g = dir.count != cwd.count ? try real(gitDir) : gitDir
            gitCwd = cwd
            return try found(gitDir: g, format: format)
        }
        hasPrefix = dir.count < cwd.count
        try found(gitDir: gitDir, format: format)
    }

    /// setup_bare_git_dir(): git has changed to `dir`.
    private func bare(at dir: [UInt8]) throws(GitConfigFailure) {
        gitCwd = dir
        let here = [UInt8(ascii: ".")]
        guard let format = try checkFormat(here) else { return try noRepository(refsGitDir: nil) }
        let gitDir = dir.count == cwd.count ? here : dir
        gitCwd = cwd
        if environment["GIT_WORK_TREE"] != nil || format.workTree != nil {
            return try explicit(gitDir, fromEnvironment: false)
        }
        try found(gitDir: gitDir, format: format)
    }

    /// setup_git_env(): the repository's common dir, and its refs for `onbranch:`.
    private func found(gitDir: [UInt8], format: Format) throws(GitConfigFailure) {
        let ownCommon = try commonDirWithoutEnvironment(gitDir).dir
        let common = environment.bytes("GIT_COMMON_DIR") ?? ownCommon
        repository = Repository(gitDir: gitDir, commonDir: common, worktreeConfig: format.worktreeConfig)
        refs = GitRefs(gitDir: path(gitDir), commonDir: path(ownCommon), hexLength: format.hexLength)
    }

    /// No repository; a `GIT_DIR` still becomes the_repository->gitdir (setup_git_env(),
    /// which also looks for its commondir unless GIT_COMMON_DIR is set).
    private func noRepository(refsGitDir: [UInt8]?) throws(GitConfigFailure) {
        guard let refsGitDir else { return }
        let common: [UInt8]
        if environment["GIT_COMMON_DIR"] == nil {
            common = try commonDirWithoutEnvironment(refsGitDir).dir
        } else {
            common = (try? commonDirWithoutEnvironment(refsGitDir).dir) ?? refsGitDir
        }
        refs = GitRefs(gitDir: path(refsGitDir), commonDir: path(common), hexLength: 40)
    }

    /// GIT_CEILING_DIRECTORIES: ':'-separated absolute paths, resolved unless an empty
    /// entry came before them; the length of the longest that is a parent of `cwd`.
    private func longestCeiling(_ list: String) -> Int {
        var emptySeen = false
        var longest = -1
        if cwd == [GitASCII.slash] { return -1 }
        for entry in list.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
            if entry.isEmpty {
                emptySeen = true
                continue
            }
            guard GitPath.isAbsolute(entry) else { continue }
            var ceiling = Array(entry)
            if !emptySeen {
                guard let r = GitPath.realPath(ceiling, cwd: cwd) else { continue }
                ceiling = r
            }
            var len = ceiling.count
            if len > 0 && ceiling[len - 1] == GitASCII.slash { len -= 1 }
            // longest_ancestor_length(): a proper parent of cwd only.
            guard cwd.count > len + 1, cwd[..<len].elementsEqual(ceiling[..<len]), cwd[len] == GitASCII.slash else { continue }
            longest = max(longest, len)
        }
        return longest
    }

    private func deviceOf(_ dir: [UInt8]) throws(GitConfigFailure) -> UInt {
        guard let st = GitFiles.fileStatus(dir) else {
            throw GitConfigFailure("failed to stat '\(String(decoding: dir, as: UTF8.self))'")
        }
        return UInt(st.st_dev)
    }

    /// strbuf_realpath(..., die_on_error).
    func real(_ p: [UInt8]) throws(GitConfigFailure) -> [UInt8] {
        guard let r = GitPath.realPath(p, cwd: gitCwd) else {
            throw GitConfigFailure("Invalid path '\(String(decoding: p, as: UTF8.self))'")
        }
        return r
    }
}
