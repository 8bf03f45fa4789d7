// Module symbols at their load addresses. The guest's loader places each
// SHF_ALLOC section of a .ko in one of four regions (text, rodata, data, bss),
// in section order, aligned to sh_addralign (kernel/module.c, layout_and_copy);
// the regions' bases are in the module's `struct module`, on `module_list`:
//
//   struct module (i386):  0x000 name[32]  0x020 args[128]  0x0a0 argbuf[128]
//     0x120 sect[4] { addr, size, flags }  (text, rodata, data, bss)
//     0x150 init  0x154 exit  0x158 syms  0x15c num_syms  0x160 image  0x164 image_size
//     0x168 state  0x16c load_count  0x170 init_result  0x174 isolated  0x178 nooks  0x17c next
//
// The debugger watches `module_list`, so modules loaded, unloaded or reloaded
// (recovery puts a module at new addresses) are followed as they happen.

import Core
import ELF

public struct LoadedModule: Sendable, Equatable {
    public var name: String
    public var address: UInt32          // the struct module
    public var regions: [(base: UInt32, size: UInt32)]
    public var loadCount: UInt32
    public var isolated: Bool
    public static func == (a: LoadedModule, b: LoadedModule) -> Bool {
        a.name == b.name && a.address == b.address && a.loadCount == b.loadCount && a.isolated == b.isolated
            && a.regions.map(\.base) == b.regions.map(\.base)
    }
}

public enum ModuleLayout {
    static let nameOffset: UInt32 = 0x000
    static let sectOffset: UInt32 = 0x120
    static let loadCountOffset: UInt32 = 0x16C
    static let isolatedOffset: UInt32 = 0x174
    static let nextOffset: UInt32 = 0x17C

    /// Walk the guest's module_list (at most 64 entries).
    static func read(symbols: SymbolTable, cpu: CPU) -> [LoadedModule] {
        guard let head = symbols.address(of: "module_list") else { return [] }
        var out: [LoadedModule] = []
        var p = NooksLayout.words(cpu, head, 1)?.first ?? 0
        while p != 0 && out.count < 64 {
            guard let sect = NooksLayout.words(cpu, p &+ sectOffset, 12),
                  let lc = NooksLayout.words(cpu, p &+ loadCountOffset, 1)?.first,
                  let iso = cpu.peekLinear(p &+ isolatedOffset, count: 1).first ?? nil,
                  let next = NooksLayout.words(cpu, p &+ nextOffset, 1)?.first else { break }
            let nameBytes = cpu.peekLinear(p &+ nameOffset, count: 32).map { $0 ?? 0 }
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            let regions = (0..<4).map { (base: sect[3 * $0], size: sect[3 * $0 + 1]) }
            out.append(LoadedModule(name: name, address: p, regions: regions, loadCount: lc, isolated: iso != 0))
            p = next
        }
        return out
    }

    /// Addresses of a module file's SHF_ALLOC sections, laid out as the guest loader does.
    public static func sectionAddresses(_ file: ELFFile, _ m: LoadedModule) -> [Int: UInt32] {
        var off = [UInt32](repeating: 0, count: 4)
        var out: [Int: UInt32] = [:]
        for s in file.sections where s.flags & 0x2 != 0 && s.size > 0 {   // SHF_ALLOC
            let kind: Int
            if s.flags & 0x4 != 0 { kind = 0 }                  // SHF_EXECINSTR
            else if s.flags & 0x1 == 0 { kind = 1 }             // not SHF_WRITE
            else { kind = s.type == 8 ? 3 : 2 }                 // SHT_NOBITS
            let align = max(1, s.addralign)
            off[kind] = (off[kind] &+ align &- 1) / align &* align
            out[s.index] = m.regions[kind].base &+ off[kind]
            off[kind] &+= s.size
        }
        return out
    }
}

extension DebugSession {
    /// Register a module's ELF file (the path given with --module) by module name.
    public func addModuleFile(path: String) {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.hasSuffix(".ko") { name.removeLast(3) }
        modulePaths[name] = path
    }

    /// Re-read the guest's module list and rebuild the symbol table; resolve pending breakpoints.
    public func refreshModules() {
        let now = ModuleLayout.read(symbols: kernelSymbols, cpu: cpu)
        guard now != loadedModules else { return }
        loadedModules = now
        var table = kernelSymbols
        for m in now {
            guard let path = modulePaths[m.name] else { continue }
            if moduleFiles[path] == nil { moduleFiles[path] = try? ELFFile(path: path) }
            guard let file = moduleFiles[path] else { continue }
            table.add(file, sectionAddresses: ModuleLayout.sectionAddresses(file, m))
        }
        symbols = table
        for (i, name) in pending.enumerated().reversed() {
            if let a = symbols.address(of: name) {
                pending.remove(at: i)
                addBreakpoint(a)
            }
        }
    }

    /// Watch module_list so loads, unloads and reloads are followed.
    func watchModuleList() {
        guard let a = kernelSymbols.address(of: "module_list") else { return }
        moduleWatch = Watchpoint(address: a, length: 4, kind: .write)
        cpu.setWatchpoints(cpu.watchpoints + [moduleWatch!])
    }
}

extension DebugSession {
    /// True if some registered module file defines `name`.
    public func moduleDefines(_ name: String) -> Bool {
        for path in modulePaths.values {
            if moduleFiles[path] == nil { moduleFiles[path] = try? ELFFile(path: path) }
            if let f = moduleFiles[path], f.symbols.contains(where: { $0.name == name && $0.sectionIndex != 0 }) { return true }
        }
        return false
    }
}
