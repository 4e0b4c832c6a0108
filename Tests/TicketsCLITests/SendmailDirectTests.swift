import Foundation
import Testing
@testable import TicketsCLI

/// `sendmail` lines the shell would only split on blanks run without a shell (as git's
/// run_command does); anything the shell would interpret still goes through `/bin/sh -c`.
struct SendmailDirectTests {
    let dir: String
    let program: String

    init() throws {
        dir = NSTemporaryDirectory() + "tickets-sendmail-direct-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        program = dir + "/bin/fakemail"
        _ = FileManager.default.createFile(atPath: program, contents: Data("#!/bin/sh\ncat > /dev/null\n".utf8),
                                           attributes: [.posixPermissions: 0o755])
        _ = FileManager.default.createFile(atPath: dir + "/bin/notexec", contents: Data("x".utf8),
                                           attributes: [.posixPermissions: 0o644])
    }

    @Test(arguments: [
        ("fakemail -t -oi", ["fakemail", "-t", "-oi"]),
        ("fakemail\t-t", ["fakemail", "-t"]),
        ("  fakemail   -a work  ", ["fakemail", "-a", "work"]),
        ("fakemail -a me@example.com", ["fakemail", "-a", "me@example.com"]),
    ])
    func aPlainLineRunsTheProgramFoundOnPATH(command: String, argv: [String]) throws {
        let direct = try #require(Sendmail.directArguments(command, path: "/nonexistent:" + dir + "/bin"))
        #expect(direct.program == program)
        #expect(direct.argv == argv, "argv[0] stays as typed")
    }

    @Test func anAbsolutePathRunsAsItIs() throws {
        let direct = try #require(Sendmail.directArguments(program + " -t", path: ""))
        #expect(direct.program == program && direct.argv == [program, "-t"])
    }

    /// What only a shell does, and programs that are not there or not executable: nil, so
    /// the line goes to /bin/sh -c, which interprets it or says what is wrong.
    @Test(arguments: [
        "fakemail -t > /tmp/x", "fakemail -t | tee x", "cat >> \"$F\"", "fakemail '-t'", "fakemail \"-t\"",
        "FOO=1 fakemail", "~/bin/fakemail", "fakemail *", "fakemail -t; rm x", "fakemail $HOME", "fakemail `id`",
        "fakemail -t &", "fakemail\n-t", "fakemail {a,b}", "! fakemail", "fakemail \\-t", "fakemail #x",
        "missing -t", "notexec -t", "", "   ",
    ])
    func anythingElseGoesToTheShell(command: String) {
        #expect(Sendmail.directArguments(command, path: dir + "/bin") == nil, "\(command)")
    }
}
