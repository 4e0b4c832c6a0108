import TicketsCore

/// `list --count --by FIELD`: the status tabs of a portal, for a person (a two-column
/// table) and for a script (`[{"value": ..., "count": N}]`, ndjson lines or CSV).
struct CountOutput {
    let inv: Invocation
    init(_ inv: Invocation) { self.inv = inv }

    func write(_ field: CountField, _ rows: [(value: String?, count: Int)]) {
        let out = inv.io.stdout
        switch inv.format {
        case .table:
            var t = TextTable(headers: [field.rawValue.uppercased(), "COUNT"])
            t.elastic = 0
            t.rows = rows.map { [Sanitizer.line($0.value ?? "(none)"), String($0.count)] }
            t.rightAligned = [1]
            t.render(width: inv.columns, color: inv.useColor, to: out)
        case .json, .ndjson:
            var w = JSONWriter(out)
            if inv.format == .json { w.beginArray() }
            for r in rows {
                if inv.format == .ndjson { w = JSONWriter(out) }
                w.beginObject()
                w.key("value"); w.string(r.value)
                w.key("count"); w.int(Int64(r.count))
                w.endObject()
                if inv.format == .ndjson { out.write(byte: 0x0A) }
            }
            if inv.format == .json {
                w.endArray()
                out.write(byte: 0x0A)
            }
        case .csv:
            CSVWriter.row(["value", "count"], to: out)
            for r in rows { CSVWriter.row([r.value ?? "", String(r.count)], to: out) }
        }
    }
}
