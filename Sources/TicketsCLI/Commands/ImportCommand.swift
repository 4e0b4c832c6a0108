import Glibc
import TicketsCore
import TicketsSQLite

/// `tickets import FILE|-` (agents): restores what export wrote, in two passes. Pass one
/// reads the input as a stream and checks every ticket by the rules of the commands,
/// staging them in a private file in $TMPDIR; only then is the database opened, and pass
/// two moves them in one transaction (all or nothing). A bad input is refused (65) before
/// the database exists, and no lock is held while a pipe is read. Into a database that
/// does not exist yet, pass one builds the whole database under a hidden name instead,
/// and a link puts it in place.
enum ImportCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let p = try inv.positionals(["file"])
        guard try inv.role() == .agent else {
            throw .notPermitted("import is an agent's command; run it with --agent or TICKETS_ROLE=agent")
        }
        let rules = ImportRules(attachments: AttachmentPolicy(try inv.config()))
        let path = try inv.databasePath
        // A database that does not exist yet is built whole under a hidden name beside
        // it and linked into place at the end (ImportStage(newDatabase:)): nothing to
        // check it against, nobody to lock out, the rows written once.
        let missing = DatabaseLocation.isServer(path) ? false : try SQLiteStore.isMissing(path)
        let building = missing && FileSystem.isDirectory(FileSystem.dirname(of: path))
        let tmp = inv.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let stage = building ? try ImportStage(newDatabase: path) : try ImportStage(directory: tmp)
        // Parsing and checking on one thread, writing on this one (ImportPipeline).
        let read: (_ emit: (ImportRecord) throws(TicketsError) -> Void) throws(TicketsError) -> Void
        if p[0].text == "-" {
            let source = try inv.io.standardInputSource()
            read = { emit throws(TicketsError) in _ = try ImportInput.read(source, name: "standard input", rules: rules, into: emit) }
        } else {
            // A FIFO waits for its writer, as `cat` does (FileSystem.openForReading).
            let fd = try FileSystem.openForReading(rawPath: p[0].raw)
            let name = p[0].text
            read = { emit throws(TicketsError) in
                defer { close(fd) }
                _ = try ImportInput.read(FileDescriptorSource(fd: fd, name: name), name: name, rules: rules, into: emit)
            }
        }
        try ImportPipeline.run(read: read, write: stage.add)
        var summary = ImportSummary()
        if building {
            try stage.install()
            summary.imported = stage.ticketCount
        } else {
            try stage.finish()
            let existed = FileSystem.exists(path)
            do {
                summary = try inv.openStore(.write).importTickets(stage)
            } catch {
                // A database this import created holds nothing of value: leave no file behind.
                if !existed { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) } }
                throw error
            }
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
