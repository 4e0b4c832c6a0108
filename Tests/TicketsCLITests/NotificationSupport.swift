import Foundation
import Glibc
import Testing
@testable import TicketsCLI
import TicketsCore
import TicketsSQLite

/// Python's strict email reader (Tests/Support/mail_strict_check.py) over emails the
/// fake sendmail saved, all of one test in one python3 process. Without python3 the
/// tests that need it are skipped, except under CI=true, where they fail.
enum StrictMailCheck {
    static let support = ShellSupport.repository.appendingPathComponent("Tests/Support").path
    static let python: String? = ["/usr/bin/python3", "/bin/python3", "/usr/local/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// For `.enabled(if:)`: run when python3 is there, and always under CI.
    static var runs: Bool { ShellSupport.underCI || python != nil }

    struct Address: Decodable, Equatable {
        let name: String
        let address: String
    }

    struct Header: Decodable {
        let name: String
        let value: String
        let defects: [String]
        let addresses: [Address]?
        let mailboxes: [String]?
        let rfc2047_names: [String]?
        let datetime: String?
    }

    struct Parsed: Decodable {
        let defects: [String]
        let headers: [Header]
        let multipart: Bool
        let content_type: String
        let charset: String?
        let body: String
        let reencoded_same: Bool
        let crlf_same: Bool
        let differences: [String]

        var names: [String] { headers.map(\.name) }
        func header(_ name: String) -> Header? { headers.first { $0.name.lowercased() == name.lowercased() } }
        func value(_ name: String) -> String? { header(name)?.value }
        var allDefects: [String] { defects + headers.flatMap { h in h.defects.map { "\(h.name): \($0)" } } }
    }

    static func parse(files: [String]) throws -> [Parsed] {
        guard !files.isEmpty else { return [] }
        let python = try #require(python, "python3 is not installed; .ci/run installs it (apt-get install python3)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            from mail_strict_check import check
            out = []
            for path in sys.argv[2:]:
                with open(path, "rb") as f:
                    out.append(check(f.read()))
            json.dump(out, sys.stdout)
            """, support] + files
        let out = Pipe(), err = Pipe()
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "the strict parser failed: \(String(decoding: e, as: UTF8.self))")
        return try JSONDecoder().decode([Parsed].self, from: o)
    }
}

/// One email the fake sendmail received, as Python's strict parser read it.
struct SavedMail {
    let file: String
    let raw: [UInt8]
    let parsed: StrictMailCheck.Parsed

    /// The addresses in `To:`, as the mail system uses them.
    var to: [String] { parsed.header("To")?.mailboxes ?? [] }
    /// `To:`'s display names, decoded as RFC 2047 says.
    var toNames: [String] { parsed.header("To")?.rfc2047_names ?? [] }
    /// The decoded `Subject:`.
    var subject: String? { parsed.value("Subject") }
    var messageID: String { parsed.value("Message-ID") ?? "" }
    var inReplyTo: String? { parsed.value("In-Reply-To") }
    var references: [String] { (parsed.value("References") ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init) }
    var body: String { parsed.body }
    /// The ticket id in the Message-ID (`<ticket-7.event-3.…@…>`).
    var ticketID: Int? {
        guard messageID.hasPrefix("<ticket-"), let dot = messageID.firstIndex(of: ".") else { return nil }
        return Int(messageID[messageID.index(messageID.startIndex, offsetBy: 8)..<dot])
    }
}

/// A Harness with `notify = sendmail` and a fake sendmail: a shell script in the test's
/// folder, set with the `sendmail` config key in a config file at TICKETS_CONFIG, that
/// saves each message it gets on standard input to `mail/00001.eml`, `mail/00002.eml`, …
///
/// Files in the folder steer it: `outage` makes it fail with status 75 (what msmtp says
/// when the server is down), `fail-pattern` (grep -F patterns) fails only the messages
/// that match, `slow` (seconds) delays each delivery, `crash-once` kills the running
/// `tickets` binary (the built one, found among
/// its ancestors) once, and `probe-lock` makes it, and the recording hooks, try to take
/// the database's write lock with sqlite3 (noting in `locked` when they could not) and
/// note in `*.overlap` when two of them ran at once.
final class MailLab {
    let h: Harness
    let configPath: String
    let withHooks: Bool
    let agents: [String]
    private(set) var mailsTaken = 0
    private(set) var hooksTaken = 0

    static let fromHeader = "Example Support <help@support.example>"
    static let fromAddress = StrictMailCheck.Address(name: "Example Support", address: "help@support.example")
    static let agents = ["kim@support.example", "lee@support.example"]
    /// Every notification carries exactly these headers, in this order.
    static let headerNames = ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted",
                              "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]
    static let hookNames = EventAction.allCases.map(\.hookName)

    var dir: String { h.dir }
    var mailDir: String { dir + "/mail" }
    var hooksDir: String { dir + "/hooks" }
    var hookLog: String { dir + "/hooklog" }
    var sendmailPath: String { dir + "/sendmail" }

    init(now: String = "2026-11-22T10:00:00Z", agents: [String] = MailLab.agents, hooks: Bool = false,
         sendmailCommand: String? = nil) {
        h = Harness(now: now)
        withHooks = hooks
        self.agents = agents
        configPath = h.dir + "/tickets.conf"
        for d in [mailDir, hookLog] + (hooks ? [hooksDir] : []) {
            try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
        Self.writeScript(sendmailPath, """
            LAB='\(h.dir)'
            echo "$*" >> "$LAB/sendmail.argv"
            tmp="$LAB/incoming.$$"
            cat > "$tmp"
            if [ -e "$LAB/probe-lock" ]; then
              sqlite3 "$LAB/tickets.db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1 || echo "sendmail $$" >> "$LAB/locked"
              mkdir "$LAB/sendmail.running" 2>/dev/null || echo "sendmail $$" >> "$LAB/sendmail.overlap"
              sleep 0.02
              rmdir "$LAB/sendmail.running" 2>/dev/null
            fi
            if [ -e "$LAB/crash-once" ]; then
              rm -f "$LAB/crash-once" "$tmp"
              bin=$(readlink -f "$(cat "$LAB/crash-once.bin")")
              p=$PPID
              for i in 1 2 3 4; do
                # tickets, or the tickets-pg beside it that it became for a server database.
                exe=$(readlink -f /proc/$p/exe)
                if [ "$exe" = "$bin" ] || [ "$exe" = "$bin-pg" ]; then kill -KILL "$p"; echo "killed $p" > "$LAB/crashed"; exit 1; fi
                p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status)
              done
              echo "no tickets process found" > "$LAB/crashed"
              exit 1
            fi
            if [ -e "$LAB/outage" ] || { [ -e "$LAB/fail-pattern" ] && grep -q -F -f "$LAB/fail-pattern" "$tmp"; }; then
              rm -f "$tmp"
              echo "sendmail: cannot connect to mail.example, port 25: Connection refused" >&2
              exit 75
            fi
            if [ -e "$LAB/slow" ]; then sleep "$(cat "$LAB/slow")"; fi
            n=1
            while ! (set -C; : > "$LAB/mail/$(printf %05d $n).eml") 2>/dev/null; do n=$((n+1)); done
            mv -f "$tmp" "$LAB/mail/$(printf %05d $n).eml"
            """)
        if hooks {
            for name in Self.hookNames { installRecordingHook(name) }
        }
        writeConfig(sendmail: sendmailCommand ?? "'\(sendmailPath)' -t -oi")
        h.env["TICKETS_CONFIG"] = configPath
    }

    /// The config file: notify = sendmail with this command, notify_from, notify_agents
    /// unless there are none, and hooks_dir with hooks.
    func writeConfig(sendmail command: String) {
        var config = """
            notify = sendmail
            sendmail = \(command)
            notify_from = \(Self.fromHeader)

            """
        if !agents.isEmpty { config += "notify_agents = \(agents.joined(separator: ", "))\n" }
        if withHooks { config += "hooks_dir = \(hooksDir)\n" }
        FileManager.default.createFile(atPath: configPath, contents: Data(config.utf8))
    }

    /// A hook that saves its standard input to `hooklog/NNNNN-post-ACTION.json`, numbered
    /// across all hooks in the order they ran (`NNNNN.seq` reserves the number).
    func installRecordingHook(_ name: String) {
        Self.writeScript(hooksDir + "/" + name, """
            LAB='\(h.dir)'
            name=$(basename "$0")
            if [ -e "$LAB/probe-lock" ]; then
              sqlite3 "$LAB/tickets.db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1 || echo "$name $$" >> "$LAB/locked"
              mkdir "$LAB/hook.running" 2>/dev/null || echo "$name $$" >> "$LAB/hook.overlap"
              sleep 0.02
              rmdir "$LAB/hook.running" 2>/dev/null
            fi
            n=1
            while ! (set -C; : > "$LAB/hooklog/$(printf %05d $n).seq") 2>/dev/null; do n=$((n+1)); done
            cat > "$LAB/hooklog/$(printf %05d $n)-$name.json"
            """)
    }

    /// Writes an executable `#!/bin/sh` script through a close-on-exec descriptor (see
    /// ChildScripts: a child spawned meanwhile must not inherit it, or exec gives ETXTBSY).
    static func writeScript(_ path: String, _ body: String) {
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        precondition(fd >= 0, "cannot write \(path)")
        precondition(Glibc.write(fd, bytes, bytes.count) == bytes.count)
        Glibc.close(fd)
        chmod(path, 0o755)
    }

    func flag(_ name: String, _ on: Bool, contents: String = "") {
        let path = dir + "/" + name
        if on {
            FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + name) }
    func text(_ name: String) -> String {
        String(decoding: FileManager.default.contents(atPath: dir + "/" + name) ?? Data(), as: UTF8.self)
    }

    // MARK: the people

    @discardableResult
    func alice(_ args: [String], env: [String: String] = [:], stdin: [UInt8] = []) -> Harness.Result {
        h.run(args, stdin: stdin, env: env)
    }

    @discardableResult
    func bob(_ args: [String], env: [String: String] = [:]) -> Harness.Result {
        h.run(args, env: ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent", "TICKETS_EMAIL": "bob@support.example"]
            .merging(env) { $1 })
    }

    @discardableResult
    func kim(_ args: [String], env: [String: String] = [:]) -> Harness.Result {
        h.run(args, env: ["TICKETS_ROLE": "agent", "TICKETS_NAME": "Kim Agent", "TICKETS_EMAIL": "kim@support.example"]
            .merging(env) { $1 })
    }

    @discardableResult
    func carol(_ args: [String], env: [String: String] = [:]) -> Harness.Result {
        h.run(args, env: ["TICKETS_NAME": "Carol", "TICKETS_EMAIL": "carol@example.com"].merging(env) { $1 })
    }

    /// Alice opens a ticket (with Carol on cc unless told otherwise); returns its id.
    func open(_ subject: String = "Printer on fire", message: String = "It is on fire.", cc: [String] = ["carol@example.com"],
              extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let r = alice(["open", "-s", subject, "-m", message, "-q"] + cc.flatMap { ["--cc", $0] } + extra)
        #expect(r.code == 0, "open failed: \(r.stderr)", sourceLocation: sourceLocation)
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    // MARK: what arrived

    var mailFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: mailDir)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
            .map { mailDir + "/" + $0 }
    }

    var mailCount: Int { mailFiles.count }

    func parse(_ files: [String]) throws -> [SavedMail] {
        let parsed = try StrictMailCheck.parse(files: files)
        return zip(files, parsed).map { file, p in
            SavedMail(file: file, raw: [UInt8](FileManager.default.contents(atPath: file) ?? Data()), parsed: p)
        }
    }

    /// Every email received so far, in the order sendmail got them.
    func allMails() throws -> [SavedMail] { try parse(mailFiles) }

    /// The emails received since the last call.
    func newMails() throws -> [SavedMail] {
        let files = mailFiles
        let fresh = Array(files.dropFirst(mailsTaken))
        mailsTaken = files.count
        return try parse(fresh)
    }

    struct HookRun {
        let name: String
        let json: [String: Any]
        let raw: Data
    }

    var hookFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: hookLog)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The hook runs since the last call: which hook, and the JSON it got.
    func newHookRuns() throws -> [HookRun] {
        let files = hookFiles
        let fresh = files.dropFirst(hooksTaken)
        hooksTaken = files.count
        return try fresh.map { f in
            let data = try #require(FileManager.default.contents(atPath: hookLog + "/" + f))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(f) is not one JSON object")
            // 00001-post-open.json
            let name = String(f.dropFirst(6).dropLast(5))
            return HookRun(name: name, json: object, raw: data)
        }
    }

    /// The notification emails still queued (the outbox), oldest first.
    func queued() throws -> [QueuedMail] {
        // Through the harness: the SQLite file or, with TICKETS_TEST_STORE=postgres, the server.
        try h.store(.read).unsentMail()
    }

    // MARK: checks

    /// What every notification must be: strictly well-formed, the fixed set of headers,
    /// From notify_from, Auto-Submitted, a UTF-8 text body, a Message-ID of its ticket.
    static func expectWellFormed(_ mails: [SavedMail], sourceLocation: SourceLocation = #_sourceLocation) {
        for m in mails {
            let p = m.parsed
            let name = (m.file as NSString).lastPathComponent
            #expect(p.allDefects.isEmpty, "\(name): \(p.allDefects)", sourceLocation: sourceLocation)
            #expect(p.reencoded_same && p.crlf_same, "\(name): \(p.differences)", sourceLocation: sourceLocation)
            #expect(p.names == headerNames, "\(name): headers \(p.names)", sourceLocation: sourceLocation)
            #expect(p.value("From") == fromHeader, sourceLocation: sourceLocation)
            #expect(p.header("From")?.addresses == [fromAddress], sourceLocation: sourceLocation)
            #expect(p.value("Auto-Submitted") == "auto-generated", sourceLocation: sourceLocation)
            #expect(p.content_type == "text/plain" && p.charset == "utf-8" && !p.multipart, sourceLocation: sourceLocation)
            #expect(m.ticketID != nil && m.messageID.hasSuffix("@support.example>"), "\(name): Message-ID \(m.messageID)",
                    sourceLocation: sourceLocation)
            #expect(p.header("Bcc") == nil && p.header("Cc") == nil, sourceLocation: sourceLocation)
        }
    }

    /// Every Message-ID is unique, and the emails of one ticket form one thread:
    /// References starts at the ticket's root and lists its earlier emails in order, and
    /// In-Reply-To names the newest of them (the root for the first).
    static func expectThreaded(_ mails: [SavedMail], sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = mails.map(\.messageID)
        #expect(Set(ids).count == ids.count, "Message-IDs repeat: \(ids)", sourceLocation: sourceLocation)
        var earlier = [Int: [String]]()
        for m in mails {
            guard let t = m.ticketID else { continue }
            let root = "<ticket-\(t)@support.example>"
            let before = earlier[t, default: []]
            #expect(m.references == [root] + before.suffix(9), "References of \(m.messageID)", sourceLocation: sourceLocation)
            #expect(m.inReplyTo == (before.last ?? root), "In-Reply-To of \(m.messageID)", sourceLocation: sourceLocation)
            earlier[t, default: []].append(m.messageID)
        }
    }
}
