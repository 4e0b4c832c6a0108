import Foundation

extension GitConfigCase {
    /// A repository at `repo` whose config sets user.email, and the usual global file.
    static func repoWithEmail(_ s: GitSandbox, _ rel: String = "repo", email: String = "local@x") throws {
        try s.write("home/.gitconfig", home)
        try s.initRepo(rel)
        try s.git("config", "user.email", email, in: rel)
    }

    // MARK: - Finding the repository

    static let repositories: [GitConfigCase] = [
        .init("the repository's config overrides the global one", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo")
        },
        .init("found from a folder three levels down", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.mkdir("repo/a/b/c")
            s.cwd = s.path("repo/a/b/c")
        },
        .init("a linked worktree reads the main repository's config", .prints(name: nil, email: "main@x")) { s in
            try s.initRepo("main", commit: true)
            try s.git("config", "user.email", "main@x", in: "main")
            try s.git("worktree", "add", "-q", "../wt", in: "main")
            s.cwd = s.path("wt")
        },
        .init("extensions.worktreeConfig reads the worktree's config.worktree", .prints(name: nil, email: "wt@x")) { s in
            try s.initRepo("main", commit: true)
            try s.git("config", "extensions.worktreeConfig", "true", in: "main")
            try s.git("config", "user.email", "main@x", in: "main")
            try s.git("worktree", "add", "-q", "../wt", in: "main")
            try s.git("config", "--worktree", "user.email", "wt@x", in: "wt")
            s.cwd = s.path("wt/sub")
            try s.mkdir("wt/sub")
        },
        .init("config.worktree is ignored without extensions.worktreeConfig", .prints(name: nil, email: "main@x")) { s in
            try s.initRepo("main", commit: true)
            try s.git("config", "user.email", "main@x", in: "main")
            try s.git("worktree", "add", "-q", "../wt", in: "main")
            try s.write("main/.git/worktrees/wt/config.worktree", "[user]\nemail = wt@x\n")
            s.cwd = s.path("wt")
        },
        .init("a .git file with a relative gitdir", .prints(name: "Home", email: "separate@x")) { s in
            try s.write("home/.gitconfig", home)
            try s.mkdir("repo/sub")
            try s.mkdir("store")
            try s.git("init", "-q", "-b", "main", "--separate-git-dir", s.path("store/gd"), s.path("repo"))
            try s.write("repo/.git", "gitdir: ../store/gd\n")
            try s.git("config", "user.email", "separate@x", in: "repo")
            s.cwd = s.path("repo/sub")
        },
        .init("GIT_DIR names the repository from outside it", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.mkdir("elsewhere")
            s.cwd = s.path("elsewhere")
            s.env["GIT_DIR"] = s.path("repo/.git")
        },
        .init("a relative GIT_DIR", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            s.env["GIT_DIR"] = "repo/.git"
        },
        .init("GIT_DIR naming no repository: the other files still count", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo")
            s.env["GIT_DIR"] = s.path("nothing")
        },
        .init("GIT_CEILING_DIRECTORIES stops the walk", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            try s.mkdir("repo/sub/deeper")
            s.cwd = s.path("repo/sub/deeper")
            s.env["GIT_CEILING_DIRECTORIES"] = s.path("elsewhere") + ":" + s.path("repo/sub")
        },
        .init("a ceiling above the repository changes nothing", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.mkdir("repo/sub")
            s.cwd = s.path("repo/sub")
            s.env["GIT_CEILING_DIRECTORIES"] = s.root
        },
        .init("a ceiling at the working directory itself changes nothing", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.mkdir("repo/sub")
            s.cwd = s.path("repo/sub")
            s.env["GIT_CEILING_DIRECTORIES"] = s.path("repo/sub")
        },
        .init("an invalid .git file is fatal", .fails) { s in
            try s.write("home/.gitconfig", home)
            try s.write("proj/.git", "gitdir: \(s.path("nowhere"))\n")
            s.cwd = s.path("proj")
        },
        .init("a .git file without gitdir: is fatal", .fails) { s in
            try s.write("home/.gitconfig", home)
            try s.write("proj/.git", "nonsense\n")
            s.cwd = s.path("proj")
        },
        .init("inside a bare repository", .prints(name: "Home", email: "bare@x")) { s in
            try s.write("home/.gitconfig", home)
            try s.git("init", "-q", "--bare", s.path("bare.git"))
            try s.git("config", "user.email", "bare@x", in: "bare.git")
            s.cwd = s.path("bare.git/refs")
        },
        .init("safe.bareRepository=explicit refuses a bare repository found by walking",
              .prints(name: "Home", email: "home@x")) { s in
            try s.write("home/.gitconfig", home + "[safe]\n\tbareRepository = explicit\n")
            try s.git("init", "-q", "--bare", s.path("bare.git"))
            try s.write("bare.git/config", "[core]\nrepositoryformatversion = 0\nbare = true\n[user]\nemail = bare@x\n")
            s.cwd = s.path("bare.git")
        },
        .init("inside the .git folder", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo/.git")
        },
        .init("a repository format version 2 is not a repository", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            try s.write("repo/.git/config", "[core]\n\trepositoryformatversion = 2\n[user]\n\temail = local@x\n")
            s.cwd = s.path("repo")
        },
        .init("an unknown extension in format version 1 is not a repository", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            try s.write("repo/.git/config", "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tweird = 1\n[user]\n\temail = local@x\n")
            s.cwd = s.path("repo")
        },
        .init("an unknown extension in format version 0 is ignored", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.write("repo/.git/config", "[core]\n\trepositoryformatversion = 0\n[extensions]\n\tweird = 1\n[user]\n\temail = local@x\n")
            s.cwd = s.path("repo")
        },
        .init("a syntax error in the repository's config is fatal", .fails) { s in
            try repoWithEmail(s)
            try s.write("repo/.git/config", "[core]\n\trepositoryformatversion = 0\n[user\n")
            s.cwd = s.path("repo")
        },
    ]

