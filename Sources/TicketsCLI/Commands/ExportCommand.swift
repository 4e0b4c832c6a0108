import Glibc
import TicketsCore

/// `tickets export`: every ticket the viewer may see, with messages, attachment metadata
/// (bytes too with --with-attachments), events and rating, streamed one ticket at a time.
enum ExportCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        let a = inv.arguments
        _ = try inv.positionals([])
        let format: OutputFormat = a.has("format") || a.has("json") || a.has("csv") ? inv.format : .json
        guard format != .table else { throw .usage("export writes json, ndjson or csv, not a table") }
        let filter = try inv.filter(defaultStatuses: Status.allCases)
        let viewer = try inv.viewer(needsEmail: filter.mine)
        let withData = a.has("with-attachments")
        let store = try inv.openStore(.read)
        if a.has("force") && !a.has("output") { throw .usage("--force goes with -o <file>: it lets export replace that file") }
        let target = try a.value("output").map { (o) throws(TicketsError) in
            try OutputTarget.open(o, force: a.has("force"), stdout: inv.io.stdout)
        }
        let out = target?.stream ?? inv.io.stdout
        do {
            try write(store, filter: filter, viewer: viewer, format: format, withData: withData, now: inv.now, to: out)
            try target?.commit()
        } catch {
            target?.discard()
            // The reader went away (`export | head`): stop quietly, as every command does.
            if out.failed == EPIPE { return ExitCode.success }
            if let target, out.failed != 0 {
                throw .io("cannot write to \(target.shown): \(String(cString: strerror(out.failed)))")
            }
            throw error
        }
        return ExitCode.success
    }

    static func write(_ store: any TicketStore, filter: TicketFilter, viewer: Viewer, format: OutputFormat,
                      withData: Bool, now: Timestamp, to out: OutputStream) throws(TicketsError) {
        var filter = filter
        filter.sort = .id
        filter.reverse = true
        if format == .csv {
            CSVWriter.row(TicketField.stored.flatMap(\.csvColumns), to: out)
        }
        var w = JSONWriter(out)
        if format == .json { w.beginArray(); out.write(byte: 0x0A) }
        var first = true
        // Checked on the way out: bytes that no longer match their SHA-256 are not exported as if sound.
        let data: ((Attachment) throws(TicketsError) -> [UInt8])? = withData ? { (a) throws(TicketsError) in
            let bytes = try store.attachmentData(a.id)
            guard SHA256.hex(bytes) == a.sha256 else {
                throw .invalid("attachment \(a.id) (\(a.name)) does not match its SHA-256; the database may be damaged")
            }
            return bytes
        } : nil
        try store.forEachTicket(TicketQuery(filter, viewer: viewer, now: now)) { (t) throws(TicketsError) in
            // A reader that went away: no use reading a million more tickets.
            if out.failed != 0 { throw .io("cannot write the export: \(String(cString: strerror(out.failed)))") }
            switch format {
            case .csv:
                CSVWriter.row(TicketField.stored.flatMap { $0.csvValues(t) }, to: out)
            case .json, .ndjson:
                let d = try store.detail(of: t, viewer: viewer, history: true)
                if format == .json && !first { out.write(",\n") }
                first = false
                var one = JSONWriter(out)
                try DetailJSON.write(d, events: true, &one, attachmentData: data)
                if format == .ndjson { out.write(byte: 0x0A) }
            case .table:
                break
            }
        }
        if format == .json {
            if !first { out.write(byte: 0x0A) }
            w.endArray()
            out.write(byte: 0x0A)
        }
        out.flush()
        if out.failed != 0 && out.failed != EPIPE { throw .io("cannot write the export: \(String(cString: strerror(out.failed)))") }
    }
}
