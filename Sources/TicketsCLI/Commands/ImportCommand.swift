import TicketsCore

/// `tickets import FILE|-`: restores what export wrote. (Being written: issue #3.)
enum ImportCommand {
    static func run(_ inv: Invocation) throws(TicketsError) -> Int32 {
        throw .usage("import is not available in this build yet")
    }
}
