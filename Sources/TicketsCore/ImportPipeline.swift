import Glibc

/// Pass one of `import` on two threads: a reading thread parses the input and checks each
/// ticket (`ImportInput.read`, `ImportRecord`, which also computes the email keys and
/// search forms), while the calling thread writes the checked tickets (`ImportStage.add`).
/// Each side was about half of an import's time, so a million tickets take the longer of
/// the two instead of their sum (bench/RESULTS.md).
///
/// Order and errors are as if one thread did both: tickets are written in input order,
/// and an error of the reader is raised only after every ticket read before it was
/// written (a duplicate id in ticket 300 is reported before a syntax error in ticket 500).
/// An error of the writer stops the reader at its next ticket. At most
/// `capacity` × `batch` tickets wait between the two, which bounds memory.
public enum ImportPipeline {
    /// Runs `read` on a second thread, handing what it emits to `write` on this one.
    /// `read` owns what it reads (it closes its file itself) and must not touch what
    /// `write` uses: the two run at the same time. When `write` fails, the reader is not
    /// waited for: it may be blocked on a pipe that never ends, and it stops at its next
    /// ticket or dies with the process.
    public static func run(batch: Int = 32, capacity: Int = 4,
                           read: @escaping (_ emit: (ImportRecord) throws(TicketsError) -> Void) throws(TicketsError) -> Void,
                           write: (ImportRecord) throws(TicketsError) -> Void) throws(TicketsError) {
        let channel = Channel(capacity: capacity)
        let job = Job(channel: channel, batch: batch, read: read)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(job).toOpaque()
        // The reader's recursion is bounded by JSONLimits' depth: 4 MiB of stack is
        // plenty, and a smaller reservation counts less against a data-size limit.
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 4 << 20)
        guard pthread_create(&thread, &attributes, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.run()
            return nil
        }, box) == 0 else {
            Unmanaged<Job>.fromOpaque(box).release()
            throw .bug("cannot start the import's reading thread: \(String(cString: strerror(errno)))")
        }
        while let records = channel.take() {
            do throws(TicketsError) {
                for r in records { try write(r) }
            } catch {
                channel.cancel()
                pthread_detach(thread)
                throw error
            }
        }
        pthread_join(thread, nil)
        if let e = channel.readerError { throw e }
    }

    /// The reading side: its closure, and the batch it fills.
    private final class Job: @unchecked Sendable {
        let channel: Channel
        let batch: Int
        let read: (_ emit: (ImportRecord) throws(TicketsError) -> Void) throws(TicketsError) -> Void

        init(channel: Channel, batch: Int,
             read: @escaping (_ emit: (ImportRecord) throws(TicketsError) -> Void) throws(TicketsError) -> Void) {
            self.channel = channel
            self.batch = batch
            self.read = read
        }

        func run() {
            var pending: [ImportRecord] = []
            pending.reserveCapacity(batch)
            do throws(TicketsError) {
                try read { (r: ImportRecord) throws(TicketsError) in
                    pending.append(r)
                    if pending.count >= batch {
                        try channel.put(pending)
                        pending.removeAll(keepingCapacity: true)
                    }
                }
                try channel.put(pending)
                channel.finish(nil)
            } catch {
                // What was read before the error is still written, then the error raised.
                try? channel.put(pending)
                channel.finish(error)
            }
        }
    }

    /// A bounded queue of batches between the two threads (a mutex and two conditions).
    private final class Channel: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        private var notEmpty = pthread_cond_t()
        private var notFull = pthread_cond_t()
        private var queue: [[ImportRecord]] = []
        private let capacity: Int
        private var done = false
        private var canceled = false
        private(set) var readerError: TicketsError?

        init(capacity: Int) {
            self.capacity = capacity
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&notEmpty, nil)
            pthread_cond_init(&notFull, nil)
        }

        deinit {
            pthread_cond_destroy(&notFull)
            pthread_cond_destroy(&notEmpty)
            pthread_mutex_destroy(&mutex)
        }

        /// Waits for room; throws once the writer has given up, which ends the reader.
        func put(_ records: [ImportRecord]) throws(TicketsError) {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            while queue.count >= capacity && !canceled { pthread_cond_wait(&notFull, &mutex) }
            if canceled { throw .canceled("the import stopped") }
            if !records.isEmpty { queue.append(records) }
            pthread_cond_signal(&notEmpty)
        }

        func finish(_ error: TicketsError?) {
            pthread_mutex_lock(&mutex)
            if !canceled { readerError = error }
            done = true
            pthread_cond_signal(&notEmpty)
            pthread_mutex_unlock(&mutex)
        }

        /// The next batch, or nil once the reader is done and everything was taken.
        func take() -> [ImportRecord]? {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            while queue.isEmpty && !done { pthread_cond_wait(&notEmpty, &mutex) }
            if queue.isEmpty { return nil }
            let records = queue.removeFirst()
            pthread_cond_signal(&notFull)
            return records
        }

        func cancel() {
            pthread_mutex_lock(&mutex)
            canceled = true
            pthread_cond_broadcast(&notFull)
            pthread_mutex_unlock(&mutex)
        }
    }
}
