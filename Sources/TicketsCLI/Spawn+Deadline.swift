import Glibc

extension Spawn {
    /// How a child run under a deadline ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// It outlived the deadline and was killed with its process group.
        case timedOut
    }

    /// Feeds `input` to a started child and waits for it, at most `timeout` seconds.
    ///
    /// - Parameters:
    ///   - stdinFD: our end of the pipe that is the child's standard input; closed here,
    ///     after the last byte, so the child sees the end of its input.
    ///   - outputFD: our end of a pipe the child writes to, or nil; read as it comes
    ///     (so the child never blocks on a full pipe), each chunk handed to `output`,
    ///     and closed here. Once the child has ended, what is already in the pipe is
    ///     read and no more: something it left running in the background may hold the
    ///     pipe open for as long as it likes.
    ///   - group: the child leads its own process group (`newProcessGroup`); a timeout
    ///     kills the whole group, grandchildren included.
    /// - Returns: how it ended. A child that ends (or closes its input) before reading
    ///   everything is not an error here, and cannot kill us with SIGPIPE: the signal is
    ///   blocked on this thread while we write and taken back if the write raised it,
    ///   whatever the process does with SIGPIPE.
    static func finish(_ pid: pid_t, input: [UInt8], stdinFD: Int32, outputFD: Int32?, timeout: Double, group: Bool,
                       output: ([UInt8]) -> Void = { _ in }) -> Ending {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var zero = timespec()
            while sigtimedwait(&pipeSignal, nil, &zero) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }

        var stdinFD: Int32? = stdinFD
        var outputFD = outputFD
        for fd in [stdinFD, outputFD].compactMap({ $0 }) { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        defer { [stdinFD, outputFD].compactMap { $0 }.forEach { close($0) } }
        var written = 0
        if input.isEmpty, let fd = stdinFD {
            close(fd)
            stdinFD = nil
        }

        // One buffer for every read: zeroing 16 KiB each round was a visible part of
        // delivering one email.
        var buffer = [UInt8](repeating: 0, count: 16_384)
        func readOutput() {
            guard let fd = outputFD else { return }
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n > 0 {
                    output(Array(buffer[0..<n]))
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                if n == 0 || errno != EAGAIN {
                    close(fd)
                    outputFD = nil
                }
                return
            }
        }

        let deadline = monotonicSeconds() + timeout
        // No SIGCHLD handler (a library has no business installing one): the exit is
        // polled, first every millisecond, then every 10 ms for a long-running child.
        var pause: Int32 = 1
        // With no pipe left to wait on, the child has usually just ended: its pipes close
        // in the kernel a moment before it becomes a zombie that waitpid sees. Polling
        // nothing for the current pause (up to 10 ms) noticed the end that much late,
        // every notification and hook (bench/NOTES.md); look again in 50 µs, then
        // back off to the same 10 ms.
        var idlePause: UInt32 = 50
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                // What the child wrote before it ended is in the pipe already.
                readOutput()
                return (status & 0x7F) == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
            }
            if reaped < 0 && errno != EINTR { return .exited(-1) }
            let left = deadline - monotonicSeconds()
            if left <= 0 {
                kill(group ? -pid : pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                readOutput()
                return .timedOut
            }
            // At most two descriptors, in a fixed pair rather than an array per round.
            var fds = (pollfd(), pollfd())
            var count = 0
            withUnsafeMutableBytes(of: &fds) { raw in
                let slots = raw.bindMemory(to: pollfd.self)
                if let fd = stdinFD { slots[count] = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0); count += 1 }
                if let fd = outputFD { slots[count] = pollfd(fd: fd, events: Int16(POLLIN), revents: 0); count += 1 }
            }
            if count == 0 {
                usleep(min(idlePause, UInt32(max(left, 0) * 1_000_000) + 1))
                idlePause = min(idlePause * 2, 10_000)
                continue
            }
            _ = withUnsafeMutableBytes(of: &fds) { raw in
                poll(raw.bindMemory(to: pollfd.self).baseAddress!, nfds_t(count), min(pause, Int32(left * 1000) + 1))
            }
            pause = min(pause * 2, 10)
            if let fd = stdinFD {
                let n = input.withUnsafeBytes { write(fd, $0.baseAddress! + written, input.count - written) }
                if n > 0 { written += n }
                // EPIPE: the child closed its input; it gets no more, and that is its business.
                if written == input.count || (n < 0 && errno != EAGAIN && errno != EINTR) {
                    close(fd)
                    stdinFD = nil
                }
            }
            readOutput()
        }
    }

    private static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
