import Glibc

/// What one read knows of the repository: config.c's `struct config_options` with the
/// state git keeps beside it.
struct GitConfigContext {
    let environment: GitEnvironment
    /// git's current directory: relative paths (in the environment, in includes) start here.
    let cwd: [UInt8]
    /// opts->git_dir and opts->commondir: nil outside a repository.
    let gitDir: [UInt8]?
    let commonDir: [UInt8]?
    /// extensions.worktreeConfig: read the worktree's `config.worktree` too.
    let worktreeConfig: Bool
    let refs: GitRefs?
    /// Files setup already read, by absolute path, so none is read twice.
    let preread: [([UInt8], GitFiles.Read)]
}

/// One pass over git's configuration in git's order, with includes (config.c,
/// config_with_options and do_git_config_sequence): every variable goes to the sink, in
/// order, and the sink keeps what it wants (the last value wins for `git config key`).
final class GitConfigReader {
    typealias Sink = (_ key: [UInt8], _ value: [UInt8]?) throws(GitConfigFailure) -> Void

    /// Which files a read covers.
    struct Scope {
        var repository = true
        var commandLine = true
        /// An unreadable (EACCES) system file is skipped instead of fatal.
        var systemGently = false
        /// What `git config` reads.
        static let all = Scope()
        /// git's protected configuration (safe.directory): system, global, command line.
        static let protected = Scope(repository: false, commandLine: true, systemGently: true)
        /// read_very_early_config(): system and global only.
        static let veryEarly = Scope(repository: false, commandLine: false, systemGently: true)
    }

    /// Whether a system or global file is named by a relative path, which then depends on
    /// git's current directory.
    static func hasRelativeUserFiles(_ environment: GitEnvironment) -> Bool {
        ["GIT_CONFIG_SYSTEM", "GIT_CONFIG_GLOBAL", "XDG_CONFIG_HOME", "HOME"].contains { name in
            environment.bytes(name).map { !$0.isEmpty && !GitPath.isAbsolute($0) } ?? false
        }
    }

    let context: GitConfigContext
    let scope: Scope
    /// The first pass of `hasconfig:remote.*.url:` takes every such include, and forbids
    /// remote URLs inside them.
    let unconditionalRemoteURL: Bool
    /// Nesting of includes in this read; git stops beyond 10.
    var depth = 0
    /// The remote URLs of the whole configuration, collected the first time a
    /// `hasconfig:` condition is asked.
    var remoteURLs: [[UInt8]]?
    /// Inside a file included by `hasconfig:` during the first pass: its variables do not
    /// reach the sink, and a remote URL among them is fatal.
    var forbidRemoteURLs = false

    init(context: GitConfigContext, scope: Scope, unconditionalRemoteURL: Bool = false) {
        self.context = context
        self.scope = scope
        self.unconditionalRemoteURL = unconditionalRemoteURL
    }

    var environment: GitEnvironment { context.environment }

    /// do_git_config_sequence(): system, XDG, ~/.gitconfig, repository, worktree,
    /// command line.
    func read(_ sink: Sink) throws(GitConfigFailure) {
        var system = environment.bytes("GIT_CONFIG_SYSTEM") ?? Array("/etc/gitconfig".utf8)
        if let normal = GitPath.normalize(system) { system = normal }
        if try !environment.bool("GIT_CONFIG_NOSYSTEM", default: false) {
            try readTopLevel(system, deniedIsFatal: !scope.systemGently, sink)
        }
        let (user, xdg) = globalFiles()
        if let xdg { try readTopLevel(xdg, deniedIsFatal: false, sink) }
        if let user { try readTopLevel(user, deniedIsFatal: false, sink) }
        if scope.repository, let common = context.commonDir {
            try readTopLevel(common + Array("/config".utf8), deniedIsFatal: true, sink)
        }
        if scope.repository, context.worktreeConfig, let gitDir = context.gitDir {
            try readTopLevel(gitDir + Array("/config.worktree".utf8), deniedIsFatal: true, sink)
        }
        if scope.commandLine {
            do {
                try readCommandLine(sink)
            } catch {
                throw GitConfigFailure("unable to parse command-line config: \(error.message)")
            }
        }
    }

