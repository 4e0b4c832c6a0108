// The tables of UnicodeData.packed, decoded once, on the first text that is not all
// ASCII: the ASCII fast paths of EmailIdentity and SearchText never get here, so most
// commands never pay for the decoding (about 35 KB of text) or the memory (~150 KB).

/// Per-scalar properties in a two-stage table (a block index per 128 scalars, blocks that
/// are all alike shared), plus the full mappings and the primary composites.
/// Immutable after `init`, hence `@unchecked Sendable`.
final class UnicodeTables: @unchecked Sendable {
    static let shared = UnicodeTables()

    // The bits of `info(_:)`.
    static let cccMask: UInt32 = 0xFF
    static let classShift: UInt32 = 8
    static let classMask: UInt32 = 3 << 8
    static let letterClass: UInt32 = 1 << 8  // L*, N*
    static let markClass: UInt32 = 2 << 8  // M*
    static let perCharacter: UInt32 = 1 << 10  // SearchRanges.perCharacter
    static let dropped: UInt32 = 1 << 11  // SearchRanges.droppedMarks
    static let composesFirst: UInt32 = 1 << 12
    static let composesSecond: UInt32 = 1 << 13
    static let lateMark: UInt32 = 1 << 14  // a starter in NFD whose NFKD starts with a mark
    static let mappingShift: UInt32 = 15  // mapping number + 1; 0 if the scalar maps to itself

    /// Scalars in a decomposition buffer carry their combining class in the top byte.
    static let scalarMask: UInt32 = 0x1F_FFFF
    static let cccShift: UInt32 = 24
    /// U+0345 as it appears in NFD(c): turned into U+03B9 when its run ends (see
    /// generate-tables.py); and the placeholder for one that appears after the first NFKD.
    static let ypogegrammeni: UInt32 = 0x345 | 240 << 24
    static let lateYpogegrammeni: UInt32 = 0x11_0345 | 240 << 24
    static let iota: UInt32 = 0x3B9

    private static let blockShift: UInt32 = 7
    private static let blockSize = 1 << 7

    private let stage1: UnsafeMutableBufferPointer<UInt16>
    private let stage2: UnsafeMutableBufferPointer<UInt32>
    /// Mapping n (from 1) is `pool[mapStart[n - 1] ..< mapStart[n]]`, scalars with classes.
    private let mapStart: UnsafeMutableBufferPointer<UInt32>
    private let pool: UnsafeMutableBufferPointer<UInt32>
    /// first << 21 | second → composite.
    private let composites: [UInt64: UInt32]

