import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// `post-ACTION` hooks (SPEC §9), with scripts for hooks and a capturing stream for
/// our standard error.
struct HookRunnerTests {
    static let json = Array(#"{"event":{"id":7,"action":"open"},"ticket":{"id":42,"subject":"Printer on fire 打印机"}}"#.utf8)

    /// Runs the hook; returns the warning and what it wrote.
    static func run(_ s: ChildScripts, _ action: EventAction = .open, json: [UInt8] = json,
                    timeout: Double = 5) throws -> (String?, String) {
        let stderr = OutputStream()
        let warning = HookRunner.run(action, json: json, directory: s.dir, environment: s.environment,
                                     timeout: timeout, output: stderr)
        stderr.flush()
        return (warning, stderr.text)
    }

    @Test func theHookGetsTheJSONOnStandardInput() throws {
        let s = ChildScripts()
        s.script("post-open", "cat > \"$DIR/received\"")
        let (warning, _) = try Self.run(s)
        #expect(warning == nil)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(s.read("received"))) as? [String: Any])
        #expect((parsed["ticket"] as? [String: Any])?["subject"] as? String == "Printer on fire 打印机")
        #expect((parsed["event"] as? [String: Any])?["action"] as? String == "open")
    }

    @Test func bothOutputsGoWhereOurStandardErrorGoes() throws {
        let s = ChildScripts()
        s.script("post-reply", "echo on-stdout; echo on-stderr >&2; echo via-dev-stdout > /dev/stdout")
        let stderr = OutputStream()
        stderr.write("tickets: our own line first\n")
        let warning = HookRunner.run(.reply, json: Self.json, directory: s.dir, environment: s.environment, output: stderr)
        #expect(warning == nil)
        #expect(stderr.text == "tickets: our own line first\non-stdout\non-stderr\nvia-dev-stdout\n")
    }

    @Test func aChattyHookIsForwardedWhole() throws {
        let s = ChildScripts()
        s.script("post-open", "i=0; while [ $i -lt 5000 ]; do echo \"line $i of the hook's output\"; i=$((i+1)); done")
        let (warning, output) = try Self.run(s)
        #expect(warning == nil)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 5000)
        #expect(lines.last == "line 4999 of the hook's output")
    }

    @Test(arguments: EventAction.allCases)
    func eachActionRunsItsOwnHook(action: EventAction) throws {
        let s = ChildScripts()
        for other in EventAction.allCases {
            s.script(other.hookName, "echo \(other.rawValue)")
        }
        let (warning, output) = try Self.run(s, action)
        #expect(warning == nil)
        #expect(output == action.rawValue + "\n")
        #expect(action.hookName == "post-" + action.rawValue)
    }

    @Test func noHookIsNothing() throws {
        let s = ChildScripts()
        s.script("post-close", "exit 1")
        #expect(try Self.run(s, .open) == (nil, ""))
        #expect(HookRunner.run(.open, json: Self.json, directory: s.dir + "/missing", environment: [:], output: OutputStream()) == nil)
    }

    @Test func aFailingHookIsAWarning() throws {
        let s = ChildScripts()
        s.script("post-open", "cat >/dev/null; echo 'ticket bot: cannot reach chat' >&2; exit 1")
        let (warning, output) = try Self.run(s)
        #expect(warning == "hook post-open exited with status 1")
        #expect(output == "ticket bot: cannot reach chat\n")
    }

    @Test func aSignalIsAWarning() throws {
        let s = ChildScripts()
        s.script("post-open", "kill -KILL $$")
        #expect(try Self.run(s).0 == "hook post-open was killed by signal 9 (Killed)")
    }

    @Test func aHookThatRunsTooLongIsKilledWithItsChildren() throws {
        let s = ChildScripts()
        s.script("post-open", "sleep 30 & echo $! > \"$DIR/grandchild\"; echo started; sleep 30")
        let start = Date()
        let (warning, output) = try Self.run(s, timeout: 0.5)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(warning == "hook post-open did not finish within 0.5 s and was killed")
        #expect(output == "started\n")
        let grandchild = try #require(pid_t(s.text("grandchild").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ChildScripts.waitGone(grandchild), "the hook's own child survived the timeout")
    }

    @Test func aHookThatIgnoresAHugeInputNeitherHangsNorKillsUs() throws {
        let s = ChildScripts()
        let huge = Array("{\"event\":{},\"ticket\":{\"subject\":\"".utf8) + [UInt8](repeating: 0x61, count: 8 << 20) + Array("\"}}".utf8)
        s.script("post-open", "echo not reading")
        let start = Date()
        #expect(try Self.run(s, json: huge) == (nil, "not reading\n"))
        // One that closes its input and goes on working is waited for, not killed.
        s.script("post-open", "exec 0<&-; sleep 0.3; echo done")
        #expect(try Self.run(s, json: huge) == (nil, "done\n"))
        #expect(Date().timeIntervalSince(start) < 4)
    }

    @Test func aHookThatCannotRunSaysWhy() throws {
        let s = ChildScripts()
        s.script("post-open", "exit 0", mode: 0o644)
        #expect(try Self.run(s).0 == "hook \(s.dir)/post-open is not an executable file; make it one (chmod +x) or remove it")
        try FileManager.default.removeItem(atPath: s.dir + "/post-open")
        try FileManager.default.createDirectory(atPath: s.dir + "/post-open", withIntermediateDirectories: false)
        #expect(try Self.run(s).0?.hasSuffix("is not an executable file; make it one (chmod +x) or remove it") == true)
        s.file("post-reply", "#!/no/such/interpreter\n", mode: 0o755)
        #expect(try Self.run(s, .reply).0 == "hook post-reply could not start: No such file or directory")
    }

    @Test func theHookGetsTheInvocationEnvironmentAndNoShell() throws {
        let s = ChildScripts()
        // A folder name a shell would split or expand is used as it is.
        let folder = s.dir + "/my hooks $(touch pwned); x"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        s.script("my hooks $(touch pwned); x/post-open", "echo \"$DIR\" \"$0\"")
        let stderr = OutputStream()
        let warning = HookRunner.run(.open, json: Self.json, directory: folder, environment: s.environment, output: stderr)
        #expect(warning == nil)
        #expect(stderr.text == "\(s.dir) \(folder)/post-open\n")
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/pwned"))
    }
}
