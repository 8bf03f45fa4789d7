// Parsing `--cost KEY=CYCLES` and `--itlb/--dtlb N[/W]` into the cost model and TLB config.

import ArgumentParser
import Core

enum CostOption {
    static let keys = ["instruction", "page-walk", "cr3-load", "invlpg", "exception", "iret", "port-io", "mmio", "hz"]

    static func apply(_ spec: String, to c: inout CostModel) throws {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let v = UInt64(parts[1]) else {
            throw ValidationError("--cost expects KEY=CYCLES (got '\(spec)')")
        }
        switch parts[0] {
        case "instruction": c.instruction = v
        case "page-walk": c.pageWalkAccess = v
        case "cr3-load": c.cr3Load = v
        case "invlpg": c.invlpg = v
        case "exception": c.exception = v
        case "iret": c.iret = v
        case "port-io": c.portIO = v
        case "mmio": c.mmio = v
        case "hz":
            guard v >= 1_000_000 else { throw ValidationError("--cost hz must be at least 1000000") }
            c.cyclesPerSecond = v
        default:
            throw ValidationError("unknown cost '\(parts[0])'; known: \(keys.joined(separator: ", "))")
        }
        if parts[0] == "instruction" && v != 1 {
            throw ValidationError("--cost instruction must be 1 (instructions are the unit of modeled time)")
        }
    }

    static func tlbSize(_ spec: String, _ flag: String) throws -> (Int, Int) {
        let parts = spec.split(separator: "/").map { Int($0) }
        guard let n = parts.first ?? nil, (1...4096).contains(n) else {
            throw ValidationError("\(flag) expects ENTRIES[/WAYS] with 1-4096 entries (got '\(spec)')")
        }
        let w = parts.count > 1 ? (parts[1] ?? -1) : min(4, n)
        guard parts.count <= 2, w >= 1, w <= n, n % w == 0 else {
            throw ValidationError("\(flag): WAYS must divide ENTRIES (got '\(spec)')")
        }
        return (n, w)
    }
}
