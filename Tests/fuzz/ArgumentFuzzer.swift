// libFuzzer entry point, compiled into the TicketsCLI module by Tests/fuzz/build (never a
// product of the package). The input is split at NUL bytes into argv, as a shell could
// hand it over: any bytes, any count. Parsing, then every value parser an argument can
// reach, must return or throw a TicketsError, never trap.
import TicketsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArguments(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let args = bytes.split(separator: 0, omittingEmptySubsequences: false).map { Argument(raw: Array($0)) }
    guard let parsed = try? ParsedArguments.parse(args) else { return 0 }
    let io = TerminalIO.test()
    let env = ["HOME": "/nonexistent", "TICKETS_NOW": args.first?.text ?? "", "COLUMNS": args.last?.text ?? ""]
    if let inv = try? Invocation(arguments: parsed, environment: env, io: io) {
        _ = inv.columns
        _ = inv.useColor
        _ = try? inv.filter(defaultStatuses: Status.active)
    }
    for a in parsed.positionals + args {
        _ = try? Invocation.ticketID(a.text)
        _ = Duration.seconds(a.text)
        _ = Timestamp.parse(a.text)
        _ = Sanitizer.line(a.text)
        _ = CSVWriter.escape(a.text)
    }
    if let command = parsed.command { _ = HelpText.command(command) }
    return 0
}
