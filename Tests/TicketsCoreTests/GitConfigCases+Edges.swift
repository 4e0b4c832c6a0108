import Foundation

extension GitConfigCase {
    /// `g.cfg` in the repository's top folder and in its `sub` folder, each naming itself:
    /// a relative GIT_CONFIG_GLOBAL shows which folder git resolved it from.
    static func relativeGlobals(_ s: GitSandbox, top: String) throws {
        try s.write("\(top)/g.cfg", "[user]\n\tname = Top\n")
        try s.write("\(top)/sub/g.cfg", "[user]\n\tname = Sub\n")
        s.env["GIT_CONFIG_GLOBAL"] = "g.cfg"
    }

    // MARK: - Corners: where git's current directory ends up, odd values, odd folders

    static let edges: [GitConfigCase] = [
        .init("GIT_CONFIG=- reads standard input, which is empty here", .prints(name: nil, email: nil)) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG"] = "-"
        },
        .init("without HOME only XDG_CONFIG_HOME is read", .prints(name: "Xdg", email: nil)) { s in
            try s.write("home/.gitconfig", home)
            try s.write("xdg/git/config", "[user]\n\tname = Xdg\n")
            s.env["HOME"] = nil
            s.env["XDG_CONFIG_HOME"] = s.path("xdg")
        },
        .init("an empty GIT_DIR is no repository", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo")
            s.env["GIT_DIR"] = ""
        },
        .init("relative paths resolve from the top of the work tree", .prints(name: "Top", email: "local@x")) { s in
            try repoWithEmail(s)
            try relativeGlobals(s, top: "repo")
            s.cwd = s.path("repo/sub")
        },
        .init("git also reads the global file once from where it started", .fails) { s in
            try repoWithEmail(s)
            try relativeGlobals(s, top: "repo")
            try s.write("repo/sub/g.cfg", "[user\n")
            s.cwd = s.path("repo/sub")
        },
        .init("core.bare keeps git in the working directory", .prints(name: "Sub", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.git("config", "core.bare", "true", in: "repo")
            try relativeGlobals(s, top: "repo")
            s.cwd = s.path("repo/sub")
        },
        .init("GIT_DIR with GIT_WORK_TREE moves git to the work tree", .prints(name: "Top", email: "local@x")) { s in
            try repoWithEmail(s)
            try relativeGlobals(s, top: "repo")
            s.cwd = s.path("repo/sub")
            s.env["GIT_DIR"] = s.path("repo/.git")
            s.env["GIT_WORK_TREE"] = s.path("repo")
        },
        .init("core.worktree relative to the git dir", .prints(name: "Top", email: "local@x")) { s in
            try repoWithEmail(s, "gd")
            try s.git("config", "core.worktree", "../../tree", in: "gd")
            try relativeGlobals(s, top: "tree")
            s.cwd = s.path("tree/sub")
            s.env["GIT_DIR"] = s.path("gd/.git")
        },
        .init("gitdir: of a bare repository entered at its top", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:\(s.path("bare.git"))/")
            try s.git("init", "-q", "--bare", s.path("bare.git"))
            s.cwd = s.path("bare.git")
        },
        .init("gitdir: ** stands for any number of folders, none too", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "gitdir:\(s.path("work"))/**/proj/.git")
            try s.initRepo("work/proj")
            s.cwd = s.path("work/proj")
        },
        .init("an empty .git folder is not a repository: the walk goes on", .prints(name: "Home", email: "outer@x")) { s in
            try repoWithEmail(s, "outer", email: "outer@x")
            try s.mkdir("outer/inner/.git")
            s.cwd = s.path("outer/inner")
        },
        .init("GIT_DISCOVERY_ACROSS_FILESYSTEM must be a boolean", .fails) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo")
            s.env["GIT_DISCOVERY_ACROSS_FILESYSTEM"] = "sometimes"
        },
        .init("a NUL byte ends a value", .prints(name: nil, email: "a")) { s in
            try s.write("home/.gitconfig", bytes: Array("[user]\n\temail = a".utf8) + [0] + Array("b@x\n".utf8))
        },
        .init("onbranch: follows a branch that is itself a symbolic ref", .prints(name: "Home", email: "cond@x")) { s in
            try conditional(s, "onbranch:real")
            try s.initRepo("repo")
            try s.git("symbolic-ref", "HEAD", "refs/heads/alias", in: "repo")
            try s.write("repo/.git/refs/heads/alias", "ref: refs/heads/real\n")
            s.cwd = s.path("repo")
        },
    ]
}
