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
            // The Swift runtime linked statically: a dynamic runtime costs
            // several milliseconds of loader work on every call (bench/).
            swiftSettings: [],
            linkerSettings: [.unsafeFlags(["-static-stdlib"])]
        ),
        .testTarget(name: "TicketsCoreTests", dependencies: ["TicketsCore"]),
        .testTarget(name: "TicketsCLITests", dependencies: ["TicketsCLI", "TicketsCore"]),
    ],
    swiftLanguageModes: [.v6]
)
