// Labels for CR3 values: which protection domain a page directory belongs to.
//
// The emulator does not know Nooks' policy; it reads the guest kernel's own
// domain table through ELF symbols. Until a kernel exports one, the only label
// is "kernel" for the page directory the kernel booted with (symbol
// `swapper_pg_dir` or `kernel_pgdir` if present) and raw CR3 values otherwise.

import Core
import ELF

public final class DomainTable {
    let symbols: SymbolTable

    public init(symbols: SymbolTable) {
        self.symbols = symbols
    }

    /// The domain name for a page-directory base, or nil if unknown.
    public func name(forCR3 cr3: UInt32, cpu: CPU) -> String? {
        let base = cr3 & 0xFFFF_F000
        for d in list(cpu: cpu) where d.pageDirectory & 0xFFFF_F000 == base { return d.name }
        return nil
    }

    /// A domain as read from guest memory.
    public struct Domain: Sendable, Equatable {
        public var id: Int
        public var name: String
        public var pageDirectory: UInt32
        public var state: String
        /// The domain's stack pool [stackLow, stackHigh) (0, 0 for the kernel).
        public var stackLow: UInt32 = 0
        public var stackHigh: UInt32 = 0
    }

    /// The domain whose stack pool holds `address` ("kernel" otherwise).
    public func stackOwner(_ address: UInt32, cpu: CPU) -> String {
        for d in list(cpu: cpu) where d.stackHigh > d.stackLow && address >= d.stackLow && address < d.stackHigh { return d.name }
        return "kernel"
    }

    /// The domains the guest kernel currently has (kernel first).
    public func list(cpu: CPU) -> [Domain] {
        var out: [Domain] = []
        for name in ["nooks_kernel_cr3", "kernel_pgdir", "swapper_pg_dir"] {
            if let sym = symbols.symbol(named: name) {
                // A pointer variable holds the address; an array symbol is the directory itself.
                let value = sym.size == 4 ? cpu.memory.load32(sym.address) : sym.address
                if value == 0 { continue }
                out.append(Domain(id: 0, name: "kernel", pageDirectory: value, state: "running"))
                break
            }
        }
        if out.isEmpty, cpu.cr3 != 0 { out.append(Domain(id: 0, name: "kernel", pageDirectory: cpu.cr3, state: "running")) }
        return out + NooksLayout.readDomains(symbols: symbols, cpu: cpu)
    }

    public func describe(_ cr3: UInt32, cpu: CPU) -> String {
        if let n = name(forCR3: cr3, cpu: cpu) { return n }
        return "cr3=0x" + String(cr3, radix: 16)
    }
}

