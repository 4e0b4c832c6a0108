import Foundation

extension GitConfigCase {
    /// ~/.gitconfig with `[includeIf "<condition>"] path = cond.cfg`, which sets user.email.
    static func conditional(_ s: GitSandbox, _ condition: String) throws {
        try s.write("home/.gitconfig", home + "[includeIf \"\(condition)\"]\n\tpath = cond.cfg\n")
        try s.write("home/cond.cfg", "[user]\n\temail = cond@x\n")
    }

    /// A chain inc1 -> inc2 -> ... -> inc<n> under home/, the last setting user.name.
    static func chain(_ s: GitSandbox, _ n: Int) throws {
        try s.write("home/.gitconfig", home + "[include]\n\tpath = inc1\n")
        for i in 1..<n { try s.write("home/inc\(i)", "[include]\n\tpath = inc\(i + 1)\n") }
        try s.write("home/inc\(n)", "[user]\n\tname = Deep\n")
    }

    // MARK: - include.path

    static let includes: [GitConfigCase] = [
        .init("include.path relative to the including file, read in place", .prints(name: "After", email: "inc@x")) { s in
            try s.write("home/.gitconfig", "[user]\n\temail = before@x\n[include]\n\tpath = conf/extra\n[user]\n\tname = After\n")
            try s.write("home/conf/extra", "[user]\n\tname = Included\n\temail = inc@x\n")
        },
        .init("include.path with ~/", .prints(name: "Home", email: "tilde@x")) { s in
            try s.write("home/.gitconfig", home + "[include]\n\tpath = ~/inc/tilde.cfg\n")
            try s.write("home/inc/tilde.cfg", "[user]\n\temail = tilde@x\n")
            s.cwd = s.path("home")
        },
        .init("a missing include is skipped", .prints(name: "Fine", email: "home@x")) { s in
            try s.write("home/.gitconfig", home + "[include]\n\tpath = nowhere\n[user]\n\tname = Fine\n")
        },
        .init("an include cycle is fatal", .fails) { s in
            try s.write("home/.gitconfig", home + "[include]\n\tpath = a.cfg\n")
            try s.write("home/a.cfg", "[include]\n\tpath = b.cfg\n")
            try s.write("home/b.cfg", "[include]\n\tpath = a.cfg\n")
        },
        .init("ten nested includes are allowed", .prints(name: "Deep", email: "home@x")) { s in
            try chain(s, 10)
        },
        .init("eleven nested includes are fatal", .fails) { s in
            try chain(s, 11)
        },
        .init("include.path without a value is fatal", .fails) { s in
            try s.write("home/.gitconfig", home + "[include]\n\tpath\n")
        },
        .init("an included folder is fatal", .fails) { s in
            try s.write("home/.gitconfig", home + "[include]\n\tpath = incdir\n")
            try s.mkdir("home/incdir")
        },
        .init("an include in the repository's config is relative to .git/", .prints(name: "Team", email: "home@x")) { s in
            try s.write("home/.gitconfig", home)
            try s.initRepo("repo")
            try s.git("config", "include.path", "../team.cfg", in: "repo")
            try s.write("repo/team.cfg", "[user]\n\tname = Team\n")
            try s.mkdir("repo/sub")
            s.cwd = s.path("repo/sub")
        },
    ]

    // MARK: - includeIf