    // MARK: - Ownership (safe.directory)

    static let ownership: [GitConfigCase] = [
        .init("a repository owned by someone else is ignored", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo")
            s.env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
        },
        .init("... unless safe.directory names it", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            try s.write("home/.gitconfig", home + "[safe]\n\tdirectory = \(s.path("repo"))\n")
            s.cwd = s.path("repo/sub")
            try s.mkdir("repo/sub")
            s.env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
        },
        .init("safe.directory from the command line counts", .prints(name: "Home", email: "local@x")) { s in
            try repoWithEmail(s)
            s.cwd = s.path("repo")
            s.env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
            s.env["GIT_CONFIG_COUNT"] = "1"
            s.env["GIT_CONFIG_KEY_0"] = "safe.directory"
            s.env["GIT_CONFIG_VALUE_0"] = "*"
        },
        .init("an empty safe.directory forgets the ones before", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            try s.write("home/.gitconfig", home + "[safe]\n\tdirectory = *\n\tdirectory =\n")
            s.cwd = s.path("repo")
            s.env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
        },
        .init("safe.directory in the repository's own config does not count", .prints(name: "Home", email: "home@x")) { s in
            try repoWithEmail(s)
            try s.git("config", "safe.directory", "*", in: "repo")
            s.cwd = s.path("repo")
            s.env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
        },
        .init("root ignores a repository of another user", .prints(name: "Home", email: "home@x")) { s in
            guard getuid() == 0 else { throw Skip(reason: "needs root to give the repository away") }
            try repoWithEmail(s)
            _ = try s.run("/bin/chown", ["-R", "4242", s.path("repo")], env: [:], in: s.root)
            s.cwd = s.path("repo")
        },
        .init("root may use the repository of SUDO_UID", .prints(name: "Home", email: "local@x")) { s in
            guard getuid() == 0 else { throw Skip(reason: "needs root to give the repository away") }
            try repoWithEmail(s)
            _ = try s.run("/bin/chown", ["-R", "4242", s.path("repo")], env: [:], in: s.root)
            s.cwd = s.path("repo")
            s.env["SUDO_UID"] = "4242"
        },
    ]
}
