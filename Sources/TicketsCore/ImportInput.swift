/// Pass one of `import` (SPEC §5): what `export` wrote (a JSON array or ndjson), read as a
/// stream with the reader's limits set from the configuration, each ticket checked by the
/// commands' rules (`ImportRecord`) and handed on. Memory holds one ticket at a time;
/// garbage is refused at its first bad byte, with its line and column (65).
public enum ImportInput {
    /// Returns how many tickets were read.
    public static func read(_ source: some ByteSource, name: String, rules: ImportRules,
                            into add: (ImportRecord) throws(TicketsError) -> Void) throws(TicketsError) -> Int {
        var limits = JSONLimits()
        limits.maxStringBytes = rules.maxStringBytes
        limits.howToRaise[.stringBytes] = "the longest a message or an attachment of attachment_max_size can be"
        var reader = JSONReader(source: source, limits: limits)
        var position = 0
        while true {
            let object: JSONObject?
            do throws(JSONReadError) {
                object = try reader.nextDocumentObject()
            } catch {
                switch error {
                case .syntax(let e):
                    // Name the ticket when its id was read before the fault (a duplicate key).
                    let which = reader.documentID.map { "ticket #\($0): " } ?? ""
                    throw .invalid("import: \(which)\(name) is not a tickets export: \(e.message); nothing was imported")
                case .source(let e): throw e
                }
            }
            guard let object else { return position }
            position += 1
            try add(try ImportRecord(object, position: position, rules: rules))
        }
    }
}