    static let conditions: [GitConfigCase] = [
        .init("gitdir: with a trailing slash matches repositories below", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:\(s.path("work"))/")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("gitdir: of another folder does not match", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "gitdir:\(s.path("other"))/")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("gitdir: without a trailing slash must be the .git folder", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "gitdir:\(s.path("work/proj"))")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("gitdir: naming the .git folder", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:\(s.path("work/proj/.git"))")
            try s.initRepo("work/proj")
            try s.mkdir("work/proj/src")
            s.cwd = s.path("work/proj/src")
        },
        .init("gitdir:~/ expands the home folder", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:~/code/")
            try s.initRepo("home/code/proj")
            s.cwd = s.path("home/code/proj")
        },
        .init("gitdir: relative patterns match at any depth", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:proj/")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("gitdir: with ** and ? globs", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:\(s.root)/**/pr?j/.git")
            try s.initRepo("a/b/work/proj")
            s.cwd = s.path("a/b/work/proj")
        },
        .init("gitdir: is case-sensitive", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "gitdir:\(s.path("work").uppercased())/")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("gitdir/i: ignores case", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir/i:\(s.path("work").uppercased())/")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("gitdir:./ is relative to the including file", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:./code/")
            try s.initRepo("home/code/proj")
            s.cwd = s.path("home/code/proj")
        },
        .init("gitdir: of a linked worktree is its own git dir", .prints(name: nil, email: "cond@x")) { s in
            try s.initRepo("main", commit: true)
            try s.git("worktree", "add", "-q", "../wt", in: "main")
            try s.write("home/.gitconfig", "[includeIf \"gitdir:\(s.path("main/.git/worktrees"))/\"]\n\tpath = cond.cfg\n")
            try s.write("home/cond.cfg", "[user]\n\temail = cond@x\n")
            s.cwd = s.path("wt")
        },
        .init("gitdir: through a symlinked folder, with $PWD", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:\(s.path("link/proj"))/")
            try s.initRepo("real/proj")
            try s.symlink("link", to: s.path("real"))
            s.cwd = s.path("real/proj")
            s.env["PWD"] = s.path("link/proj")
        },
        .init("gitdir: through a symlinked folder, without a matching $PWD", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "gitdir:\(s.path("link/proj"))/")
            try s.initRepo("real/proj")
            try s.symlink("link", to: s.path("real"))
            s.cwd = s.path("real/proj")
        },
        .init("gitdir: outside any repository is false", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "gitdir:/")
        },
        .init("onbranch: the current (unborn) branch", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "onbranch:main")
            try s.initRepo("repo")
            s.cwd = s.path("repo")
        },
        .init("onbranch: another branch is false", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "onbranch:dev")
            try s.initRepo("repo")
            s.cwd = s.path("repo")
        },
        .init("onbranch: with a trailing slash matches below", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "onbranch:feature/")
            try s.initRepo("repo")
            try s.git("symbolic-ref", "HEAD", "refs/heads/feature/deep/x", in: "repo")
            s.cwd = s.path("repo")
        },
        .init("onbranch: a detached HEAD is on no branch", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "onbranch:main")
            try s.initRepo("repo", commit: true)
            try s.git("checkout", "-q", "--detach", in: "repo")
            s.cwd = s.path("repo")
        },
        .init("onbranch: reads the worktree's own HEAD", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "onbranch:topic")
            try s.initRepo("main", commit: true)
            try s.git("worktree", "add", "-q", "-b", "topic", "../wt", in: "main")
            s.cwd = s.path("wt")
        },
        .init("hasconfig:remote.*.url: matches a remote", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "hasconfig:remote.*.url:https://example.com/acme/**")
            try s.initRepo("repo")
            try s.git("remote", "add", "origin", "https://example.com/acme/tool.git", in: "repo")
            s.cwd = s.path("repo")
        },
        .init("hasconfig:remote.*.url: without a matching remote", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "hasconfig:remote.*.url:https://example.com/other/**")
            try s.initRepo("repo")
            try s.git("remote", "add", "origin", "https://example.com/acme/tool.git", in: "repo")
            s.cwd = s.path("repo")
        },
        .init("hasconfig: an included file may not set a remote URL", .fails) { s in
            try conditional(s, "hasconfig:remote.*.url:https://example.com/acme/**")
            try s.write("home/cond.cfg", "[user]\n\temail = cond@x\n[remote \"extra\"]\n\turl = https://example.com/x\n")
            try s.initRepo("repo")
            s.cwd = s.path("repo")
        },
        .init("an unknown condition is false", .prints(name: "Home", email: "home@x")) { s in
            try conditional(s, "whatever:main")
        },
    ]
}
