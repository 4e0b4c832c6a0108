/// RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote,
/// CR or LF. A cell beginning with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so
/// that spreadsheets show it instead of running it as a formula (OWASP CSV injection).
enum CSVWriter {
    static func row(_ cells: [String], to out: OutputStream) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { out.write(byte: 0x2C) }
            out.write(escape(cell))
        }
        out.write("\r\n")
    }

    static func escape(_ cell: String) -> String {
        var c = cell
        if let first = c.utf8.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) {
            c = "'" + c
        }
        if c.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) {
            return "\"" + c.replacing("\"", with: "\"\"") + "\""
        }
        return c
    }
}
