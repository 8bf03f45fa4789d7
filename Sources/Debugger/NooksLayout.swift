// Reading the guest's Nooks tables through ELF symbols — the emulator observes
// the isolation manager, it does not implement it. The layout is the one the
// guest documents in guest-images/include/nooks/domain.h and xpc.h:
//
//   nooks_domains: struct nooks_domain[8], 1024 bytes each; fixed prefix:
//     0x00 magic ("NOOK" = 0x4b4f4f4e when in use)  0x04 id  0x08 state  0x0c cr3
//     0x10 name[16]  0x20 xpc_in  0x24 xpc_out  0x28 faults  0x2c restarts
//     0x30 deferred_in  0x34 deferred_out  0x38 stack_lo  0x3c stack_hi
//   nooks_stats: ten u32 counters (see NooksStats).

import Core
import ELF

public enum NooksLayout {
    static let maxDomains = 8
    static let entrySize: UInt32 = 1024
    static let magic: UInt32 = 0x4B4F_4F4E
    static let states = ["free", "running", "failed", "recovering", "disabled"]

    /// The guest's Nooks domains (empty if the kernel has no Nooks table).
    public static func readDomains(symbols: SymbolTable, cpu: CPU) -> [DomainTable.Domain] {
        guard let base = symbols.address(of: "nooks_domains") else { return [] }
        var out: [DomainTable.Domain] = []
        for i in 0..<maxDomains {
            let e = base &+ UInt32(i) &* entrySize
            guard let w = words(cpu, e, 4), w[0] == magic else { continue }
            let nameBytes = cpu.peekLinear(e &+ 0x10, count: 16).map { $0 ?? 0 }
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            let state = Int(w[2]) < states.count ? states[Int(w[2])] : "state \(w[2])"
            let stacks = words(cpu, e &+ 0x38, 2) ?? [0, 0]
            out.append(DomainTable.Domain(id: Int(w[1]), name: name, pageDirectory: w[3], state: state,
                                          stackLow: stacks[0], stackHigh: stacks[1]))
        }
        return out
    }

    /// Per-domain counters (xpc in/out, faults, restarts, deferred in/out).
    public static func domainCounters(symbols: SymbolTable, cpu: CPU, id: Int) -> [String: UInt32]? {
        guard let base = symbols.address(of: "nooks_domains"), id >= 1, id <= maxDomains else { return nil }
        let e = base &+ UInt32(id - 1) &* entrySize
        guard let w = words(cpu, e &+ 0x20, 6) else { return nil }
        return ["xpc_in": w[0], "xpc_out": w[1], "faults": w[2], "restarts": w[3], "deferred_in": w[4], "deferred_out": w[5]]
    }

    /// The guest's `nooks_stats`, if it has one.
    public static func readStats(symbols: SymbolTable, cpu: CPU) -> NooksStats? {
        guard let a = symbols.address(of: "nooks_stats"), let w = words(cpu, a, 10) else { return nil }
        return NooksStats(xpcToExtension: w[0], xpcToKernel: w[1], cr3Loads: w[2], deferredToExtension: w[3],
                          deferredToKernel: w[4], faults: w[5], recoveries: w[6], unwinds: w[7],
                          checksFailed: w[8], nativeCalls: w[9])
    }

    static func words(_ cpu: CPU, _ a: UInt32, _ n: Int) -> [UInt32]? {
        let b = cpu.peekLinear(a, count: 4 * n)
        guard !b.contains(where: { $0 == nil }) else { return nil }
        let bytes = b.map { $0! }
        var out: [UInt32] = []
        for i in 0..<n {
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(bytes[4 * i + k]) << UInt32(8 * k) }
            out.append(v)
        }
        return out
    }
}

/// The guest isolation manager's counters (`struct nooks_stats`).
public struct NooksStats: Sendable, Equatable {
    public var xpcToExtension: UInt32
    public var xpcToKernel: UInt32
    public var cr3Loads: UInt32
    public var deferredToExtension: UInt32
    public var deferredToKernel: UInt32
    public var faults: UInt32
    public var recoveries: UInt32
    public var unwinds: UInt32
    public var checksFailed: UInt32
    public var nativeCalls: UInt32
}
