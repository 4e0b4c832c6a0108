/// What `git config <key>` would print, read directly from git's configuration files
/// instead of spawning git (which doubled the time of `tickets list`).
///
/// Faithful to git 2.39 as git-config(1) documents it (FILES, CONFIGURATION FILE, Includes,
/// Conditional includes, ENVIRONMENT) and as its sources (config.c, setup.c) do it:
///
/// - **Files, last value wins**: system (`/etc/gitconfig`, `GIT_CONFIG_SYSTEM` instead,
///   none when `GIT_CONFIG_NOSYSTEM` is true); global (`$XDG_CONFIG_HOME/git/config` or
///   `~/.config/git/config`, then `~/.gitconfig`; `GIT_CONFIG_GLOBAL` instead of both);
///   the repository's `config` in its common dir; `config.worktree` of the worktree's git
///   dir when `extensions.worktreeConfig` is on; then `GIT_CONFIG_COUNT` with
///   `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`, and `GIT_CONFIG_PARAMETERS` (`git -c`).
/// - **`GIT_CONFIG`**: git 2.39's `git config` still honours it: that one file is read
///   alone, without includes (relative to the working directory). `GIT_CONFIG=-` would make
///   git read standard input; here it gives nothing (the git this replaces ran with
///   /dev/null as input, and a tickets command's input is not for git).
/// - **The repository** (setup.c): `GIT_DIR` (a folder or a `gitdir:` file), else the
///   working directory and its parents, up to `GIT_CEILING_DIRECTORIES` and the file
///   system boundary (`GIT_DISCOVERY_ACROSS_FILESYSTEM`), each tried as `.git` file,
///   `.git` folder, then bare repository; `commondir` for linked worktrees,
///   `GIT_COMMON_DIR`; repository format checks; git's ownership check with
///   `safe.directory` and `safe.bareRepository` from protected configuration.
/// - **Includes**: `include.path`, `includeIf.<condition>.path` with `gitdir:`,
///   `gitdir/i:`, `onbranch:` and `hasconfig:remote.*.url:`, relative to the including
///   file, `~/` and `%(prefix)/` expanded, missing files skipped, at most 10 deep.
///
/// A run in which git would stop with `fatal:` (a syntax error, an include nested more
/// than 10 deep or in a cycle, an invalid `.git` file, a bad `GIT_CONFIG_COUNT`, ...) is a
/// `GitConfigFailure` here, and `identity` answers nothing from it, as `git config` printed
/// nothing. Cost: no process; a stat or open per candidate file or folder, and only the
/// files that exist are read (about 30 system calls in a repository).
///
/// Deliberately not as git: `GIT_CONFIG=-` (above); `~user/` paths look the user up in
/// /etc/passwd only (a static executable has no NSS modules); the system file and
/// `%(prefix)/` are those of Debian's git build (`/etc/gitconfig`, `/usr`), not of
/// whichever git is installed; a config file over 64 MiB is an error (git reads up to
/// 2 GiB); a `commondir` that is a dangling symlink counts as absent (git stops); where
/// git would crash (a `remote.<name>.url` or `extensions.partialClone` without a value
/// meeting the code that copies it), this fails; `GIT_DIR=""` is no repository (git
/// would take HEAD, objects and refs in the working folder itself, were they there); values
/// that are not UTF-8 are decoded with replacement characters; git's warnings (a folder
/// where a config file should be) are not printed.
public enum GitConfig {
    /// `git config user.name` and `git config user.email` as they would print in
    /// `workingDirectory` with `environment`: nil where git prints nothing (the key is
    /// unset, or git fails), `""` for a key written without a value.
    ///
    /// `workingDirectory` is absolute and physical, as getcwd(3) returns it: git walks up
    /// the real folders, not the ones a shell's $PWD shows.
    public static func identity(environment: [String: String], workingDirectory: String) -> (name: String?, email: String?) {
        let keys = [Array("user.name".utf8), Array("user.email".utf8)]
        guard let found = try? lastValues(of: keys, environment: environment, workingDirectory: workingDirectory) else {
            return (nil, nil)
        }
        func text(_ v: [UInt8]?) -> String? { v.map { String(decoding: $0, as: UTF8.self) } }
        return (text(found[0]), text(found[1])) as (String?, String?)
    }

    /// The same in the process's own working directory (getcwd(3), so physical); nothing
    /// when it has none, as git stops then too.
    public static func identity(environment: [String: String]) -> (name: String?, email: String?) {
        guard let cwd = GitFiles.currentDirectory() else { return (nil, nil) }
        return identity(environment: environment, workingDirectory: cwd)
    }

    /// Every value of `key` in the order git reads them (the last is what `git config key`
    /// prints); nil entries are keys written without `=`. `key` is `section.name` or
    /// `section.subsection.name`, normalised as git does (section and name lowercased).
    public static func values(of key: String, environment: [String: String],
                              workingDirectory: String) throws(GitConfigFailure) -> [String?] {
        guard let canonical = GitConfigKey.canonical(Array(key.utf8)) else {
            throw GitConfigFailure("invalid key: \(key)")
        }
        var out: [String?] = []
        try read(environment: environment, workingDirectory: workingDirectory) { k, v in
            if k == canonical { out.append(v.map { String(decoding: $0, as: UTF8.self) }) }
        }
        return out
    }

    /// The last value of each of `keys` (canonical), nil for a key not set; an unset key
    /// and a key without value are told apart by the outer optional.
    static func lastValues(of keys: [[UInt8]], environment: [String: String],
                           workingDirectory: String) throws(GitConfigFailure) -> [[UInt8]?] {
        var found = [[UInt8]?](repeating: nil, count: keys.count)
        var seen = [Bool](repeating: false, count: keys.count)
        try read(environment: environment, workingDirectory: workingDirectory) { k, v in
            for i in keys.indices where keys[i] == k {
                found[i] = v ?? []
                seen[i] = true
            }
        }
        return keys.indices.map { seen[$0] ? found[$0] : nil }
    }

    /// One `git config` read: sets up the repository as git does, then reads either the
    /// `GIT_CONFIG` file or the whole sequence with includes.
    static func read(environment: [String: String], workingDirectory: String,
                     _ sink: GitConfigReader.Sink) throws(GitConfigFailure) {
        let env = GitEnvironment(environment)
        let setup = try GitSetup.run(environment: env, cwd: Array(workingDirectory.utf8))
        if setup.gitCwd != setup.cwd && GitConfigReader.hasRelativeUserFiles(env) {
            // git's trace2 reads the system and global files once at startup, before setup
            // changes directory, and dies on errors there: relative paths then name other
            // files than in the read below.
            let early = GitConfigContext(environment: env, cwd: setup.cwd, gitDir: nil, commonDir: nil,
                                         worktreeConfig: false, refs: nil, preread: [])
            try GitConfigReader(context: early, scope: .veryEarly).read { _, _ in }
        }
        if let file = env.bytes("GIT_CONFIG") {
            if file == Array("-".utf8) { return }
            try GitConfigReader.readAlone(GitPath.resolve(file, in: setup.configFileBase), sink)
            return
        }
        let reader = GitConfigReader(context: setup.mainContext, scope: .all)
        try reader.read(sink)
    }
}
