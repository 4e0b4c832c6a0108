import Testing

extension Trait where Self == TimeLimitTrait {
    /// A guard against a hang (a parser loop that never ends, a child never reaped), not a
    /// measure of speed (that is bench/'s). Swift Testing runs the limit's sleep and the
    /// test's body as two tasks of one group, so the clock runs while the body still waits
    /// for a thread: on a 2-core machine it waited over a minute in CI while other tests
    /// held both threads on their children (a hook killed after 30 s, a 20,000-ticket
    /// import), and a one-minute limit failed a test whose body takes one second. So the
    /// limit is several times the whole run (about two minutes), far below CI's 90.
    static var hangGuard: Self { .timeLimit(.minutes(10)) }
}
