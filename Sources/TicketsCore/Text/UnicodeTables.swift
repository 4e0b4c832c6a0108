// The tables of UnicodeData.packed, decoded once, on the first text that is not all
// ASCII: the ASCII fast paths of EmailIdentity and SearchText never get here, so most
// commands never pay for the decoding (34 KB of text, about 0.3 ms) or the memory
// (about 220 KB: 245 blocks of 128 scalars, 6779 mappings, 941 composites).

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
    /// `first << 21 | second`, sorted, and the composite of each.
    private let pairKeys: UnsafeMutableBufferPointer<UInt64>
    private let pairComposites: UnsafeMutableBufferPointer<UInt32>

    // Every table is allocated at its final size (the packed data gives the counts) and
    // filled without intermediate arrays: that halved the decoding time.
    private init() {
        var trie = TrieBuilder()
        var mapStart = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
        var pool = mapStart
        var pairKeys = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
        var pairComposites = mapStart
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
            let recordCount = reader.next(), mappingCount = Int(reader.next()), poolCount = Int(reader.next())
            mapStart = .allocate(capacity: mappingCount + 1)
            pool = .allocate(capacity: poolCount)
            mapStart[0] = 0
            var mapped = 0, pooled = 0
            var previous: UInt32 = 0
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { targets in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { step in
                    for record in 0..<recordCount {
                        let source = (record == 0 ? 0 : previous + 1) + reader.next()
                        let count = Int(reader.next()), repeats = reader.next() + 1
                        precondition(count <= 64, "UnicodeData.packed: a mapping longer than 64 scalars")
                        var base = source
                        for i in 0..<count {
                            base = UInt32(truncatingIfNeeded: Int64(base) + reader.nextSigned())
                            targets[i] = base
                        }
                        for i in 0..<count { step[i] = repeats > 1 ? UInt32(truncatingIfNeeded: reader.nextSigned()) : 0 }
                        for r in 0..<repeats {
                            for i in 0..<count {
                                let scalar = targets[i] &+ r &* step[i]
                                let ccc = scalar == Self.lateYpogegrammeni & Self.scalarMask ? 240 : trie.value(scalar) & Self.cccMask
                                pool[pooled] = scalar | ccc << Self.cccShift
                                pooled += 1
                            }
                            mapped += 1
                            mapStart[mapped] = UInt32(pooled)
                            trie.or(scalar: source + r, UInt32(mapped) << Self.mappingShift)
                        }
                        previous = source + repeats - 1
                    }
                }
            }
            precondition(mapped == mappingCount && pooled == poolCount, "UnicodeData.packed: mapping counts")
            // 3. Primary composites, sorted by (first, second).
            let pairCount = Int(reader.next())
            pairKeys = .allocate(capacity: pairCount)
            pairComposites = .allocate(capacity: pairCount)
            var first: UInt32 = 0, second: UInt32 = 0
            for i in 0..<pairCount {
                let gap = reader.next()
                second = gap == 0 ? second + reader.next() : reader.next()
                first += gap
                pairKeys[i] = UInt64(first) << 21 | UInt64(second)
                pairComposites[i] = UInt32(truncatingIfNeeded: Int64(first) + reader.nextSigned())
                trie.or(scalar: first, Self.composesFirst)
                trie.or(scalar: second, Self.composesSecond)
            }
            // 4. Late marks.
            var scalar: UInt32 = 0
            for i in 0..<reader.next() {
                scalar = (i == 0 ? 0 : scalar + 1) + reader.next()
                trie.or(scalar: scalar, Self.lateMark)
            }
            precondition(reader.atEnd, "UnicodeData.packed: unexpected trailing data")
        }
        // Hangul composes by the algorithm (§3.12): L+V, then LV+T.
        trie.or(Hangul.lBase..<Hangul.lBase + Hangul.lCount, Self.composesFirst)
        trie.or(Hangul.sBase..<Hangul.sBase + Hangul.sCount, Self.composesFirst)
        trie.or(Hangul.vBase..<Hangul.vBase + Hangul.vCount, Self.composesSecond)
        trie.or(Hangul.tBase + 1..<Hangul.tBase + Hangul.tCount, Self.composesSecond)
        (stage1, stage2) = trie.finish()
        self.mapStart = mapStart
        self.pool = pool
        self.pairKeys = pairKeys
        self.pairComposites = pairComposites
    }

    deinit {
        for buffer in [UnsafeMutableRawBufferPointer(stage1), UnsafeMutableRawBufferPointer(stage2),
                       UnsafeMutableRawBufferPointer(mapStart), UnsafeMutableRawBufferPointer(pool),
                       UnsafeMutableRawBufferPointer(pairKeys), UnsafeMutableRawBufferPointer(pairComposites)] {
            buffer.deallocate()
        }
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
        let key = UInt64(first) << 21 | UInt64(second)
        var lo = 0, hi = pairKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if pairKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < pairKeys.count && pairKeys[lo] == key ? pairComposites[lo] : nil
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
    let stage1 = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: 0x11_0000 >> 7)
    /// Room for `capacity` blocks; the first `count` are in use. Block 0 is all zero.
    var blocks: UnsafeMutablePointer<UInt32>
    var capacity = 320, count = 1
    /// Per block of stage1: it has a copy of its own (else it is a shared uniform block).
    let isOwn = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 0x11_0000 >> 7)
    /// The shared uniform blocks: a handful of values.
    var shared: [(value: UInt32, index: UInt16)] = [(0, 0)]

    init() {
        stage1.initialize(repeating: 0)
        isOwn.initialize(repeating: false)
        blocks = .allocate(capacity: capacity << Self.shift)
        blocks.initialize(repeating: 0, count: Self.size)
    }

    /// The finished tables; the builder may not be used afterwards.
    func finish() -> (UnsafeMutableBufferPointer<UInt16>, UnsafeMutableBufferPointer<UInt32>) {
        isOwn.deallocate()
        return (stage1, UnsafeMutableBufferPointer(start: blocks, count: count << Self.shift))
    }

    func value(_ scalar: UInt32) -> UInt32 {
        blocks[Int(stage1[Int(scalar >> Self.shift)]) << Self.shift | Int(scalar) & (Self.size - 1)]
    }

    mutating func or(_ range: Range<UInt32>, _ bits: UInt32) {
        var lo = range.lowerBound
        while lo < range.upperBound {
            let b = Int(lo >> Self.shift)
            let blockStart = UInt32(b) << Self.shift
            let hi = min(range.upperBound, blockStart + UInt32(Self.size))
            if !isOwn[b] && hi - lo == UInt32(Self.size) {
                stage1[b] = sharedBlock(blocks[Int(stage1[b]) << Self.shift] | bits)
            } else {
                let base = own(b)
                for s in lo..<hi { blocks[base + Int(s - blockStart)] |= bits }
            }
            lo = hi
        }
    }

    mutating func or(scalar: UInt32, _ bits: UInt32) {
        blocks[own(Int(scalar >> Self.shift)) + Int(scalar) & (Self.size - 1)] |= bits
    }

    private mutating func sharedBlock(_ value: UInt32) -> UInt16 {
        if let found = shared.last(where: { $0.value == value }) { return found.index }
        let index = newBlock(repeating: value)
        shared.append((value, index))
        return index
    }

    /// The offset of block `b`'s own copy, made on first use.
    private mutating func own(_ b: Int) -> Int {
        if !isOwn[b] {
            stage1[b] = newBlock(repeating: blocks[Int(stage1[b]) << Self.shift])
            isOwn[b] = true
        }
        return Int(stage1[b]) << Self.shift
    }

    private mutating func newBlock(repeating value: UInt32) -> UInt16 {
        if count == capacity {
            let larger = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * capacity << Self.shift)
            larger.moveInitialize(from: blocks, count: count << Self.shift)
            blocks.deallocate()
            blocks = larger
            capacity *= 2
        }
        precondition(count <= Int(UInt16.max), "UnicodeTables: too many blocks")
        (blocks + count << Self.shift).initialize(repeating: value, count: Self.size)
        count += 1
        return UInt16(count - 1)
    }
}
