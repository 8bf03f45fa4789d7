// File-reading front end to MultibootLoader: reads the kernel and the modules named in a
// QEMU-style -initrd string ("a.ko args,b.ko", ",," for a literal comma) and plans the boot.

extension MultibootLoader {
    /// Splits a QEMU -initrd string into modules: entries are separated by ',' (",," is a
    /// literal comma); each entry is the module's command line, whose first word is its path.
    public static func parseInitrd(_ spec: String) -> [(path: String, cmdline: String)] {
        var entries: [String] = []
        var current = ""
        var chars = Array(spec)[...]
        while let c = chars.popFirst() {
            if c == "," {
                if chars.first == "," {
                    chars.removeFirst()
                    current.append(",")
                } else {
                    entries.append(current)
                    current = ""
                }
            } else {
                current.append(c)
            }
        }
        entries.append(current)
        return entries.map { entry in
            (path: entry.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? entry,
             cmdline: entry)
        }
    }

    /// Reads the kernel at `kernelPath` and the modules of `initrd` (QEMU -initrd syntax) and plans the boot.
    /// - Throws: `.elf(.fileNotFound)` / `.elf(.unreadable)` for the kernel, `.moduleNotFound` /
    ///   `.moduleUnreadable` for a module, and everything `plan(kernel:...)` throws.
    public static func plan(kernelPath: String, cmdline: String, initrd: String?, memoryBytes: UInt64,
                            strictFlags: Bool = false) throws(MultibootError) -> BootPlan {
        let kernel: [UInt8]
        do { kernel = try FileBytes.read(path: kernelPath) } catch { throw .elf(error) }
        var modules: [(bytes: [UInt8], cmdline: String)] = []
        if let initrd {
            for entry in parseInitrd(initrd) {
                do {
                    modules.append((try FileBytes.read(path: entry.path), entry.cmdline))
                } catch {
                    if case .fileNotFound = error { throw .moduleNotFound(path: entry.path) }
                    if case .unreadable(_, let reason) = error {
                        throw .moduleUnreadable(path: entry.path, reason: reason)
                    }
                    throw .moduleUnreadable(path: entry.path, reason: error.description)
                }
            }
        }
        return try plan(kernel: kernel, kernelName: kernelPath, cmdline: cmdline, modules: modules,
                        memoryBytes: memoryBytes, strictFlags: strictFlags)
    }
}
