// Campaign targets: a module, the workload that exercises it and the kernel
// function the snapshot is taken at (the workload's entry: the module is
// loaded and initialised, the workload about to start). A target may load
// other modules first (vfat needs ide) and run on a disk (a mkdisk.sh image).

/// A module and its workload.
public struct InjectTarget: Sendable, Equatable {
    /// The module's name, as nooks= names it (the .ko file name without .ko).
    public var module: String
    /// Workload options on the kernel command line.
    public var workload: String
    /// Kernel function at whose entry the snapshot is taken.
    public var entrySymbol: String
    /// Modules loaded before this one, in order (never isolated, never injected).
    public var modulesBefore: [String] = []
    /// The disk the workload runs on, if any (checked after every trial).
    public var disk: DiskSpec?
    /// Options added to isolated runs only (e.g. the nooks_fs_sync=0 ablation).
    public var isolatedOptions: String = ""

    /// The .ko file name.
    public var moduleFile: String { module + ".ko" }

    /// The kernel command line for a mode: the workload plus nooks=none or nooks=<module>.
    /// Isolated runs set the isolation manager's livelock limit to one timer tick
    /// (10 ms of modeled time; no call into these drivers legitimately takes that
    /// long), so a driver spinning in a domain is detected within the budget.
    public func commandLine(isolated: Bool) -> String {
        "selftest=0 nooks=\(isolated ? module + " nooks_timeout=1" : "none") \(workload)"
            + (isolated && !isolatedOptions.isEmpty ? " " + isolatedOptions : "")
    }

    /// The targets known by name: e1000 (ping and UDP echo), echo (the char device),
    /// the buggy drivers with their own bug left untriggered (trigger=0), and vfat
    /// (after ide.ko, on a FAT16 16 MiB disk: the fs workload's untar/compile rounds
    /// with 8 files, without round 11's 200-entry directory and round 12's explicit
    /// abort: about 25 M instructions from the snapshot instead of 1.7 G).
    /// vfat-nosync is vfat whose isolated runs recover without syncing the disk
    /// cache (nooks_fs_sync=0: dirty buffers dropped, the paper's ablation).
    public static func named(_ name: String) -> InjectTarget? {
        switch name {
        case "vfat", "vfat-nosync":
            return InjectTarget(module: "vfat", workload: "workload=fs files=8 edge=0 abort=0", entrySymbol: "workload_fs",
                                modulesBefore: ["ide"], disk: DiskSpec(fat: 16, mib: 16),
                                isolatedOptions: name == "vfat" ? "" : "nooks_fs_sync=0")
        case "e1000": return InjectTarget(module: "e1000", workload: "workload=net ping=5 udp=5", entrySymbol: "workload_net")
        case "echo": return InjectTarget(module: "echo", workload: "workload=chr count=5", entrySymbol: "workload_chr")
        case _ where name.hasPrefix("buggy_"):
            return InjectTarget(module: name, workload: "workload=buggy count=5 trigger=0", entrySymbol: "workload_buggy")
        default: return nil
        }
    }

    /// Names accepted by `named`.
    public static let knownNames = ["e1000", "echo", "vfat", "vfat-nosync", "buggy_uaf", "buggy_double_free", "buggy_null", "buggy_wild", "buggy_loop"]
}

/// Native (nooks=none) or isolated (nooks=<module>).
public enum InjectMode: String, Sendable, Codable, CaseIterable {
    case native, isolated
}
