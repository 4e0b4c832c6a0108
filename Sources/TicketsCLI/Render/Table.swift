/// A plain text table sized to the terminal. Widths count East Asian wide characters as
/// two cells. As the terminal narrows, the low-value columns go first (as `gh` does), so
/// the elastic column (the subject) keeps room to be read; only when nothing is left to
/// drop does it shrink, then the other columns are cut.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Index of the column that takes what room is left (the subject).
    var elastic: Int?
    /// Columns that may be left out when the terminal is narrow, the first to go first.
    var dropOrder: [Int] = []
    /// Columns whose cells are right-aligned (counts).
    var rightAligned: Set<Int> = []
    /// Per row and column, an ANSI style to wrap the cell in (colour on a terminal only).
    var styles: [[String?]] = []

    /// The elastic column is not squeezed below this before a droppable column goes.
    static let elasticRoom = 24
    static let gap = 2

    /// Which columns are shown and how wide, for a terminal of `width` cells.
    func layout(width: Int) -> (shown: [Int], widths: [Int]) {
        let n = headers.count
        var natural = headers.map(CellWidth.of)
        for r in rows {
            for (i, c) in r.enumerated() where i < n { natural[i] = max(natural[i], CellWidth.of(c)) }
        }
        // No fixed column may crowd out the elastic one.
        for i in natural.indices where i != elastic { natural[i] = min(natural[i], 32) }
        var shown = Array(0..<n)
        func needed(_ cols: [Int]) -> Int {
            cols.reduce(0) { $0 + ($1 == elastic ? min(natural[$1], Self.elasticRoom) : natural[$1]) }
                + Self.gap * max(0, cols.count - 1)
        }
        var drops = dropOrder[...]
        while needed(shown) > width, let next = drops.popFirst() { shown.removeAll { $0 == next } }
        var widths = shown.map { natural[$0] }
        let gaps = Self.gap * max(0, shown.count - 1)
        var total = widths.reduce(0, +) + gaps
        if total > width, let e = elastic, let at = shown.firstIndex(of: e) {
            widths[at] = max(min(natural[e], 8), widths[at] - (total - width))
            total = widths.reduce(0, +) + gaps
        }
        // Still too wide: trim the widest columns, never below 4 cells.
        while total > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
            widths[widest] -= 1
            total -= 1
        }
        return (shown, widths)
    }

    func render(width: Int, color: Bool, to out: OutputStream) {
        let (shown, widths) = layout(width: width)
        line(headers, shown, widths, styles: headers.map { _ in color ? "1" : nil }, to: out)
        for (ri, r) in rows.enumerated() {
            line(r, shown, widths, styles: color && ri < styles.count ? styles[ri] : [], to: out)
        }
    }

    private func line(_ cells: [String], _ shown: [Int], _ widths: [Int], styles: [String?], to out: OutputStream) {
        var s = ""
        for (k, i) in shown.enumerated() {
            let w = widths[k]
            let fitted = CellWidth.truncate(i < cells.count ? cells[i] : "", toCells: w)
            let last = k == shown.count - 1
            let text = rightAligned.contains(i) ? CellWidth.padLeft(fitted, toCells: w)
                : last ? fitted : CellWidth.pad(fitted, toCells: w)
            if i < styles.count, let style = styles[i] {
                s += "\u{1B}[\(style)m" + text + "\u{1B}[0m"
            } else {
                s += text
            }
            if !last { s += String(repeating: " ", count: Self.gap) }
        }
        // Trailing blanks from padding the last-but-one column are not worth keeping.
        while s.hasSuffix(" ") { s.removeLast() }
        out.write(s)
        out.write(byte: 0x0A)
    }
}
