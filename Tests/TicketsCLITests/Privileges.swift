import Foundation
import Testing

/// Running the built binary as root and as an ordinary user, for the rules where
/// permissions matter (SPEC: "test as root and as an ordinary user"). As root, the
/// ordinary user is `nobody` through util-linux's `setpriv`; as an ordinary user the
/// tests run as they are, and the root cases are skipped (CI runs as root).
enum Privileges {
    static let isRoot = getuid() == 0

    /// Root's cases run only as root.
    static var rootRuns: Bool { isRoot }

    /// The ordinary user's cases run as root (through setpriv) or as an ordinary user.
    static var ordinaryRuns: Bool { !isRoot || ShellSupport.find("setpriv") != nil || ShellSupport.underCI }

    /// A folder the ordinary user may use, removed by the caller.
    static func sharedFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "tickets-perm-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        return dir
    }

    /// Runs `tickets args` as the ordinary user with exactly `env`.
    static func runAsOrdinaryUser(_ args: [String], env: [String: String], stdin: Data = Data()) throws -> BuiltBinary.Output {
        guard isRoot else { return try BuiltBinary.run(args, env: env, stdin: stdin) }
        let setpriv = try ShellSupport.require("setpriv")
        return try BuiltBinary.run(args, env: env, stdin: stdin,
                                   via: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"])
    }
}
