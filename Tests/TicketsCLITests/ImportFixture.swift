import Foundation
import Testing
@testable import TicketsCLI
import TicketsCore

/// The valid file every hostile import file is made from: a small database made with the
/// commands, exported with its attachment bytes (a JSON array, one ticket a line).
///
/// - #1 in-progress: cc, service, department, dedupe key `ci:1`, assigned to Bob, message 1
///   with `build.log` (attachment 1) and `shot.png` (attachment 2), message 3 merged in from
///   #3, internal note 5; events 1 open, 5 assign, 6 note, 7 edit, 9 merge.
/// - #2 closed and rated: message 2, Bob's reply 7; events 2, 10, 11 close, 12 rate.
/// - #3 closed by the merge: system message 6 by `tickets <system>`; events 3, 8.
/// - #4 canceled: message 4; events 4, 13 cancel.
enum ImportFixture {
    static let log = Array("line 1\nline 2\n".utf8)

    static func database() -> Harness {
        let h = Harness(now: "2026-11-01T00:00:00Z")
        let log = h.file("build.log", Self.log)
        let png = h.file("shot.png", onePixelPNG)
        _ = h.open("Printer on fire", ["--cc", "carol@example.com", "--service", "web", "-d", "billing",
                                       "--dedupe-key", "ci:1", "-a", log, "-a", png])
        for s in ["Second", "Third", "Fourth"] { _ = h.open(s) }
        for args in [["assign", "1"], ["reply", "1", "-m", "Customer is VIP.", "--internal"], ["edit", "1", "-p", "high"],
                     ["merge", "3", "--into", "1"], ["reply", "2", "-m", "Done"]] {
            precondition(h.agent(args).code == 0, "\(args)")
        }
        for args in [["close", "2"], ["rate", "2", "4", "--review", "quick"], ["cancel", "4"]] {
            precondition(h.run(args).code == 0, "\(args)")
        }
        return h
    }

    /// `export --with-attachments` of `database()`, made once.
    static let export: String = {
        let h = database()
        let r = h.agent(["export", "--with-attachments"])
        precondition(r.code == 0, r.stderr)
        return r.stdout
    }()

    /// One change to the export.
    indirect enum Edit: Sendable {
        /// The export as it is.
        case none
        /// Sets the value at a key path of ticket `index` to this JSON (nil: removes the key).
        case set(Int, [String], String?)
        /// Replaces the first occurrence of a piece of the export's text.
        case text(String, String)
        /// Inserts text right after the first occurrence of an anchor.
        case insert(after: String, String)
        /// Several changes, in order.
        case each([Edit])
    }

    static func applying(_ edit: Edit, to text: String = export) throws -> String {
        switch edit {
        case .none:
            return text
        case .each(let edits):
            var out = text
            for e in edits { out = try applying(e, to: out) }
            return out
        case .text(let old, let new):
            let r = try #require(text.range(of: old), "the export has no \(old)")
            return text.replacingCharacters(in: r, with: new)
        case .insert(let anchor, let new):
            let r = try #require(text.range(of: anchor), "the export has no \(anchor)")
            return text.replacingCharacters(in: r.upperBound..<r.upperBound, with: new)
        case .set(let index, let path, let json):
            var tickets = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])
            let value = try json.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
            tickets[index] = setting(tickets[index], path[...], to: value)
            return String(decoding: try JSONSerialization.data(withJSONObject: tickets), as: UTF8.self)
        }
    }

    static func setting(_ node: Any, _ path: ArraySlice<String>, to value: Any?) -> Any {
        let key = path.first!
        if var array = node as? [Any], let i = Int(key) {
            array[i] = path.count == 1 ? value as Any : setting(array[i], path.dropFirst(), to: value)
            return array
        }
        var object = node as! [String: Any]
        object[key] = path.count == 1 ? value : setting(object[key]!, path.dropFirst(), to: value)
        return object
    }

    /// An attachment object as export writes it, for these bytes (size and SHA-256 right).
    static func attachment(id: Int, name: String, bytes: [UInt8], type: String = "text/plain; charset=utf-8") -> String {
        let object: [String: Any] = ["id": id, "name": name, "size": bytes.count, "sha256": SHA256.hex(bytes),
                                     "content_type": type, "data": Data(bytes).base64EncodedString()]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// The database's whole content as an agent exports it ("" when there is no file).
    static func snapshot(_ h: Harness) -> String {
        guard FileManager.default.fileExists(atPath: h.dbPath) else { return "" }
        return h.agent(["export", "--with-attachments", "--format", "ndjson"]).stdout
    }
}
