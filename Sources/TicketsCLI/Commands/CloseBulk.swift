import TicketsCore

/// `close --stale` and `close <filters> --yes`. (Being written: issue #3.)
enum CloseBulk {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        throw .usage("close --stale and close by filters are not available in this build yet")
    }

    static func dryRun(_ inv: Invocation, ids: [Int64]) throws(TicketsError) -> Int32 {
        throw .usage("close --dry-run is not available in this build yet")
    }
}
