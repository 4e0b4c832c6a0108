import Testing
@testable import TicketsSQLite

/// `FTS5Structure`, which the new-database import uses to move its optimized segment up:
/// it reads what it writes, byte for byte, and refuses what it does not understand.
struct FTS5StructureTests {
    /// cookie 00000001; 2 levels, 2 segments, write counter 300 (0x82 0x2C); level 0: no
    /// merge, one segment (id 1, pages 1-5); level 1: one segment (id 2, pages 6-200,
    /// 200 = 0x81 0x48).
    static let record: [UInt8] = [0, 0, 0, 1, 2, 2, 0x82, 0x2C, 0, 1, 1, 1, 5, 0, 1, 2, 6, 0x81, 0x48]

    @Test func readsAndWritesTheSameBytes() throws {
        let s = try #require(FTS5Structure(Self.record))
        #expect(s.writeCounter == 300)
        #expect(s.levels.map { $0.segments.map(\.pages) } == [[5], [195]])
        #expect(s.bytes == Self.record)
    }

    @Test func nineByteVarintsRoundTrip() throws {
        var s = try #require(FTS5Structure(Self.record))
        s.writeCounter = UInt64.max - 5
        let again = try #require(FTS5Structure(s.bytes))
        #expect(again.writeCounter == UInt64.max - 5)
        #expect(again == s)
    }

    @Test(arguments: [
        [0, 0, 0],  // shorter than the cookie
        [0, 0, 0, 1, 1, 2, 0, 0, 1, 1, 1, 5],  // says 2 segments, holds 1
        [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 5, 9],  // a byte left over
        [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1],  // a segment cut short
    ] as [[UInt8]])
    func refusesWhatItDoesNotUnderstand(record: [UInt8]) {
        #expect(FTS5Structure(record) == nil)
    }

    @Test func theOneSegmentMovesUpWithEmptyLevelsBelow() throws {
        let one: [UInt8] = [0, 0, 0, 7, 2, 1, 3, 0, 0, 0, 1, 4, 1, 0x87, 0x04]  // pages 4-900
        let s = try #require(FTS5Structure(one))
        let raised = try #require(s.raisingSingleSegment(to: 4))
        #expect(raised.levels.count == 5)
        #expect(raised.levels.prefix(4).allSatisfy { $0.segments.isEmpty && $0.merging == 0 })
        #expect(raised.levels[4].segments == s.levels[1].segments)
        #expect(raised.cookie == s.cookie && raised.writeCounter == s.writeCounter)
        #expect(FTS5Structure(raised.bytes) == raised)
        #expect(s.raisingSingleSegment(to: 1) == nil)  // already there
        #expect(try #require(FTS5Structure(Self.record)).raisingSingleSegment(to: 5) == nil)  // two segments
    }

    /// One above log4 of the ~160-page flushes: where a default load leaves it.
    @Test(arguments: [(100, 1), (160, 1), (1175, 3), (11_621, 5), (115_647, 6)] as [(UInt64, Int)])
    func levelForPages(pages: UInt64, level: Int) {
        #expect(FTS5Structure.level(forPages: pages) == level)
    }
}
