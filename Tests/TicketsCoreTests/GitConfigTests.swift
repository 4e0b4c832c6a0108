import Foundation
import Testing
@testable import TicketsCore

/// GitConfig against the real git: each case builds a world (HOME, system file, repos,
/// includes, environment, working directory), runs `git config user.name` and
/// `git config user.email` there, and wants GitConfig.identity to print the same.
/// Each case also states what git prints, so a case whose world is built wrong (both
/// sides printing nothing) fails instead of passing for nothing; cases where git stops
/// with `fatal:` want GitConfig to fail too.
@Suite(.serialized)
struct GitConfigTests {
    @Test(.enabled(if: GitSandbox.runs), arguments: GitConfigCase.all)
    func matchesGit(_ c: GitConfigCase) throws {
        guard GitSandbox.gitPath != nil else {
            Issue.record("git is not installed; .ci/run installs it (apt-get install git)")
            return
        }
        let s = try GitSandbox()
        do {
            try c.build(s)
        } catch let skip as GitConfigCase.Skip {
            print("skipped: \(c.name): \(skip.reason)")
            return
        }
        if s.env["PWD"] == nil { s.env["PWD"] = s.cwd }
        let gitName = try s.gitConfig("user.name"), gitEmail = try s.gitConfig("user.email")
        let ours = GitConfig.identity(environment: s.env, workingDirectory: s.cwd)
        let context = "git said: name \(gitName.code) \(gitName.stderr) email \(gitEmail.code) \(gitEmail.stderr)"
        #expect(ours.name == printed(gitName), "user.name differs from git; \(context)")
        #expect(ours.email == printed(gitEmail), "user.email differs from git; \(context)")
        switch c.expect {
        case .prints(let name, let email):
            #expect(printed(gitName) == name && printed(gitEmail) == email,
                    "git itself printed \(String(describing: printed(gitName))) / \(String(describing: printed(gitEmail))): the case does not build what it says; \(context)")
            #expect(throws: Never.self) { try GitConfig.values(of: "user.email", environment: s.env, workingDirectory: s.cwd) }
        case .fails:
            #expect(gitEmail.code == 128, "git was expected to stop with fatal: \(context)")
            #expect(throws: GitConfigFailure.self) {
                try GitConfig.values(of: "user.email", environment: s.env, workingDirectory: s.cwd)
            }
        }
    }

    /// What `git config key` printed: its output less the one line end, nil when it
    /// printed nothing (exit 1) or failed.
    func printed(_ o: GitSandbox.Output) -> String? {
        guard o.code == 0 else { return nil }
        return o.stdout.hasSuffix("\n") ? String(o.stdout.dropLast()) : o.stdout
    }

    /// Subsections keep their case, legacy `[section.sub]` does not, and keys are
    /// normalised the way `git config` normalises its argument: `values(of:)` against
    /// `git config --get-all`.
    @Test(.enabled(if: GitSandbox.runs), arguments: [
        "user.Alice.email", "user.alice.email", "USER.Alice.EMAIL", "user.ALICE.email", "user.email",
        "core.bare", "flag.on.it", "includeIf.gitdir:/x/.path", "a.b.c.d",
    ])
    func valuesMatchGetAll(_ key: String) throws {
        guard GitSandbox.gitPath != nil else {
            Issue.record("git is not installed; .ci/run installs it (apt-get install git)")
            return
        }
        let s = try GitSandbox()
        try s.write("home/.gitconfig", """
            [user "Alice"]
            \temail = exact@x
            [user.Alice]
            \temail = legacy@x
            [user "alice"]
            \temail = lower@x
            [user "ALICE"]
            \temail = upper@x
            [flag "on"]
            \tit
            [includeIf "gitdir:/x/"]
            \tpath = /nonexistent
            [a "b.c"]
            \td = dotted
            [a.b.c]
            \td = legacy dotted
            """)
        let git = try s.run(GitSandbox.gitPath!, ["config", "--get-all", key], env: s.env, in: s.cwd)
        let expected = git.code == 0 ? git.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) : []
        let ours = try GitConfig.values(of: key, environment: s.env, workingDirectory: s.cwd).map { $0 ?? "" }
        #expect(ours == expected, "git --get-all \(key): \(git.stdout) \(git.stderr)")
    }

    @Test func invalidKeysAreRefused() {
        for key in ["user", ".email", "user.", "user.1x", "us er.email", "user.na_me"] {
            #expect(throws: GitConfigFailure.self, "\(key)") {
                try GitConfig.values(of: key, environment: [:], workingDirectory: "/")
            }
        }
    }
}