    /// git_global_config(): `GIT_CONFIG_GLOBAL` alone, or ~/.gitconfig and the XDG file.
    private func globalFiles() -> (user: [UInt8]?, xdg: [UInt8]?) {
        if let global = environment.bytes("GIT_CONFIG_GLOBAL") { return (global, nil) }
        let home = environment.bytes("HOME")
        let user = home.map { $0 + Array("/.gitconfig".utf8) }
        if let config = environment.bytes("XDG_CONFIG_HOME"), !config.isEmpty {
            return (user, config + Array("/git/config".utf8))
        }
        return (user, home.map { $0 + Array("/.config/git/config".utf8) })
    }

    /// A file of the sequence: missing is fine, unreadable for want of permission only
    /// where git says so, and one git cannot open as a file (a folder) is skipped with
    /// git's warning.
    private func readTopLevel(_ file: [UInt8], deniedIsFatal: Bool, _ sink: Sink) throws(GitConfigFailure) {
        switch load(file) {
        case .bytes(let b): try parse(b, file: file, sink)
        case .readFailed(let e) where e == EFBIG: throw GitConfigFailure("\(String(decoding: file, as: UTF8.self)) is too large")
        case .missing, .readFailed: return
        case .denied: if deniedIsFatal { throw accessFailure(file) }
        case .openFailed: throw accessFailure(file)
        }
    }

    private func accessFailure(_ file: [UInt8]) -> GitConfigFailure {
        GitConfigFailure("unable to access '\(String(decoding: file, as: UTF8.self))'")
    }

    private func load(_ file: [UInt8]) -> GitFiles.Read {
        let absolute = GitPath.resolve(file, in: context.cwd)
        if let known = context.preread.first(where: { $0.0 == absolute }) { return known.1 }
        return GitFiles.read(absolute)
    }

    /// One file's variables through `entry`; `file` is nil for the command line.
    private func parse(_ bytes: [UInt8], file: [UInt8]?, _ sink: Sink) throws(GitConfigFailure) {
        do {
            try GitConfigParser.parse(bytes) { (key: [UInt8], value: [UInt8]?) throws(GitConfigFailure) in
                try self.entry(key, value, file: file, sink)
            }
        } catch {
            switch error {
            case .syntax(let line):
                throw GitConfigFailure("bad config line \(line) in file \(String(decoding: file ?? [], as: UTF8.self))")
            case .entry(let e): throw e
            }
        }
    }

    /// git_config_include(): the variable goes on, then `include.path` and a true
    /// `includeIf.<condition>.path` read their file in place.
    func entry(_ key: [UInt8], _ value: [UInt8]?, file: [UInt8]?, _ sink: Sink) throws(GitConfigFailure) {
        if forbidRemoteURLs {
            if GitConfigKey.isRemoteURL(key) {
                throw GitConfigFailure("remote URLs cannot be configured in file directly or indirectly included by includeIf.hasconfig:remote.*.url")
            }
        } else {
            try sink(key, value)
        }
        if key.elementsEqual("include.path".utf8) {
            try include(value, from: file, sink)
        }
        // The condition is evaluated for any includeIf key, as git does (a hasconfig:
        // condition reads the whole configuration even for a key that is not "path").
        if let (condition, name) = GitConfigKey.split(key, section: "includeif"), let condition,
           try conditionHolds(condition, file: file), name.elementsEqual("path".utf8) {
            let saved = forbidRemoteURLs
            if unconditionalRemoteURL { forbidRemoteURLs = true }
            defer { forbidRemoteURLs = saved }
            try include(value, from: file, sink)
        }
    }

    /// handle_path_include(): `~/` and `%(prefix)/` expanded, relative to the including
    /// file's folder, skipped when missing, fatal beyond 10 levels (which is how a cycle
    /// ends) or when it cannot be read.
    private func include(_ value: [UInt8]?, from file: [UInt8]?, _ sink: Sink) throws(GitConfigFailure) {
        guard let value else { throw GitConfigFailure("missing value for 'include.path'") }
        guard var target = try GitPath.interpolate(value, environment: environment, cwd: context.cwd, realHome: false) else {
            throw GitConfigFailure("could not expand include path '\(String(decoding: value, as: UTF8.self))'")
        }
        if !GitPath.isAbsolute(target) {
            guard let file else { throw GitConfigFailure("relative config includes must come from files") }
            target = Array(GitPath.directoryPrefix(file)) + target
        }
        switch load(target) {
        case .missing:
            return
        case .bytes(let b):
            depth += 1
            defer { depth -= 1 }
            guard depth <= 10 else {
                throw GitConfigFailure("exceeded maximum include depth (10) while including \(String(decoding: target, as: UTF8.self))")
            }
            try parse(b, file: target, sink)
        default:
            throw accessFailure(target)
        }
    }
}
