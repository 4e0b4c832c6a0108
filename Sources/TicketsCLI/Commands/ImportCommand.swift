import Glibc
import TicketsCore
import TicketsSQLite

/// `tickets import FILE|-` (agents): restores what export wrote, in two passes. Pass one
/// reads the input as a stream and checks every ticket by the rules of the commands,
/// staging them in a private file in $TMPDIR; only then is the database opened, and pass
/// two moves them in one transaction (all or nothing). A bad input is refused (65) before
/// the database exists, and no lock is held while a pipe is read.
enum ImportCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["file"])
        guard try inv.role() == .agent else {
            throw .notPermitted("import is an agent's command; run it with --agent or TICKETS_ROLE=agent")
        }
        let rules = ImportRules(attachments: AttachmentPolicy(try inv.config()))
        let tmp = inv.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let stage = try ImportStage(directory: tmp)
        if p[0].text == "-" {
            _ = try ImportInput.read(try inv.io.standardInputSource(), name: "standard input", rules: rules, into: stage.add)
        } else {
            // A FIFO waits for its writer, as `cat` does (FileSystem.openForReading).
            let fd = try FileSystem.openForReading(rawPath: p[0].raw)
            defer { close(fd) }
            _ = try ImportInput.read(FileDescriptorSource(fd: fd, name: p[0].text), name: p[0].text, rules: rules, into: stage.add)
        }
        try stage.finish()
        let path = try inv.databasePath
        let existed = FileSystem.exists(path)
        let summary: ImportSummary
        do {
            summary = try inv.openStore(.write).importTickets(stage)
        } catch {
            // A database this import created holds nothing of value: leave no file behind.
            if !existed { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) } }
            throw error
        }
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
