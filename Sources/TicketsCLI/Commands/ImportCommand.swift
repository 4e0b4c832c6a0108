import TicketsCore

/// `tickets import FILE|-`: restores what export wrote (agents only). The whole input is
/// read before the database is opened; the store loads it in one transaction.
enum ImportCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["file"])
        guard try inv.role() == .agent else {
            throw .notPermitted("import is an agent's command; run it with --agent or TICKETS_ROLE=agent")
        }
        let fromStdin = p[0].text == "-"
        let bytes = fromStdin ? try inv.io.standardInput() : try FileSystem.read(rawPath: p[0].raw)
        let store = try inv.openStore(.write)
        let summary = try store.importTickets(bytes, source: fromStdin ? "standard input" : p[0].text)
        inv.committed("\(summary.imported) ticket\(summary.imported == 1 ? " was" : "s were") imported")
        if inv.isJSON {
            inv.io.stdout.write("{\"imported\":\(summary.imported),\"skipped\":\(summary.skipped)}\n")
        } else {
            let noun = summary.imported == 1 ? "ticket" : "tickets"
            inv.io.stdout.write("imported \(summary.imported) \(noun), skipped \(summary.skipped) existing\n")
        }
        return ExitCode.success
    }
}
