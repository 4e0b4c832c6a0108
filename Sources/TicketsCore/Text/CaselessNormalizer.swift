// The compatibility caseless form of Unicode §3.13 D146, in one pass over the text:
//
//     NFC(NFKD(toCasefold(NFKD(toCasefold(NFD(X))))))
//
// Each step is a per-scalar mapping followed by canonical ordering, so the mappings are
// composed per scalar ahead of time (D*(c), UnicodeData.swift) and the text is ordered
// once. One scalar breaks that shortcut: case folding turns U+0345 COMBINING GREEK
// YPOGEGRAMMENI (class 240) into U+03B9 (a starter), and D146 does that after the
// ordering of the step it appears in, so it ends up after the other marks of its run
// (`ᾴ` is `ά` + `ι`, not `α` + `ί`). D*(c) keeps it as a placeholder, sorted last in
// its run, and `settle` turns it into U+03B9 where its run ends (details and the proof
// that this is exact, against Python over every scalar, in generate-tables.py).

extension UnicodeTables {
    /// Appends the canonically ordered D146 decomposition of `utf8` (valid UTF-8, as held
    /// by a `String`) to `buffer`, each scalar packed as `scalar | ccc << 24`.
    func decompose(_ utf8: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt32]) {
        var pending = false  // a U+0345 placeholder may be in the buffer
        var i = 0
        let n = utf8.count
        while i < n {
            let b0 = UInt32(utf8[i])
            let s: UInt32
            if b0 < 0x80 {
                if pending { Self.settle(&buffer, earlyOnly: false); pending = false }
                buffer.append(b0 &- 0x41 < 26 ? b0 | 0x20 : b0)
                i += 1
                continue
            } else if b0 < 0xE0 {
                s = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                i += 2
            } else if b0 < 0xF0 {
                s = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                i += 3
            } else {
                s = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                    | UInt32(utf8[i + 3] & 0x3F)
                i += 4
            }
            if s &- Hangul.sBase < Hangul.sCount {
                if pending { Self.settle(&buffer, earlyOnly: false); pending = false }
                let index = s - Hangul.sBase
                buffer.append(Hangul.lBase + index / (Hangul.vCount * Hangul.tCount))
                buffer.append(Hangul.vBase + index % (Hangul.vCount * Hangul.tCount) / Hangul.tCount)
                if index % Hangul.tCount != 0 { buffer.append(Hangul.tBase + index % Hangul.tCount) }
                continue
            }
            let info = info(s)
            if info >> Self.mappingShift == 0 {
                let ccc = info & Self.cccMask
                if ccc == 0 {
                    if pending { Self.settle(&buffer, earlyOnly: false); pending = false }
                    buffer.append(s)
                } else {
                    let packed = s | ccc << Self.cccShift
                    if packed == Self.ypogegrammeni { pending = true }
                    Self.insertMark(packed, into: &buffer)
                }
                continue
            }
            let mapped = mapping(info)
            if pending {
                if mapped[mapped.startIndex] >> Self.cccShift == 0 {
                    Self.settle(&buffer, earlyOnly: false)
                    pending = false
                } else if info & Self.lateMark != 0 {
                    Self.settle(&buffer, earlyOnly: true)
                }
            }
            for packed in mapped {
                if packed >> Self.cccShift == 0 {
                    buffer.append(packed)
                } else {
                    if packed == Self.ypogegrammeni || packed == Self.lateYpogegrammeni { pending = true }
                    Self.insertMark(packed, into: &buffer)
                }
            }
        }
        if pending { Self.settle(&buffer, earlyOnly: false) }
    }

    /// Canonical ordering as the text arrives: a mark goes after every mark of its run
    /// whose class is not greater (a stable sort, D109).
    @inline(__always)
    private static func insertMark(_ packed: UInt32, into buffer: inout [UInt32]) {
        buffer.append(packed)
        let ccc = packed >> cccShift
        var j = buffer.count - 1
        while j > 0 && buffer[j - 1] >> cccShift > ccc {
            buffer[j] = buffer[j - 1]
            j -= 1
        }
        buffer[j] = packed
    }

    /// Turns the U+0345 placeholders of the last run into U+03B9, as D146's case folding
    /// does after the ordering of their step. With `earlyOnly` (the next scalar is a
    /// starter in NFD but a mark after NFKD: U+FF9E, U+FF9F), only a run that holds a
    /// U+0345 of NFD(c) ends; its U+03B9 then also ends the run of the later placeholders
    /// before it.
    @inline(never)
    private static func settle(_ buffer: inout [UInt32], earlyOnly: Bool) {
        var start = buffer.count
        while start > 0 && buffer[start - 1] >> cccShift != 0 { start -= 1 }
        if earlyOnly && !buffer[start...].contains(ypogegrammeni) { return }
        for j in start..<buffer.count where buffer[j] == ypogegrammeni || buffer[j] == lateYpogegrammeni {
            buffer[j] = iota
        }
    }

    /// Canonical composition (UAX #15, the algorithm of the Unicode sample code) in place;
    /// the result holds plain scalars (no class bits).
    /// With `droppingMarks`, marks flagged by SearchRanges.droppedMarks are removed first,
    /// so they neither stay nor block a composition.
    func compose(_ buffer: inout [UInt32], droppingMarks: Bool) {
        let droppedMark = Self.dropped | Self.markClass
        let kept = buffer.withUnsafeMutableBufferPointer { p in
            var out = 0
            var starter = -1
            var starterInfo: UInt32 = 0
            var last: UInt32 = 0  // class of the last scalar kept; 0: it is the starter
            for r in 0..<p.count {
                let packed = p[r]
                let scalar = packed & Self.scalarMask
                let ccc = packed >> Self.cccShift
                let info = info(scalar)
                if droppingMarks && info & (Self.dropped | Self.classMask) == droppedMark { continue }
                if starter >= 0 && (last == 0 || last < ccc)
                    && info & Self.composesSecond != 0 && starterInfo & Self.composesFirst != 0,
                    let composite = compose(p[starter], scalar) {
                    p[starter] = composite
                    starterInfo = self.info(composite)
                    continue
                }
                p[out] = scalar
                out += 1
                if ccc == 0 {
                    starter = out - 1
                    starterInfo = info
                }
                last = ccc
            }
            return out
        }
        buffer.removeLast(buffer.count - kept)
    }
}

/// UTF-8 of a scalar, appended.
@inline(__always)
func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
    if s < 0x80 {
        out.append(UInt8(s))
    } else if s < 0x800 {
        out.append(UInt8(0xC0 | s >> 6))
        out.append(UInt8(0x80 | s & 0x3F))
    } else if s < 0x1_0000 {
        out.append(UInt8(0xE0 | s >> 12))
        out.append(UInt8(0x80 | s >> 6 & 0x3F))
        out.append(UInt8(0x80 | s & 0x3F))
    } else {
        out.append(UInt8(0xF0 | s >> 18))
        out.append(UInt8(0x80 | s >> 12 & 0x3F))
        out.append(UInt8(0x80 | s >> 6 & 0x3F))
        out.append(UInt8(0x80 | s & 0x3F))
    }
}
