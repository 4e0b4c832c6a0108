// swift-tools-version:6.0
// No package dependencies: the toolchain and system libraries only (libsqlite3; libpq for
// a team's PostgreSQL server, when Debian's libpq-dev is installed).
import Foundation
import PackageDescription

/// The PostgreSQL store needs libpq's header. Without libpq-dev the package still builds
/// `tickets` for SQLite, and a postgres:// database gets an error saying what to install.
let hasLibPQ = FileManager.default.fileExists(atPath: "/usr/include/postgresql/libpq-fe.h")

var targets: [Target] = [
    .systemLibrary(name: "CTicketsSQLite", path: "Sources/CTicketsSQLite"),
    // The model, the rules and the store boundary: no engine, no argv, no terminal.
    .target(name: "TicketsCore"),
    // The SQLite store: one file for a person or one machine.
    .target(name: "TicketsSQLite", dependencies: ["TicketsCore", "CTicketsSQLite"]),
    .target(name: "TicketsCLI", dependencies: ["TicketsCore", "TicketsSQLite"]),
    .executableTarget(
        name: "tickets",
        dependencies: ["TicketsCLI"],
        // A fully static executable (Swift runtime, libc and libsqlite3.a): no dynamic
        // loader at all. Every call starts in about 0.7 ms of CPU instead of 2 ms with
        // only the runtime static (-static-stdlib), see bench/RESULTS.md. libpq cannot be
        // linked this way (Debian has no static GSSAPI), so a postgres:// database is
        // served by the companion tickets-pg, which tickets runs in its place.
        // gold writes the file with write(2), not through a shared mapping: pages written
        // through a mapping stay in the page cache as small pages, and every later exec of
        // the fresh binary paid about 0.4 ms more in page faults (bench/NOTES.md).
        linkerSettings: [.unsafeFlags(["-static-executable", "-Xlinker", "--no-mmap-output-file"])]
    ),
    // Fixtures are read through #filePath, like the CLI's golden files.
    .testTarget(name: "TicketsCoreTests", dependencies: ["TicketsCore"], exclude: ["Fixtures"]),
    .testTarget(name: "TicketsSQLiteTests", dependencies: ["TicketsSQLite", "TicketsCore"]),
]

var cliTestDependencies: [Target.Dependency] = ["TicketsCLI", "TicketsCore", "TicketsSQLite"]
var cliTestSettings: [SwiftSetting] = []
var products: [Product] = [.executable(name: "tickets", targets: ["tickets"])]

if hasLibPQ {
    targets += [
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        // The PostgreSQL store (SPEC §9), over libpq.
        .target(name: "TicketsPostgres", dependencies: ["TicketsCore", "TicketsSQLite", "CLibPQ"]),
        // The same command with the PostgreSQL store linked in, libpq loaded dynamically;
        // the Swift runtime static, which halves its start-up (bench/RESULTS.md), SQLite's
        // archive as in tickets (CTicketsSQLite's module map), libstdc++'s archive through
        // the linker script in link/ (its comment says why), and libgcc's (no libgcc_s.so).
        .executableTarget(name: "tickets-pg", dependencies: ["TicketsCLI", "TicketsPostgres"], exclude: ["link"],
                          linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xclang-linker", "-static-libgcc",
                                                         "-L\(Context.packageDirectory)/Sources/tickets-pg/link",
                                                         "-Xlinker", "--no-mmap-output-file"])]),
    ]
    cliTestDependencies.append("TicketsPostgres")
    cliTestSettings.append(.define("TICKETS_POSTGRES"))
    products.append(.executable(name: "tickets-pg", targets: ["tickets-pg"]))
}

// Golden files are read through #filePath, not bundled as resources.
targets.append(.testTarget(name: "TicketsCLITests", dependencies: cliTestDependencies, exclude: ["Golden"],
                           swiftSettings: cliTestSettings))

let package = Package(
    name: "tickets",
    products: products,
    targets: targets,
    swiftLanguageModes: [.v6]
)