    private init() {
        var trie = TrieBuilder()
        var mapStart: [UInt32] = [0]
        var pool: [UInt32] = []
        var composites: [UInt64: UInt32] = [:]
        UnicodeData.packed.withUTF8Buffer { bytes in
            var reader = PackedReader(bytes: bytes)
            // 1. Runs of combining class and token class over the whole code space.
            var start: UInt32 = 0
            for _ in 0..<reader.next() {
                let length = reader.next(), value = reader.next()
                let info = (value >> 2) | (value & 3) << Self.classShift
                if info != 0 { trie.or(start..<start + length, info) }
                start += length
            }
            for range in SearchRanges.perCharacter { trie.or(range.lowerBound..<range.upperBound + 1, Self.perCharacter) }
            for range in SearchRanges.droppedMarks { trie.or(range.lowerBound..<range.upperBound + 1, Self.dropped) }
            // 2. Full mappings D*(c), in records of consecutive sources.
            var previous: Int64 = -1
            var targets: [Int64] = [], step: [Int64] = []
            pool.reserveCapacity(10_500)
            mapStart.reserveCapacity(7_000)
            for _ in 0..<reader.next() {
                let source = previous + 1 + Int64(reader.next())
                let count = Int(reader.next()), repeats = Int64(reader.next()) + 1
                targets.removeAll(keepingCapacity: true)
                var base = source
                for _ in 0..<count {
                    base += reader.nextSigned()
                    targets.append(base)
                }
                step.removeAll(keepingCapacity: true)
                if repeats > 1 { for _ in 0..<count { step.append(reader.nextSigned()) } }
                for r in 0..<repeats {
                    for (i, t) in targets.enumerated() {
                        let scalar = UInt32(t + (repeats > 1 ? r * step[i] : 0))
                        let ccc = scalar == Self.lateYpogegrammeni & Self.scalarMask ? 240 : trie.value(scalar) & Self.cccMask
                        pool.append(scalar | ccc << Self.cccShift)
                    }
                    mapStart.append(UInt32(pool.count))
                    let number = UInt32(mapStart.count - 1)
                    trie.or(UInt32(source + r)..<UInt32(source + r) + 1, number << Self.mappingShift)
                }
                previous = source + repeats - 1
            }
            // 3. Primary composites.
            previous = -1
            let pairCount = Int(reader.next())
            composites.reserveCapacity(pairCount)
            for _ in 0..<pairCount {
                let composite = previous + 1 + Int64(reader.next())
                let first = UInt32(composite - reader.nextSigned()), second = reader.next()
                composites[UInt64(first) << 21 | UInt64(second)] = UInt32(composite)
                trie.or(first..<first + 1, Self.composesFirst)
                trie.or(second..<second + 1, Self.composesSecond)
                previous = composite
            }
            // 4. Late marks.
            previous = -1
            for _ in 0..<reader.next() {
                let scalar = previous + 1 + Int64(reader.next())
                trie.or(UInt32(scalar)..<UInt32(scalar) + 1, Self.lateMark)
                previous = scalar
            }
            precondition(reader.atEnd, "UnicodeData.packed: unexpected trailing data")
        }
        // Hangul composes by the algorithm (§3.12): L+V, then LV+T.
        trie.or(Hangul.lBase..<Hangul.lBase + Hangul.lCount, Self.composesFirst)
        trie.or(Hangul.sBase..<Hangul.sBase + Hangul.sCount, Self.composesFirst)
        trie.or(Hangul.vBase..<Hangul.vBase + Hangul.vCount, Self.composesSecond)
        trie.or(Hangul.tBase + 1..<Hangul.tBase + Hangul.tCount, Self.composesSecond)

        stage1 = .allocate(capacity: trie.stage1.count)
        _ = stage1.initialize(from: trie.stage1)
        stage2 = .allocate(capacity: trie.blocks.count)
        _ = stage2.initialize(from: trie.blocks)
        self.mapStart = .allocate(capacity: mapStart.count)
        _ = self.mapStart.initialize(from: mapStart)
        self.pool = .allocate(capacity: pool.count)
        _ = self.pool.initialize(from: pool)
        self.composites = composites
    }

    deinit {
        stage1.deallocate()
        stage2.deallocate()
        mapStart.deallocate()
        pool.deallocate()
    }

    /// The bits above for a scalar (at most U+10FFFF).
    @inline(__always)
    func info(_ scalar: UInt32) -> UInt32 {
        let block = Int(stage1[Int(scalar >> Self.blockShift)])
        return stage2[block << Self.blockShift | Int(scalar & UInt32(Self.blockSize - 1))]
    }

    /// D*(c) of a scalar whose info has a mapping number, as packed scalars with classes.
    @inline(__always)
    func mapping(_ info: UInt32) -> UnsafeMutableBufferPointer<UInt32>.SubSequence {
        let n = Int(info >> Self.mappingShift)
        return pool[Int(mapStart[n - 1])..<Int(mapStart[n])]
    }

    /// The primary composite of two scalars, Hangul included, or nil. Only called when
    /// `first` has `composesFirst` and `second` has `composesSecond`.
    func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        if first &- Hangul.lBase < Hangul.lCount && second &- Hangul.vBase < Hangul.vCount {
            return Hangul.sBase + ((first - Hangul.lBase) * Hangul.vCount + second - Hangul.vBase) * Hangul.tCount
        }
        if first &- Hangul.sBase < Hangul.sCount {
            guard (first - Hangul.sBase) % Hangul.tCount == 0, second &- Hangul.tBase &- 1 < Hangul.tCount - 1 else { return nil }
            return first + second - Hangul.tBase
        }
        return composites[UInt64(first) << 21 | UInt64(second)]
    }
}

