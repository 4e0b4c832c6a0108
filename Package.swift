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
        .target(name: "TicketsCore", dependencies: ["CTicketsSQLite"]),
        .target(name: "TicketsCLI", dependencies: ["TicketsCore"]),
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
        // Golden files are read through #filePath, not bundled as resources.
        .testTarget(name: "TicketsCLITests", dependencies: ["TicketsCLI", "TicketsCore"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
