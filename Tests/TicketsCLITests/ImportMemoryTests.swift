import Foundation
import Glibc
import Testing

/// Issue #16 (bench: import of a million tickets within 64 MiB): `import` streams its
/// input through a staging file, so its memory is bounded by one ticket plus SQLite's two
/// page caches (16 MiB for the database, 8 MiB for the stage), whatever the size of the
/// file. Two guards, through the built binary, on files shaped like bench/generate.py's
/// (1 to 10 messages of 40 B to 4 KB, events, ratings, cc, every status):
///
/// - a file larger than the limit imports under a data-segment limit (RLIMIT_DATA, heap
///   and private mappings) of 48 MiB: reading the file whole cannot fit;
/// - ten times the tickets take at most the two page caches more at the peak (VmHWM,
///   polled while it runs): memory that grew with every ticket would show.
@Suite(.enabled(if: TestStore.isSQLite, "SQLite-only: the PostgreSQL import is measured by bench/"),
       .hangGuard)
final class ImportMemoryTests {
    static let limitMiB = 48
    /// The most the peak may grow from 2,000 to 20,000 tickets: the two page caches.
    static let growthMiB = 24

    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "tickets-import-memory-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func env(_ db: String) -> [String: String] {
        ["HOME": dir, "PATH": "/usr/bin:/bin", "TICKETS_DB": db, "TICKETS_ROLE": "agent", "TICKETS_NAME": "Bob Agent",
         "TICKETS_EMAIL": "bob@support.example", "XDG_CONFIG_HOME": dir + "/config", "XDG_STATE_HOME": dir + "/state",
         "TMPDIR": dir]
    }

    @Test(.tags(.expensive)) func aFileLargerThanTheLimitImportsWithinIt() throws {
        let path = dir + "/big.ndjson"
        let size = try Self.generate(tickets: 24_000, to: path)
        #expect(size > Self.limitMiB << 20, "the file (\(size) bytes) must be larger than the limit to mean anything")
        let db = dir + "/big.db"
        let limited = "ulimit -d \(Self.limitMiB << 10) && exec \"$0\" import \"$1\""
        let r = try ShellSupport.run("/bin/sh", ["-c", limited, BuiltBinary.path, path], env: env(db))
        #expect(r.code == 0, "import under a \(Self.limitMiB) MiB data limit: exit \(r.code): \(r.stderr)")
        #expect(r.stdout == "imported 24000 tickets, skipped 0 existing\n", "\(r.stdout)")
    }

    @Test(.tags(.expensive)) func tenTimesTheTicketsTakeNoMoreThanThePageCaches() throws {
        var peaks = [Int: Int]()
        for n in [2_000, 20_000] {
            let path = dir + "/\(n).ndjson"
            _ = try Self.generate(tickets: n, to: path)
            let r = try Watched.run(["import", path], env: env(dir + "/\(n).db"), timeout: 120)
            #expect(r.code == 0 && !r.killedByWatchdog, "\(r)")
            peaks[n] = r.peakKiB
        }
        let small = try #require(peaks[2_000]), large = try #require(peaks[20_000])
        #expect(small > 0 && large > 0)
        #expect(large - small <= Self.growthMiB << 10,
                "peak \(small >> 10) MiB at 2,000 tickets, \(large >> 10) MiB at 20,000: it grows with the file")
        #expect(large < 64 << 10, "peak \(large >> 10) MiB at 20,000 tickets")
    }

    /// A help desk's export, deterministic: what bench/generate.py writes, in Swift (the
    /// tests need no Python). Returns the file's size.
    static func generate(tickets n: Int, to path: String) throws -> Int {
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(bound))
        }
        let words = ("the printer error invoice payment refund password reset login export sync dashboard api token "
            + "timeout crash upload download account billing plan upgrade team invite admin access denied device "
            + "screen button shows since yesterday still broken fixed tried cleared cache restarted same result "
            + "please help thanks urgent client meeting regards workaround engineering escalated").split(separator: " ")
        func body() -> String {
            let target = [40, 120, 200, 250, 300, 400, 800, 2_000][next(8)]
            var out = ""
            while out.utf8.count < target { out += words[next(words.count)] + (next(12) == 0 ? ".\\n\\n" : " ") }
            return out
        }
        func person(_ i: Int) -> String { #"{"name":"Person \#(i)","email":"person\#(i)@example.com"}"# }
        let agent = #"{"name":"Support Agent","email":"agent@support.example"}"#
        func time(_ s: Int) -> String {
            let day = s / 86_400, rest = s % 86_400
            return String(format: "2025-%02d-%02dT%02d:%02d:%02dZ", 1 + day / 28 % 12, 1 + day % 28, rest / 3600, rest / 60 % 60, rest % 60)
        }
        let statuses = ["open", "in-progress", "answered", "customer-reply", "closed", "closed", "closed", "canceled"]
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var chunk = "", size = 0, messageID = 0, eventID = 0
        for id in 1...n {
            let status = statuses[next(statuses.count)]
            let requester = person(next(5_000))
            let start = id * 97
            let count = status == "canceled" ? 1 : 1 + next(10)
            var messages = [String]()
            for k in 0..<count {
                messageID += 1
                let role = k % 2 == 1 ? "agent" : "requester"
                let isInternal = role == "agent" && next(20) == 0
                messages.append(#"{"id":\#(messageID),"author":\#(role == "agent" ? agent : requester),"role":"\#(role)","internal":\#(isInternal),"body":"\#(body())","created_at":"\#(time(start + k * 60))","attachments":[]}"#)
            }
            let end = time(start + count * 60)
            eventID += 1
            var events = [#"{"id":\#(eventID),"actor":\#(requester),"action":"open","from_status":null,"to_status":"open","field":null,"old_value":null,"new_value":null,"created_at":"\#(time(start))"}"#]
            let done = status == "closed" || status == "canceled"
            if done {
                eventID += 1
                events.append(#"{"id":\#(eventID),"actor":\#(requester),"action":"\#(status == "closed" ? "close" : "cancel")","from_status":"open","to_status":"\#(status)","field":null,"old_value":null,"new_value":null,"created_at":"\#(end)"}"#)
            }
            let rating = status == "closed" && next(3) == 0 ? #"{"stars":\#(1 + next(5)),"review":"Quick and helpful.","rated_at":"\#(end)"}"# : "null"
            let cc = next(10) == 0 ? #"["cc\#(next(999))@example.com"]"# : "[]"
            chunk += #"{"id":\#(id),"subject":"Ticket \#(id) about \#(words[next(words.count)])","status":"\#(status)","priority":"medium","department":"technical","service":null,"requester":\#(requester),"cc":\#(cc),"assignee":null,"dedupe_key":null,"created_at":"\#(time(start))","updated_at":"\#(end)","closed_at":\#(done ? "\"\(end)\"" : "null"),"rating":\#(rating),"messages":[\#(messages.joined(separator: ","))],"events":[\#(events.joined(separator: ","))]}"#
            chunk += "\n"
            if chunk.utf8.count > 1 << 20 {
                size += chunk.utf8.count
                try out.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        size += chunk.utf8.count
        try out.write(contentsOf: Data(chunk.utf8))
        try out.close()
        return size
    }
}