/// Hangul syllables, decomposed and composed by arithmetic (Unicode §3.12), not tables.
enum Hangul {
    static let sBase: UInt32 = 0xAC00, lBase: UInt32 = 0x1100, vBase: UInt32 = 0x1161, tBase: UInt32 = 0x11A7
    static let lCount: UInt32 = 19, vCount: UInt32 = 21, tCount: UInt32 = 28
    static let sCount: UInt32 = lCount * vCount * tCount
}

/// The number stream of `UnicodeData.packed` (format in generate-tables.py): 5-bit digits,
/// most significant first, '<'...'[' for a digit with more to follow, ']'...'|' for the last.
private struct PackedReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    var atEnd: Bool {
        var i = at
        while i < bytes.count && bytes[i] < 0x3C { i += 1 }  // newlines
        return i == bytes.count
    }

    mutating func next() -> UInt32 {
        var n: UInt32 = 0
        while true {
            let b = bytes[at]
            at += 1
            if b >= 0x5D { return n << 5 | UInt32(b - 0x5D) }
            if b >= 0x3C { n = n << 5 | UInt32(b - 0x3C) }
        }
    }

    /// A zigzag-coded signed number.
    mutating func nextSigned() -> Int64 {
        let n = Int64(next())
        return n & 1 == 0 ? n >> 1 : -(n + 1) >> 1
    }
}

/// Builds the two-stage table by OR-ing bits into ranges: a block stays shared while all
/// its scalars are alike and gets a copy of its own on the first change to part of it.
private struct TrieBuilder {
    static let shift: UInt32 = 7
    static let size = 1 << 7
    var stage1 = [UInt16](repeating: 0, count: 0x11_0000 >> 7)
    var blocks = [UInt32](repeating: 0, count: 1 << 7)
    /// Per block of stage1: its value while shared and uniform, nil once it has its own copy.
    var uniform = [UInt32?](repeating: 0, count: 0x11_0000 >> 7)
    var sharedBlocks: [UInt32: UInt16] = [0: 0]

    func value(_ scalar: UInt32) -> UInt32 {
        blocks[Int(stage1[Int(scalar >> Self.shift)]) << Self.shift | Int(scalar) & (Self.size - 1)]
    }

    mutating func or(_ range: Range<UInt32>, _ bits: UInt32) {
        var lo = range.lowerBound
        while lo < range.upperBound {
            let b = Int(lo >> Self.shift)
            let blockStart = UInt32(b) << Self.shift
            let blockEnd = blockStart + UInt32(Self.size)
            let hi = min(range.upperBound, blockEnd)
            if let value = uniform[b], lo == blockStart && hi == blockEnd {
                let merged = value | bits
                uniform[b] = merged
                stage1[b] = shared(merged)
            } else {
                let base = own(b)
                for s in lo..<hi { blocks[base + Int(s - blockStart)] |= bits }
            }
            lo = hi
        }
    }

    private mutating func shared(_ value: UInt32) -> UInt16 {
        if let index = sharedBlocks[value] { return index }
        let index = newBlock(repeating: value)
        sharedBlocks[value] = index
        return index
    }

    /// The offset of block `b`'s own copy, made on first use.
    private mutating func own(_ b: Int) -> Int {
        if let value = uniform[b] {
            stage1[b] = newBlock(repeating: value)
            uniform[b] = nil
        }
        return Int(stage1[b]) << Self.shift
    }

    private mutating func newBlock(repeating value: UInt32) -> UInt16 {
        let index = blocks.count >> Self.shift
        precondition(index <= Int(UInt16.max), "UnicodeTables: too many blocks")
        blocks.append(contentsOf: repeatElement(value, count: Self.size))
        return UInt16(index)
    }
}
