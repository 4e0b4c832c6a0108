/// Conditional includes (git-config(1) Conditional includes; config.c,
/// include_condition_is_true): `gitdir:`, `gitdir/i:`, `onbranch:` and
/// `hasconfig:remote.*.url:`. Any other condition is false.
extension GitConfigReader {
    func conditionHolds(_ condition: ArraySlice<UInt8>, file: [UInt8]?) throws(GitConfigFailure) -> Bool {
        for (prefix, caseFold) in [("gitdir:", false), ("gitdir/i:", true)] where condition.starts(with: prefix.utf8) {
            return try gitDirMatches(condition.dropFirst(prefix.utf8.count), file: file, caseFold: caseFold)
        }
        if condition.starts(with: "onbranch:".utf8) {
            return branchMatches(condition.dropFirst(9))
        }
        let hasconfig = "hasconfig:remote.*.url:".utf8
        if condition.starts(with: hasconfig) {
            return try remoteURLMatches(condition.dropFirst(hasconfig.count))
        }
        return false
    }

    /// include_by_gitdir(): the pattern (after `~/` and `%(prefix)/`; `./` for the
    /// including file's folder, literally; anything not absolute gets `**/` before it; a
    /// trailing `/` gets `**` after it) against the resolved git dir, then against the
    /// git dir made absolute without resolving links (so `gitdir:~/work/` still matches
    /// when ~/work is a symlink).
    private func gitDirMatches(_ condition: ArraySlice<UInt8>, file: [UInt8]?, caseFold: Bool) throws(GitConfigFailure) -> Bool {
        guard let gitDir = context.gitDir else { return false }
        guard var text = GitPath.realPath(gitDir, cwd: context.cwd) else {
            throw GitConfigFailure("Invalid path '\(String(decoding: gitDir, as: UTF8.self))'")
        }
        var pattern = Array(condition)
        if let expanded = try GitPath.interpolate(pattern, environment: environment, cwd: context.cwd, realHome: true) {
            pattern = expanded
        }
        var prefix = 0
        if pattern.count >= 2 && pattern[0] == UInt8(ascii: ".") && pattern[1] == GitASCII.slash {
            // git: "relative config include conditionals must come from files", and false.
            guard let file else { return false }
            guard let real = GitPath.realPath(file, cwd: context.cwd), let slash = real.lastIndex(of: GitASCII.slash) else {
                throw GitConfigFailure("Invalid path '\(String(decoding: file, as: UTF8.self))'")
            }
            pattern = Array(real[..<slash]) + pattern.dropFirst()
            prefix = slash + 1
        } else if !GitPath.isAbsolute(pattern) {
            pattern = Array("**/".utf8) + pattern
        }
        if pattern.last == GitASCII.slash { pattern += Array("**".utf8) }
        var triedAbsolute = false
        while true {
            if prefix > 0 {
                // The folder of the including file is matched literally, not as a glob.
                guard text.count >= prefix else { return false }
                let same = caseFold
                    ? zip(pattern[..<prefix], text[..<prefix]).allSatisfy { GitASCII.lower($0) == GitASCII.lower($1) }
                    : pattern[..<prefix].elementsEqual(text[..<prefix])
                guard same else { return false }
            }
            if GitWildmatch.matches(pattern[prefix...], text[prefix...], pathname: true, caseFold: caseFold) { return true }
            if triedAbsolute { return false }
            text = GitPath.absolute(gitDir, cwd: context.cwd, pwd: environment["PWD"])
            triedAbsolute = true
        }
    }

    /// include_by_branch(): HEAD is a symbolic ref to `refs/heads/<name>` (born or not)
    /// and the pattern (a trailing `/` gets `**`) matches `<name>`.
    private func branchMatches(_ condition: ArraySlice<UInt8>) -> Bool {
        guard let refs = context.refs, let branch = refs.headBranch() else { return false }
        var pattern = Array(condition)
        if pattern.last == GitASCII.slash { pattern += Array("**".utf8) }
        return GitWildmatch.matches(pattern, branch, pathname: true)
    }

    /// include_by_remote_url(): some `remote.<name>.url` of the whole configuration
    /// matches. Collected by a first pass over the same files that takes every
    /// `hasconfig:` include; those may not set remote URLs themselves.
    private func remoteURLMatches(_ pattern: ArraySlice<UInt8>) throws(GitConfigFailure) -> Bool {
        if unconditionalRemoteURL { return true }
        if remoteURLs == nil {
            var urls: [[UInt8]] = []
            let firstPass = GitConfigReader(context: context, scope: scope, unconditionalRemoteURL: true)
            try firstPass.read { (key: [UInt8], value: [UInt8]?) throws(GitConfigFailure) in
                guard GitConfigKey.isRemoteURL(key) else { return }
                // git copies the value with xstrdup() and crashes on a key without one.
                guard let value else { throw GitConfigFailure("remote URL without a value") }
                urls.append(value)
            }
            remoteURLs = urls
        }
        return remoteURLs!.contains { GitWildmatch.matches(pattern, $0, pathname: true) }
    }
}
