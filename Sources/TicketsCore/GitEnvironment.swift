/// Why git would have stopped (`fatal:`) instead of printing a value; the message is
/// close to git's.
public struct GitConfigFailure: Error, Equatable, Sendable {
    /// One line, e.g. "bad config line 3 in file /home/me/.gitconfig".
    public let message: String
    init(_ message: String) { self.message = message }
}

/// The process environment the lookup sees, passed in rather than read from the process
/// so that callers and tests control it.
struct GitEnvironment {
    let variables: [String: String]
    init(_ variables: [String: String]) { self.variables = variables }

    subscript(name: String) -> String? { variables[name] }

    func bytes(_ name: String) -> [UInt8]? { variables[name].map { Array($0.utf8) } }

    /// git_env_bool(): unset is `default`; a value that is not a boolean is fatal.
    func bool(_ name: String, default value: Bool) throws(GitConfigFailure) -> Bool {
        guard let text = bytes(name) else { return value }
        guard let b = GitASCII.parseBool(text) else {
            throw GitConfigFailure("bad boolean config value '\(self[name] ?? "")' for '\(name)'")
        }
        return b
    }
}
