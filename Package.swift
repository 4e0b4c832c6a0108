// swift-tools-version:6.0
// No package dependencies: the toolchain and the system libsqlite3 only.
import PackageDescription

let package = Package(
    name: "tickets",
    products: [
        .executable(name: "tickets", targets: ["tickets"]),
    ],
    targets: [
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
            // only the runtime static (-static-stdlib), see bench/RESULTS.md.
            linkerSettings: [.unsafeFlags(["-static-executable"])]
        ),
        // Fixtures are read through #filePath, like the CLI's golden files.
        .testTarget(name: "TicketsCoreTests", dependencies: ["TicketsCore"], exclude: ["Fixtures"]),
        .testTarget(name: "TicketsSQLiteTests", dependencies: ["TicketsSQLite", "TicketsCore"]),
        // Golden files are read through #filePath, not bundled as resources.
        .testTarget(name: "TicketsCLITests", dependencies: ["TicketsCLI", "TicketsCore", "TicketsSQLite"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
