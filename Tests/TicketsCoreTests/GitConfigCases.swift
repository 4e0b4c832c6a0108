import Foundation
import Testing

/// One world for GitConfigTests: what git prints there, and how to build it.
struct GitConfigCase: Sendable, CustomTestStringConvertible {
    enum Expect: Sendable {
        /// `git config user.name` / `user.email` print these (nil: nothing, exit 1).
        case prints(name: String?, email: String?)
        /// git stops with `fatal:` (exit 128).
        case fails
    }

    /// Thrown by a builder that cannot make its world here (needs root).
    struct Skip: Error { let reason: String }

    let name: String
    let expect: Expect
    let build: @Sendable (GitSandbox) throws -> Void

    init(_ name: String, _ expect: Expect, _ build: @escaping @Sendable (GitSandbox) throws -> Void) {
        self.name = name
        self.expect = expect
        self.build = build
    }

    var testDescription: String { name }
}

extension GitConfigCase {
    static let home = "[user]\n\tname = Home\n\temail = home@x\n"

    static let all: [GitConfigCase] = syntax + files + commandLine + repositories + ownership + includes + conditions + edges

    // MARK: - Syntax

    static let syntax: [GitConfigCase] = [
        .init("plain values", .prints(name: "Alice Example", email: "alice@example.com")) { s in
            try s.write("home/.gitconfig", "[user]\n\tname = Alice Example\n\temail = alice@example.com\n")
        },
        .init("quotes keep spaces and comment characters", .prints(name: "  Ann ; # Lee  ", email: "a@x")) { s in
            try s.write("home/.gitconfig", "[user]\n name = \"  Ann ; # Lee  \"\n email = a@x\n")
        },
        .init("escapes", .prints(name: "tab\there \"q\" back\\slash", email: "a\u{8}b@x")) { s in
            try s.write("home/.gitconfig", #"""
                [user]
                    name = "tab\there" \"q\" back\\slash
                    email = a\bb@x
                """#)
        },
        .init("escaped newline in a value", .prints(name: "line1\nline2", email: nil)) { s in
            try s.write("home/.gitconfig", #"[user]\#n name = line1\nline2\#n"#)
        },
        .init("inner white space becomes spaces, the ends are trimmed", .prints(name: "Ann    Lee", email: "e@x")) { s in
            try s.write("home/.gitconfig", "[user]\n name =   Ann \t  Lee   \n email=e@x\n")
        },
        .init("line continuation, in and out of quotes", .prints(name: "Ann    Lee", email: "ab@x")) { s in
            try s.write("home/.gitconfig", "[user]\n name = Ann \\\n   Lee\n email = \"a\\\nb@x\"\n")
        },
        .init("comments after values and on their own lines", .prints(name: "Ann", email: "a@x")) { s in
            try s.write("home/.gitconfig", "# top\n; semi\n[user] # after the header\n name = Ann # trailing\n email = a@x;comment\n")
        },
        .init("a key without a value prints empty", .prints(name: "", email: "")) { s in
            try s.write("home/.gitconfig", "[user]\n name\n email\n")
        },
        .init("empty values", .prints(name: "", email: "")) { s in
            try s.write("home/.gitconfig", "[user]\n name =\n email = \"\"\n")
        },
        .init("byte order mark at the start", .prints(name: "Bom", email: nil)) { s in
            try s.write("home/.gitconfig", bytes: [0xEF, 0xBB, 0xBF] + Array("[user]\nname = Bom\n".utf8))
        },
        .init("CRLF line ends", .prints(name: "Crlf", email: "c@x")) { s in
            try s.write("home/.gitconfig", "[user]\r\n\tname = Crlf\r\n\temail = c@x\r\n")
        },
        .init("section and key names ignore case", .prints(name: "Upper", email: "u@x")) { s in
            try s.write("home/.gitconfig", "[USER]\n\tNaMe = Upper\n[User]\nEMAIL = u@x\n")
        },
        .init("a subsection is not the section", .prints(name: "N", email: nil)) { s in
            try s.write("home/.gitconfig", "[user \"Alice\"]\n email = sub@x\n[user]\n name = N\n[user \"a\\\"b\"]\nemail = q@x\n")
        },
        .init("legacy dotted section is a subsection", .prints(name: "N", email: nil)) { s in
            try s.write("home/.gitconfig", "[user.Alice]\n email = legacy@x\n[user]\nname = N\n")
        },
        .init("duplicate keys: the last wins", .prints(name: "A", email: "second@x")) { s in
            try s.write("home/.gitconfig", "[user]\n email = first@x\n name = A\n[other]\n x = 1\n[user]\n email = second@x\n")
        },
        .init("a variable on the section line", .prints(name: "Same Line", email: nil)) { s in
            try s.write("home/.gitconfig", "[user] name = Same Line\n")
        },
        .init("a variable before any section is accepted", .prints(name: nil, email: "e@x")) { s in
            try s.write("home/.gitconfig", "name = top\n[user]\nemail = e@x")
        },
        .init("an unknown escape is fatal", .fails) { s in
            try s.write("home/.gitconfig", "[user]\nname = Good\n[user]\nemail = a\\qb\n")
        },
        .init("a quote open at the line end is fatal", .fails) { s in
            try s.write("home/.gitconfig", "[user]\nemail = ok@x\nname = \"open\n")
        },
        .init("a broken section header is fatal", .fails) { s in
            try s.write("home/.gitconfig", "[user]\nemail = ok@x\n[user\nname = x\n")
        },
        .init("a subsection without quotes is fatal", .fails) { s in
            try s.write("home/.gitconfig", "[user]\nemail = ok@x\n[user work]\nname = x\n")
        },
        .init("part of a byte order mark is fatal", .fails) { s in
            try s.write("home/.gitconfig", bytes: [0xEF, 0xBB] + Array("[user]\nname = x\n".utf8))
        },
        .init("a name starting with a digit is fatal", .fails) { s in
            try s.write("home/.gitconfig", "[user]\nemail = ok@x\n1x = y\n")
        },
    ]

    // MARK: - Files and the environment

    static let files: [GitConfigCase] = [
        .init("XDG file, then ~/.gitconfig wins", .prints(name: "Xdg", email: "h@x")) { s in
            try s.write("xdg/git/config", "[user]\nname = Xdg\nemail = x@x\n")
            try s.write("home/.gitconfig", "[user]\nemail = h@x\n")
            s.env["XDG_CONFIG_HOME"] = s.path("xdg")
        },
        .init("~/.config/git/config without XDG_CONFIG_HOME", .prints(name: "Dot", email: nil)) { s in
            try s.write("home/.config/git/config", "[user]\nname = Dot\n")
        },
        .init("an empty XDG_CONFIG_HOME falls back to ~/.config", .prints(name: "Dot", email: nil)) { s in
            try s.write("home/.config/git/config", "[user]\nname = Dot\n")
            try s.write("git/config", "[user]\nname = Wrong\n")
            s.env["XDG_CONFIG_HOME"] = ""
        },
        .init("GIT_CONFIG_GLOBAL replaces both", .prints(name: "Global", email: nil)) { s in
            try s.write("home/.gitconfig", home)
            try s.write("home/.config/git/config", home)
            try s.write("other.cfg", "[user]\nname = Global\n")
            s.env["GIT_CONFIG_GLOBAL"] = s.path("other.cfg")
        },
        .init("system file first, then global", .prints(name: "Sys", email: "h@x")) { s in
            try s.write("etc/gitconfig", "[user]\nname = Sys\nemail = s@x\n")
            try s.write("home/.gitconfig", "[user]\nemail = h@x\n")
        },
        .init("GIT_CONFIG_NOSYSTEM skips the system file", .prints(name: nil, email: "h@x")) { s in
            try s.write("etc/gitconfig", "[user]\nname = Sys\nemail = s@x\n")
            try s.write("home/.gitconfig", "[user]\nemail = h@x\n")
            s.env["GIT_CONFIG_NOSYSTEM"] = "yes"
        },
        .init("GIT_CONFIG_NOSYSTEM must be a boolean", .fails) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_NOSYSTEM"] = "maybe"
        },
        .init("the system path is normalised before relative includes", .prints(name: "Norm", email: nil)) { s in
            try s.write("etc/gitconfig", "[include]\npath = inc\n")
            try s.write("etc/inc", "[user]\nname = Norm\n")
            try s.write("etc/sub/inc", "[user]\nname = Wrong\n")
            s.env["GIT_CONFIG_SYSTEM"] = s.path("etc/sub/../gitconfig")
        },
        .init("a folder where ~/.gitconfig should be is skipped", .prints(name: "Still", email: nil)) { s in
            try s.mkdir("home/.gitconfig")
            try s.write("home/.config/git/config", "[user]\nname = Still\n")
        },
        .init("GIT_CONFIG is read alone, without includes", .prints(name: nil, email: "legacy@x")) { s in
            try s.write("home/.gitconfig", home)
            try s.write("legacy.cfg", "[user]\nemail = legacy@x\n[include]\npath = inc.cfg\n")
            try s.write("inc.cfg", "[user]\nname = Included\n")
            s.env["GIT_CONFIG"] = s.path("legacy.cfg")
        },
        .init("a relative GIT_CONFIG from a folder inside a work tree", .prints(name: nil, email: "rel@x")) { s in
            try s.initRepo("repo")
            try s.write("repo/sub/rel.cfg", "[user]\nemail = rel@x\n")
            try s.write("repo/rel.cfg", "[user]\nemail = wrong@x\n")
            s.cwd = s.path("repo/sub")
            s.env["GIT_CONFIG"] = "rel.cfg"
        },
    ]

    // MARK: - Command line

    static let commandLine: [GitConfigCase] = [
        .init("GIT_CONFIG_COUNT pairs come last", .prints(name: "Env Name", email: "env@x")) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_COUNT"] = "2"
            s.env["GIT_CONFIG_KEY_0"] = "User.Name"
            s.env["GIT_CONFIG_VALUE_0"] = "Env Name"
            s.env["GIT_CONFIG_KEY_1"] = "user.email"
            s.env["GIT_CONFIG_VALUE_1"] = "env@x"
        },
        .init("an empty GIT_CONFIG_COUNT is none", .prints(name: "Home", email: "home@x")) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_COUNT"] = ""
        },
        .init("GIT_CONFIG_COUNT with a key missing is fatal", .fails) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_COUNT"] = "2"
            s.env["GIT_CONFIG_KEY_0"] = "user.name"
            s.env["GIT_CONFIG_VALUE_0"] = "x"
        },
        .init("GIT_CONFIG_COUNT that is not a number is fatal", .fails) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_COUNT"] = "two"
        },
        .init("an invalid key on the command line is fatal", .fails) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_COUNT"] = "1"
            s.env["GIT_CONFIG_KEY_0"] = "user"
            s.env["GIT_CONFIG_VALUE_0"] = "x"
        },
        .init("GIT_CONFIG_PARAMETERS as git -c leaves it", .prints(name: "O'Brien", email: "old@x")) { s in
            try s.write("home/.gitconfig", home)
            s.env["GIT_CONFIG_PARAMETERS"] = "'user.name'='O'\\''Brien' 'user.email=old@x'"
        },
        .init("a command line include must be absolute", .fails) { s in
            try s.write("home/.gitconfig", home)
            try s.write("inc.cfg", "[user]\nname = Inc\n")
            s.env["GIT_CONFIG_COUNT"] = "1"
            s.env["GIT_CONFIG_KEY_0"] = "include.path"
            s.env["GIT_CONFIG_VALUE_0"] = "inc.cfg"
        },
        .init("a command line include with an absolute path", .prints(name: "Inc", email: "home@x")) { s in
            try s.write("home/.gitconfig", home)
            try s.write("inc.cfg", "[user]\nname = Inc\n")
            s.env["GIT_CONFIG_COUNT"] = "1"
            s.env["GIT_CONFIG_KEY_0"] = "include.path"
            s.env["GIT_CONFIG_VALUE_0"] = s.path("inc.cfg")
        },
    ]
}
