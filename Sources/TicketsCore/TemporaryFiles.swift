import Glibc

/// Work files of this run (the import's stage, a database being built) that must not
/// outlive it: removed by the code that made them, and by `Interruption`'s signal
/// handler when the run is interrupted (Ctrl-C, SIGTERM, SIGHUP), which then dies of the
/// same signal as it would have.
///
/// The handler may only call async-signal-safe functions, so the paths are kept as
/// C strings in a fixed table that it reads without allocating.
public enum TemporaryFiles {
    private static let capacity = 8
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()

    /// Adds `path` to the files removed on an interrupting signal.
    public static func register(_ path: String) {
        Interruption.install()
        for i in 0..<capacity where slots[i] == nil {
            slots[i] = strdup(path)
            return
        }
    }

    /// Unlinks `path` and forgets it.
    public static func remove(_ path: String) {
        forget(path)
        unlink(path)
    }

    /// Forgets `path` without removing it (it became the user's file).
    public static func forget(_ path: String) {
        for i in 0..<capacity {
            if let p = slots[i], strcmp(p, path) == 0 {
                slots[i] = nil
                free(p)
            }
        }
    }

    /// Creates the table now, not in the signal handler's first use of it.
    static func prepareForSignals() {
        _ = slots
    }

    /// Unlinks every registered file; called from `Interruption`'s signal handler, so
    /// it allocates nothing.
    static func unlinkAll() {
        for i in 0..<capacity {
            if let p = slots[i] { unlink(p) }
        }
    }
}
