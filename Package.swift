// swift-tools-version: 6.0
// nooks-emu: a full-system i386 emulator for running Nooks-style driver isolation.
//
// Layers (one target each, folders under Sources/):
//   Core        CPU, MMU, guest RAM, decode cache, cost model — one module on purpose:
//               a module boundary on the memory path costs ~2.7x (see STYLE.md).
//   Devices     port/MMIO device state machines (UART, PIC, PIT, debug-exit, ...).
//   ELF         libelf-backed ELF32 reading, symbols, Multiboot header/info.
//   Disasm      capstone-backed disassembly.
//   GDBRemote   the GDB remote serial protocol, sans-IO (bytes in, typed commands out).
//   Machine     assembles CPU + devices, Multiboot boot, the virtual-time run loop.
//   Debugger    the step debugger (command language, views, crossings) and the GDB server.
//   Inject      fault injection in the manner of Nooks: fault types, campaigns, replay.
//   NooksEmuCLI the `nooks-emu` commands, as a library so tests can drive them.
import PackageDescription

let package = Package(
    name: "nooks-emu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nooks-emu", targets: ["nooks-emu"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibElf", path: "Sources/CLibElf", pkgConfig: "libelf",
                       providers: [.apt(["libelf-dev"])]),
        .systemLibrary(name: "CCapstone", path: "Sources/CCapstone", pkgConfig: "capstone",
                       providers: [.apt(["libcapstone-dev"])]),
        // libslirp for `--net user`: no pkgConfig, its slirp.pc needs glib-2.0 (not installed, not needed).
        .systemLibrary(name: "CSlirp", path: "Sources/CSlirp", providers: [.apt(["libslirp-dev"])]),
        .target(name: "Core", path: "Sources/Core",
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "Devices", dependencies: ["CSlirp"], path: "Sources/Devices"),
        .target(name: "ELF", dependencies: ["CLibElf"], path: "Sources/ELF"),
        .target(name: "Disasm", dependencies: ["CCapstone"], path: "Sources/Disasm"),
        .target(name: "GDBRemote", path: "Sources/GDBRemote"),
        .target(name: "Machine", dependencies: ["Core", "Devices", "ELF"], path: "Sources/Machine"),
        .target(name: "Debugger", dependencies: ["Machine", "Core", "Devices", "ELF", "Disasm", "GDBRemote"], path: "Sources/Debugger"),
        .target(name: "Inject", dependencies: ["Machine", "Devices", "Core", "ELF", "Disasm", "Debugger", "CCapstone"],
                path: "Sources/Inject"),
        .target(name: "NooksEmuCLI",
                dependencies: ["Machine", "Disasm", "ELF", "GDBRemote", "Debugger", "Inject",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "Sources/NooksEmuCLI"),
        .executableTarget(name: "nooks-emu", dependencies: ["NooksEmuCLI"], path: "Sources/nooks-emu"),

        .testTarget(name: "CoreTests", dependencies: ["Core"], path: "Tests/CoreTests",
                    resources: [.copy("Vectors")]),
        .testTarget(name: "DevicesTests", dependencies: ["Devices"], path: "Tests/DevicesTests"),
        .testTarget(name: "ELFTests", dependencies: ["ELF", "Disasm"], path: "Tests/ELFTests"),
        .testTarget(name: "MachineTests", dependencies: ["Machine", "ELF"], path: "Tests/MachineTests"),
        .testTarget(name: "CLITests", dependencies: ["NooksEmuCLI"], path: "Tests/CLITests"),
        .testTarget(name: "GDBRemoteTests", dependencies: ["GDBRemote"], path: "Tests/GDBRemoteTests"),
        .testTarget(name: "InjectTests", dependencies: ["Inject", "NooksEmuCLI", "Machine", "ELF"], path: "Tests/InjectTests"),
        .testTarget(name: "DebuggerTests", dependencies: ["Debugger", "Machine", "ELF"], path: "Tests/DebuggerTests"),
    ]
)
