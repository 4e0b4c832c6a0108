import Glibc
import Testing
@testable import TicketsCLI

/// `TicketsCLI.environmentOfProcess`, which reads `environ` for the real process: the name is
/// everything before the first `=`, every variable is kept (children inherit them), and a
/// variable whose bytes are not UTF-8 is decoded with U+FFFD and named for the warning.
/// The variables are set in this test process under names no other test uses.
@Suite(.serialized)
struct ProcessEnvironmentTests {
    static func set(_ name: String, _ value: [UInt8]) {
        let bytes = value.map { CChar(bitPattern: $0) } + [0]
        #expect(setenv(name, bytes, 1) == 0)
    }

    @Test func valuesAreSplitAtTheFirstEqualsSign() {
        let name = "TICKETS_ENVTEST_EQUALS_\(getpid())"
        Self.set(name, Array("a=b==c".utf8))
        defer { unsetenv(name) }
        let (variables, invalid) = TicketsCLI.environmentOfProcess()
        #expect(variables[name] == "a=b==c")
        #expect(!invalid.contains(name))
        #expect(variables["PATH"] == String(cString: getenv("PATH")))
    }

    @Test func validNonASCIIIsKeptAsIs() {
        let name = "TICKETS_ENVTEST_UTF8_\(getpid())"
        Self.set(name, Array("Zoë 東京 e\u{301}".utf8))
        defer { unsetenv(name) }
        let (variables, invalid) = TicketsCLI.environmentOfProcess()
        #expect(variables[name] == "Zoë 東京 e\u{301}")
        #expect(!invalid.contains(name))
    }

    @Test(arguments: Utf8RepairTests.badBytes)
    func badBytesAreRepairedAndNamed(bytes: Labeled<[UInt8]>) {
        let name = "TICKETS_ENVTEST_BAD_\(getpid())"
        Self.set(name, Array("Bad".utf8) + bytes.value + Array("name".utf8))
        defer { unsetenv(name) }
        let (variables, invalid) = TicketsCLI.environmentOfProcess()
        #expect(variables[name] == Utf8RepairTests.repaired("Bad", bytes.value, "name"))
        #expect(invalid == [name])
    }

    @Test func everyVariableIsKept() {
        var count = 0
        while environ[count] != nil { count += 1 }
        let (variables, _) = TicketsCLI.environmentOfProcess()
        // Names are unique in a normal environment; each one is in the dictionary.
        #expect(variables.count == count)
    }
}
