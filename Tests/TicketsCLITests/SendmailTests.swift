import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// The sendmail adapter against fake sendmail scripts (SPEC §9).
struct SendmailTests {
    static let message = Array("From: a@b.example\nTo: c@d.example\nSubject: [#1] $(touch pwned); `id`\n\nbody\n".utf8)

    @Test func theMessageArrivesOnStandardInputAndNothingElseInArgv() throws {
        let s = ChildScripts()
        let fake = s.script("sendmail", "printf '%s\\n' \"$@\" > \"$DIR/argv\"; cat > \"$DIR/stdin\"")
        #expect(Sendmail.deliver(Self.message, command: fake + " -t -oi", environment: s.environment) == nil)
        #expect(s.read("stdin") == Self.message)
        #expect(s.text("argv") == "-t\n-oi\n")
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/pwned"))
    }

    /// `open` starts sendmail before its transaction and hands it the email after the
    /// commit: the program waits on its input meanwhile, however long that takes.
    @Test func aStartedCommandTakesTheMessageWhenItComes() throws {
        let s = ChildScripts()
        let fake = s.script("sendmail", "echo $$ > \"$DIR/pid\"; printf '%s\\n' \"$@\" > \"$DIR/argv\"; cat > \"$DIR/stdin\"")
        let started = try Sendmail.start(fake + " -t -oi", environment: s.environment).get()
        #expect(Self.waitFor(s.dir + "/pid"), "the script never ran")
        usleep(100_000)
        #expect(s.read("stdin").isEmpty, "nothing reaches the program before finish")
        #expect(Sendmail.finish(started, message: Self.message) == nil)
        #expect(s.read("stdin") == Self.message)
        #expect(s.text("argv") == "-t\n-oi\n")
        #expect(ChildScripts.isGone(started.pid), "finish reaps the program")
    }

    /// The change failed or queued nothing: the waiting program is killed, with what it
    /// started, before its input ends, so it takes no message (a real sendmail given an
    /// end of input would send what it read).
    @Test func aCancelledCommandTakesNoMessageAndLeavesNoProcess() throws {
        let s = ChildScripts()
        let fake = s.script("sendmail", """
            sleep 30 & echo $! > "$DIR/child"
            echo $$ > "$DIR/pid"
            cat > "$DIR/stdin.part"
            mv "$DIR/stdin.part" "$DIR/sent"
            """)
        let started = try Sendmail.start(fake, environment: s.environment).get()
        #expect(Self.waitFor(s.dir + "/pid"), "the script never ran")
        Sendmail.cancel(started)
        #expect(ChildScripts.isGone(started.pid), "cancel reaps the program")
        let child = try #require(pid_t(s.text("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ChildScripts.waitGone(child), "the sleep it started is still running")
        usleep(100_000)
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/sent"), "a cancelled sendmail saw the end of its input")
    }

    /// Polls for `path` for up to 10 s.
    static func waitFor(_ path: String) -> Bool {
        for _ in 0..<1000 where !FileManager.default.fileExists(atPath: path) { usleep(10_000) }
        return FileManager.default.fileExists(atPath: path)
    }

    @Test func aLargeMessageIsWrittenWhole() {
        let s = ChildScripts()
        let fake = s.script("sendmail", "sleep 0.2; cat > \"$DIR/stdin\"")
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20) + [0x0A]
        #expect(Sendmail.deliver(big, command: fake, environment: s.environment) == nil)
        // A Bool, not two arrays: a failed comparison of 3 MiB arrays takes ages to diff.
        let received = s.read("stdin")
        #expect(received == big, "received \(received.count) of \(big.count) bytes")
    }

    @Test func aFailureSaysTheStatusAndWhatTheCommandSaid() throws {
        let s = ChildScripts()
        let fake = s.script("sendmail", "cat >/dev/null; echo 'msmtp: cannot connect to mail.example, port 25:' >&2; echo ' Connection refused' >&2; exit 75")
        let why = try #require(Sendmail.deliver(Self.message, command: fake + " -t", environment: s.environment))
        #expect(why == "'\(fake) -t' exited with status 75: msmtp: cannot connect to mail.example, port 25: Connection refused")
    }

    @Test func aHungCommandIsKilledWithWhatItStarted() throws {
        let s = ChildScripts()
        let fake = s.script("sendmail", "sleep 30 & echo $! > \"$DIR/child\"; wait")
        let start = Date()
        let why = try #require(Sendmail.deliver(Self.message, command: fake, environment: s.environment, timeout: 0.5))
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(why.hasPrefix("'\(fake)' did not finish within 0.5 s and was killed"))
        let child = try #require(pid_t(s.text("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ChildScripts.waitGone(child), "the sleep the command started is still running")
    }

    @Test func aMissingCommandIsAFailureNotACrash() throws {
        let s = ChildScripts()
        let why = try #require(Sendmail.deliver(Self.message, command: s.dir + "/no-such-sendmail -t -oi", environment: s.environment))
        #expect(why.hasPrefix("'\(s.dir)/no-such-sendmail -t -oi' exited with status 127: "))
        #expect(why.contains("not found"))
    }

    @Test func aSignalIsNamed() throws {
        let s = ChildScripts()
        let why = try #require(Sendmail.deliver(Self.message, command: "kill -TERM $$", environment: s.environment))
        #expect(why == "'kill -TERM $$' was killed by signal 15 (Terminated)")
        // A plain line runs the program without a shell: its own signal is named too.
        let fake = s.script("sendmail", "kill -TERM $$")
        #expect(Sendmail.deliver(Self.message, command: fake, environment: s.environment) == "'\(fake)' was killed by signal 15 (Terminated)")
    }

    @Test func aCommandThatReadsNothingCannotKillUs() throws {
        let s = ChildScripts()
        let big = [UInt8](repeating: 0x41, count: 4 << 20)
        let quits = s.script("quits", "exit 3")
        #expect(Sendmail.deliver(big, command: quits, environment: s.environment) == "'\(quits)' exited with status 3")
        let closes = s.script("closes", "exec 0<&-; sleep 0.2; exit 0")
        #expect(Sendmail.deliver(big, command: closes, environment: s.environment) == nil)
    }

    @Test func floodedOutputIsBoundedToOneLine() throws {
        let s = ChildScripts()
        let fake = s.script("sendmail", "cat >/dev/null; i=0; while [ $i -lt 20000 ]; do echo \"error line $i\" >&2; echo out; i=$((i+1)); done; exit 1")
        let why = try #require(Sendmail.deliver(Self.message, command: fake, environment: s.environment))
        #expect(why.count <= Sendmail.reasonLimit)
        #expect(!why.contains("\n"))
        #expect(why.hasPrefix("'\(fake)' exited with status 1: error line 0 out error line 1"))
    }

    @Test func oneLineMakesControlsSpaces() {
        #expect(Sendmail.oneLine(Array("  a\r\n\tb\u{1B}[0m  c\u{85}d \n".utf8)) == "a b [0m c d")
        #expect(Sendmail.oneLine([]) == "")
    }
}
