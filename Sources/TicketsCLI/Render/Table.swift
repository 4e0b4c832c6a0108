/// A plain text table sized to the terminal: widths count East Asian wide characters as
/// two cells; the one elastic column (the subject) shrinks, then others are cut.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Index of the column that absorbs lack of space.
    var elastic: Int?
    /// Per row and column, an ANSI style to wrap the cell in (colour on a terminal only).
    var styles: [[String?]] = []

    func render(width: Int, color: Bool, to out: OutputStream) {
        let n = headers.count
        var widths = headers.map(CellWidth.of)
        for r in rows {
            for (i, c) in r.enumerated() where i < n { widths[i] = max(widths[i], CellWidth.of(c)) }
        }
        // No fixed column may crowd out the elastic one.
        for i in widths.indices where i != elastic { widths[i] = min(widths[i], 32) }
        let gaps = 2 * (n - 1)
        var total = widths.reduce(0, +) + gaps
        if total > width {
            let cut = total - width
            if let e = elastic {
                widths[e] = max(8, widths[e] - cut)
            }
            total = widths.reduce(0, +) + gaps
            // Still too wide: trim the widest columns, never below 4 cells.
            while total > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
                widths[widest] -= 1
                total -= 1
            }
        }
        line(headers, widths: widths, styles: headers.map { _ in color ? "1" : nil }, to: out)
        for (ri, r) in rows.enumerated() {
            line(r, widths: widths, styles: color && ri < styles.count ? styles[ri] : [], to: out)
        }
    }

    private func line(_ cells: [String], widths: [Int], styles: [String?], to out: OutputStream) {
        var s = ""
        for (i, w) in widths.enumerated() {
            let raw = i < cells.count ? cells[i] : ""
            let fitted = CellWidth.truncate(raw, toCells: w)
            let last = i == widths.count - 1
            let text = last ? fitted : CellWidth.pad(fitted, toCells: w)
            if i < styles.count, let style = styles[i] {
                s += "\u{1B}[\(style)m" + text + "\u{1B}[0m"
            } else {
                s += text
            }
            if !last { s += "  " }
        }
        // Trailing blanks from padding the last-but-one column are not worth keeping.
        while s.hasSuffix(" ") { s.removeLast() }
        out.write(s)
        out.write(byte: 0x0A)
    }
}
