import Foundation
import Testing
@testable import TicketsCLI

/// The committed completion scripts are what the generator prints, and each one, loaded
/// in its real shell, completes commands, options, values and the user's active ids.
struct CompletionTests {
    static let files = ["bash": "tickets.bash", "zsh": "_tickets", "fish": "tickets.fish"]

    @Test(arguments: ["bash", "zsh", "fish"])
    func committedScriptIsWhatTheGeneratorPrints(shell: String) throws {
        let r = Harness().run(["completion", shell])
        #expect(r.code == 0)
        let file = ShellSupport.repository.appendingPathComponent("completions/\(Self.files[shell]!)")
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(r.stdout == committed, "regenerate with: tickets completion \(shell) > completions/\(Self.files[shell]!)")
    }

    /// `completion` is documented, so help lists and explains it; `__complete` is plumbing.
    @Test func completionIsListedAndThePlumbingIsNot() {
        let h = Harness()
        #expect(h.run(["help"]).stdout.contains("  completion "))
        let help = h.run(["help", "completion"])
        #expect(help.code == 0 && help.stdout.contains("USAGE: tickets completion bash|zsh|fish"), "\(help.stderr)")
        #expect(!h.run(["help"]).stdout.contains("__complete"))
        let bad = h.run(["completion", "tcsh"])
        #expect(bad.code == 64)
        #expect(bad.stderr.contains("bash, zsh or fish"))
        #expect(h.run(["__complete", "colours"]).code == 64)
    }

    @Test func idQueryListsOnlyTheViewersActiveTickets() {
        let h = Harness()
        let mine = h.open("Printer: on fire")
        let closed = h.open("Old one")
        h.run(["close", "\(closed)"])
        _ = h.carol(["open", "-s", "Carol's", "-m", "x"])
        #expect(h.run(["__complete", "ids"]).stdout == "\(mine)\tPrinter: on fire\n")
        #expect(h.agent(["__complete", "ids"]).stdout.split(separator: "\n").count == 2)
        // A database that does not exist yet: nothing, and no file is created.
        let none = h.run(["--db", h.dir + "/none.db", "__complete", "ids"])
        #expect(none.code == 0 && none.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/none.db"))
    }

    /// A database with two active tickets of Alice's, a closed one and Carol's, and a
    /// config with its own departments.
    static func world() -> (Harness, active: Set<String>) {
        let h = Harness()
        try! FileManager.default.createDirectory(atPath: h.dir + "/config/tickets", withIntermediateDirectories: true)
        h.write("config/tickets/config", "departments = alpha, beta\n")
        let a = h.open("Printer: on fire", ["-d", "alpha"])
        let b = h.open("VPN down", ["-d", "beta"])
        let c = h.open("Done", ["-d", "beta"])
        h.run(["close", "\(c)"])
        _ = h.carol(["open", "-s", "Not Alice's", "-m", "x", "-d", "alpha"])
        return (h, ["\(a)", "\(b)"])
    }

    /// Line typed so far (a trailing space starts a new word) and what must be offered.
    static let cases: [(line: String, expected: [String]?)] = [
        ("tickets cl", ["close"]),
        ("tickets re", ["reply", "reopen"]),
        ("tickets list --so", ["--sort"]),
        ("tickets open --dedupe", ["--dedupe-key"]),
        ("tickets list --status ", ["open", "in-progress", "answered", "customer-reply", "closed", "canceled", "active", "all"]),
        ("tickets open -s list -p ", ["low", "medium", "high", "urgent"]),
        ("tickets --format ", ["table", "json", "csv", "ndjson"]),
        ("tickets list --sort ", ["id", "created", "updated", "priority"]),
        ("tickets open -d ", ["alpha", "beta"]),
        ("tickets help exit", ["exit-codes"]),
        ("tickets rate 1 ", ["1", "2", "3", "4", "5"]),
        ("tickets close ", nil), // nil: the active ids of the world
        ("tickets show ", nil),
    ]

    @Test(.enabled(if: ShellSupport.runs("bash")), arguments: cases)
    func bash(line: String, expected: [String]?) throws {
        let (h, active) = Self.world()
        // COMP_WORDS as bash splits the line; the function fills COMPREPLY.
        var words = line.split(separator: " ").map(String.init)
        if line.hasSuffix(" ") { words.append("") }
        let script = """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
            _tickets
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let file = ShellSupport.repository.appendingPathComponent("completions/tickets.bash").path
        let r = try ShellSupport.run(try ShellSupport.require("bash"), ["-c", script, "bash", file] + words, env: h.env)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(Set(r.stdout.split(separator: "\n").map(String.init)) == (expected.map(Set.init) ?? active))
    }

    @Test(.enabled(if: ShellSupport.runs("fish")), arguments: cases)
    func fish(line: String, expected: [String]?) throws {
        let (h, active) = Self.world()
        let file = ShellSupport.repository.appendingPathComponent("completions/tickets.fish").path
        let r = try ShellSupport.run(try ShellSupport.require("fish"), ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", file, line],
                                     env: h.env)
        #expect(r.code == 0, "\(r.stderr)")
        // "value<TAB>description" a line.
        let offered = Set(r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) })
        #expect(offered == (expected.map(Set.init) ?? active))
        if expected == nil { #expect(r.stdout.contains("Printer: on fire"), "ids come with their subjects") }
    }

    /// zsh completes only inside its line editor: the driver types the line and a Tab
    /// into an interactive `zsh -f` on a pseudo-terminal (zsh/zpty) after compinit, with
    /// compadd wrapped to write every match to a file.
    static let zshDriver = #"""
        zmodload zsh/zpty
        out=$2
        zpty z zsh -f -i
        zpty -w z "fpath=($3 \$fpath); autoload -U compinit; compinit -u -D"
        zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a m; builtin compadd -A m \"\$@\"; print -rl -- \$m >> $out; builtin compadd \"\$@\"; }"
        zpty -w z "comppostfuncs=(__done); __done() { print -r -- done >> $out.done }"
        zpty -w z "zstyle ':completion:*' insert-tab false"
        zpty -w z "bindkey '^I' complete-word"
        zpty -w -n z "$1"$'\t'
        # Not a timing test: a bound on waiting for a completion that never ran.
        for i in {1..400}; do [[ -e $out.done ]] && break; sleep 0.05; done
        zpty -d z
        [[ -e $out.done ]] || { print -u2 "the completion did not run"; exit 1 }
        [[ -e $out ]] && cat $out
        exit 0
        """#

    @Test(.enabled(if: ShellSupport.runs("zsh")), arguments: cases)
    func zsh(line: String, expected: [String]?) throws {
        let (h, active) = Self.world()
        let driver = h.write("driver.zsh", Self.zshDriver)
        let completions = ShellSupport.repository.appendingPathComponent("completions").path
        let r = try ShellSupport.run(try ShellSupport.require("zsh"), ["-f", driver, line, h.dir + "/matches", completions],
                                     env: h.env)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(Set(r.stdout.split(separator: "\n").map(String.init)) == (expected.map(Set.init) ?? active))
    }
}
