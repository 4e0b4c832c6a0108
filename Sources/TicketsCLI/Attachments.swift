import TicketsCore

/// Reading and saving attachments. (Being written: issue #4.)
enum AttachmentLoader {
    static func load(_ files: [Argument], inv: Invocation) throws(TicketsError) -> [NewAttachment] {
        if !files.isEmpty { throw .usage("attachments are not available in this build yet") }
        return []
    }
}

enum AttachmentSaver {
    static func save(_ detail: TicketDetail, into dir: Argument, store: TicketStore, inv: Invocation) throws(TicketsError) {
        throw .usage("--save-attachments is not available in this build yet")
    }
}
