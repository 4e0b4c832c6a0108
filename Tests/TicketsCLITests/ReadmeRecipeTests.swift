import Foundation
import Testing
@testable import TicketsCLI

/// The README's cron and CI recipes, extracted from the README and run as written with
/// the built binary first on PATH.
@Suite struct ReadmeRecipeTests {
    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// The code blocks fenced with "```<language>".
    static func blocks(_ language: String) -> [String] {
        readme.components(separatedBy: "```\(language)\n").dropFirst().compactMap { $0.components(separatedBy: "\n```").first }
    }

    static func sh(_ script: String, env: [String: String], in dir: String) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func environment(_ h: Harness) -> [String: String] {
        var env = h.env
        env.removeValue(forKey: "TICKETS_NOW")
        env["PATH"] = URL(fileURLWithPath: BuiltBinary.path).deletingLastPathComponent().path + ":/usr/bin:/bin"
        return env
    }

    @Test func cronRecipeClosesStaleTicketsAndLogsThem() throws {
        let line = try #require(Self.blocks("crontab").first { $0.contains("close --stale") }?.split(separator: "\n").first { !$0.hasPrefix("#") })
        // What cron runs: the line after its five time fields, with /bin/sh.
        let command = line.split(separator: " ", maxSplits: 5).last.map(String.init) ?? ""
        #expect(line.hasPrefix("15 3 * * * tickets close --stale"))
        let h = Harness(now: "2026-01-01T00:00:00Z")
        var env = Self.environment(h)
        // Cron gives a HOME and no TICKETS_DB: the default database under it is used.
        env.removeValue(forKey: "TICKETS_DB")
        let old = ["TICKETS_DB": h.dir + "/.local/share/tickets/tickets.db"]
        let id = Int(h.run(["open", "-s", "Old", "-m", "x", "-q"], env: old).stdout.dropLast())!
        h.run(["reply", "\(id)", "-m", "answer", "--agent"], env: old)
        let fresh = Int(h.run(["open", "-s", "New", "-m", "x", "-q"], env: old.merging(["TICKETS_NOW": "2999-01-01T00:00:00Z"]) { $1 }).stdout.dropLast())!
        for _ in 0..<2 {
            let r = try Self.sh(command, env: env, in: h.dir)
            #expect(r.0 == 0)
        }
        let log = try String(contentsOfFile: h.dir + "/tickets-auto-close.log", encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 1, "\(log)")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(entry["id"] as? Int == id)
        #expect(entry["status"] as? String == "closed")
        #expect(try h.run(["show", "\(fresh)", "--json"], env: old).jsonObject()["status"] as? String == "open")
    }

    @Test func ciRecipeFilesOneTicketPerFailingJob() throws {
        let script = try #require(Self.blocks("sh").first { $0.contains("--dedupe-key") })
        let h = Harness()
        var env = Self.environment(h)
        env.merge(["CI_JOB_NAME": "build", "CI_COMMIT_REF_NAME": "main", "CI_PROJECT_PATH": "acme/shop",
                   "CI_PIPELINE_URL": "https://ci.example/p/1"]) { $1 }
        _ = h.write("build.log", "error: it broke\n")
        let first = try Self.sh(script, env: env, in: h.dir)
        #expect(first.0 == 0, "\(first.2)")
        #expect(first.1 == "filed as ticket #1\n")
        let second = try Self.sh(script, env: env, in: h.dir)
        #expect(second.1 == "filed as ticket #1\n")
        env["CI_JOB_NAME"] = "test"
        #expect(try Self.sh(script, env: env, in: h.dir).1 == "filed as ticket #2\n")
        let ticket = try h.agent(["show", "1", "--json"]).jsonObject()
        #expect(ticket["dedupe_key"] as? String == "ci:acme/shop:build:main")
        #expect(ticket["department"] as? String == "bug")
        let messages = try #require(ticket["messages"] as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { ($0["attachments"] as? [[String: Any]])?.first?["name"] as? String == "build.log" })
    }

    /// The tour, as a newcomer types it after installing: every line succeeds, and it
    /// leaves nothing behind.
    @Test func theTourRunsAsWritten() throws {
        let script = try #require(Self.blocks("sh").first { $0.contains("tickets-tour.db") })
        let h = Harness()
        var env = Self.environment(h)
        env.removeValue(forKey: "TICKETS_DB")
        let tour = script.replacingOccurrences(of: "/tmp/tickets-tour.db", with: h.dir + "/tour.db")
        let r = try Self.sh("set -e\n" + tour, env: env, in: h.dir)
        #expect(r.0 == 0, "\(r.2)")
        let json = try #require(r.1.split(separator: "\n").last)
        let tickets = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(tickets.first?["status"] as? String == "closed")
        #expect((tickets.first?["rating"] as? [String: Any])?["stars"] as? Int == 5)
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/tour.db"))
    }

    /// The install recipe on a fresh account (an empty HOME): the folders are made, the
    /// binary runs, and `man` finds the page through the PATH entry the README asks for.
    @Test func theInstallRecipeWorksOnAFreshAccount() throws {
        let script = try #require(Self.blocks("sh").first { $0.contains("install -D -s -m 0755 .build/release/tickets ~/.local/bin") })
        let h = Harness()
        let repo = h.dir + "/repo"
        let fm = FileManager.default
        try fm.createDirectory(atPath: repo + "/.build/release", withIntermediateDirectories: true)
        try fm.copyItem(atPath: BuiltBinary.path, toPath: repo + "/.build/release/tickets")
        for folder in ["man", "completions"] {
            try fm.copyItem(atPath: ShellSupport.repository.appendingPathComponent(folder).path, toPath: repo + "/" + folder)
        }
        let home = h.dir + "/home"
        try fm.createDirectory(atPath: home, withIntermediateDirectories: true)
        // `swift build -c release` is the build the test already did: skip that line.
        let steps = script.split(separator: "\n").filter { !$0.hasPrefix("swift build") }.joined(separator: "\n")
        let env = ["HOME": home, "PATH": "\(home)/.local/bin:/usr/bin:/bin"]
        let r = try Self.sh("set -e\n" + steps, env: env, in: repo)
        #expect(r.0 == 0, "\(r.2)")
        for file in [".local/bin/tickets", ".local/share/man/man1/tickets.1", ".local/share/bash-completion/completions/tickets",
                     ".zfunc/_tickets", ".config/fish/completions/tickets.fish"] {
            #expect(fm.fileExists(atPath: home + "/" + file), "\(file) was not installed")
        }
        let version = try Self.sh("tickets --version", env: env, in: home)
        #expect(version.0 == 0 && version.1.hasPrefix("tickets "), "\(version.2)")
        if let man = ShellSupport.find("man") {
            let found = try Self.sh("\(man) -w tickets", env: env, in: home)
            #expect(found.1.trimmingCharacters(in: .whitespacesAndNewlines) == home + "/.local/share/man/man1/tickets.1", "\(found.1)\(found.2)")
        } else {
            #expect(!ShellSupport.underCI, "man is not installed; .ci/run installs man-db")
        }
    }
}
