/// FTS5's structure record: which segments an index has and on which level (the row with
/// id 10 of `<table>_data`). The layout is the one SQLite's fts5_index.c documents and has
/// kept since FTS5's first release (3.9.0); newer versions still read it:
///
///     4 bytes   the configuration cookie
///     varint    number of levels, number of segments, write counter
///     per level varint number of segments in an ongoing merge, varint number of
///               segments, then per segment: varint segment id, first and last leaf page
///
/// Varints are SQLite's own: 1-9 bytes, 7 bits a byte, big-endian, the ninth byte whole.
struct FTS5Structure: Equatable {
    struct Segment: Equatable {
        var id: UInt64
        var firstPage: UInt64
        var lastPage: UInt64
        var pages: UInt64 { lastPage >= firstPage ? lastPage - firstPage + 1 : 0 }
    }
    struct Level: Equatable {
        var merging: UInt64
        var segments: [Segment]
    }

    var cookie: [UInt8]
    var writeCounter: UInt64
    var levels: [Level]

    /// Nil when `record` is not a structure record this code understands (then nothing is
    /// changed).
    init?(_ record: [UInt8]) {
        guard record.count >= 4 else { return nil }
        cookie = Array(record[0..<4])
        var i = 4
        func varint() -> UInt64? {
            var value: UInt64 = 0
            for k in 0..<9 {
                guard i < record.count else { return nil }
                let byte = record[i]
                i += 1
                if k == 8 { return value << 8 | UInt64(byte) }
                value = value << 7 | UInt64(byte & 0x7F)
                if byte & 0x80 == 0 { return value }
            }
            return value
        }
        guard let levelCount = varint(), levelCount <= 64, let segmentCount = varint(),
              let counter = varint() else { return nil }
        writeCounter = counter
        levels = []
        for _ in 0..<levelCount {
            guard let merging = varint(), let count = varint(), count <= segmentCount else { return nil }
            var segments: [Segment] = []
            for _ in 0..<count {
                guard let id = varint(), let first = varint(), let last = varint() else { return nil }
                segments.append(Segment(id: id, firstPage: first, lastPage: last))
            }
            levels.append(Level(merging: merging, segments: segments))
        }
        guard i == record.count, levels.reduce(0, { $0 + $1.segments.count }) == Int(segmentCount) else { return nil }
    }

    var bytes: [UInt8] {
        var out = cookie
        func varint(_ v: UInt64) {
            if v > 0x00FF_FFFF_FFFF_FFFF {
                var groups: [UInt8] = [UInt8(v & 0xFF)]
                var rest = v >> 8
                for _ in 0..<8 {
                    groups.append(UInt8(rest & 0x7F) | 0x80)
                    rest >>= 7
                }
                out += groups.reversed()
                return
            }
            var groups: [UInt8] = [UInt8(v & 0x7F)]
            var rest = v >> 7
            while rest > 0 {
                groups.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            out += groups.reversed()
        }
        varint(UInt64(levels.count))
        varint(UInt64(levels.reduce(0) { $0 + $1.segments.count }))
        varint(writeCounter)
        for level in levels {
            varint(level.merging)
            varint(UInt64(level.segments.count))
            for s in level.segments {
                varint(s.id)
                varint(s.firstPage)
                varint(s.lastPage)
            }
        }
        return out
    }

    /// Leaf pages one flush of FTS5's default 1 MiB pending index writes, about.
    static let pagesPerFlush: UInt64 = 160

    /// The level at which an index of one segment of `pages` leaf pages would sit had it
    /// been written by ordinary flushes (about 160 pages each with the 1 MiB pending
    /// index) and merged four at a time (`automerge` 4): one above log4 of the flushes.
    /// Later writers' segments then need as many merges to reach it as the load would
    /// have made, and never merge with it soon after an import.
    static func level(forPages pages: UInt64) -> Int {
        var flushes = max(1, pages / pagesPerFlush)
        var level = 1
        while flushes > 1 {
            flushes = (flushes + 3) / 4
            level += 1
        }
        return level
    }

    /// The same index with its one segment moved up to `level` (empty levels below it);
    /// nil when there is not exactly one segment, a merge is under way, or the segment
    /// is already that high.
    func raisingSingleSegment(to level: Int) -> FTS5Structure? {
        let all = levels.flatMap(\.segments)
        guard all.count == 1, levels.allSatisfy({ $0.merging == 0 }), level < 64,
              let current = levels.firstIndex(where: { !$0.segments.isEmpty }), current < level else { return nil }
        var raised = self
        raised.levels = Array(repeating: Level(merging: 0, segments: []), count: level + 1)
        raised.levels[level].segments = all
        return raised
    }
}
