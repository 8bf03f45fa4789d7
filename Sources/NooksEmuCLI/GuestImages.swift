// Where the guest images live, and building them on first use.
//
// The images are built from source in guest-images/ (never committed). The
// default location is found from this source file's path, so `swift run
// nooks-emu boot` works from anywhere inside the checkout; NOOKS_EMU_GUEST_DIR
// overrides it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum GuestImages {
    /// The guest-images/ directory.
    static var directory: String {
        if let env = getenv("NOOKS_EMU_GUEST_DIR") { return String(cString: env) }
        // #filePath = <root>/Sources/NooksEmuCLI/GuestImages.swift
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/guest-images"
    }

    static func path(_ name: String) -> String { directory + "/build/" + name }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Path of a built image, running `make` in guest-images/ first if it is missing.
    static func ensure(_ name: String) -> String? {
        let p = path(name)
        if exists(p) { return p }
        guard exists(directory + "/Makefile") else { return nil }
        printError("nooks-emu: building guest images (make -C \(directory)) ...")
        let status = system("make -s -C '\(directory)' >&2")
        guard status == 0, exists(p) else { return nil }
        return p
    }
}
