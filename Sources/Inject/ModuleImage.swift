// The target module as the loader lays it out (guest-images/kernel/module.c,
// layout_and_copy): every SHF_EXECINSTR section, in section-index order, at
// the next multiple of its alignment in one text region. From the pristine
// .ko this gives the text bytes (unrelocated: instruction boundaries are the
// same as in guest memory), the function entries and the call sites of the
// kernel functions the runtime faults intercept (R_386_PC32 relocations of a
// `call rel32`), all as offsets from the start of the text region.

import ELF

/// A call from the module's text to a named kernel function.
public struct CallSite: Sendable, Equatable {
    /// Offset of the `call` instruction (E8 rel32) in the text region.
    public var offset: Int
    /// The called function, e.g. `kmalloc`.
    public var callee: String
}

/// The pristine text of one module and what the injector needs to know about it.
public struct ModuleImage: Sendable {
    /// Module name (file name without directory and .ko), as the kernel names it.
    public let name: String
    /// The text region's bytes as loaded, before relocation.
    public let text: [UInt8]
    /// Offsets of function symbols (entries) in the text region, sorted.
    public let functionEntries: [Int]
    /// Function symbol names by offset (for reports).
    public let functionNames: [Int: String]
    /// Direct calls to kernel functions, by offset.
    public let callSites: [CallSite]
    /// Offset of each text section (by ELF section index) in the text region.
    public let sectionOffsets: [Int: Int]

    /// Reads a .ko file.
    public init(path: String) throws(ELFError) {
        let elf = try ELFFile(path: path)
        var base = path.split(separator: "/").last.map(String.init) ?? path
        if base.hasSuffix(".ko") { base.removeLast(3) }
        self.init(elf: elf, name: base)
    }

    /// Lays out `elf`'s text the way the guest's loader does.
    public init(elf: ELFFile, name: String) {
        self.name = name
        var offsets: [Int: Int] = [:]
        var size = 0
        for s in elf.sections where s.isAlloc && s.isExecutable && s.size > 0 {
            let align = max(1, Int(s.addralign))
            size = (size + align - 1) / align * align
            offsets[s.index] = size
            size += Int(s.size)
        }
        var text = [UInt8](repeating: 0, count: size)
        for s in elf.sections {
            guard let o = offsets[s.index], !s.isNobits else { continue }
            let b = elf.bytes(of: s)
            text.replaceSubrange(o..<o + b.count, with: b)
        }
        var entries: [Int: String] = [:]
        for sym in elf.symbols where sym.type == .function && !sym.isUndefined {
            if let o = offsets[Int(sym.sectionIndex)] { entries[o + Int(sym.value)] = entries[o + Int(sym.value)] ?? sym.name }
        }
        var calls: [CallSite] = []
        for s in elf.sections where offsets[s.index] != nil {
            for r in elf.relocations(for: s) where r.type == .pc32 && r.symbolIndex < elf.symbols.count {
                let sym = elf.symbols[r.symbolIndex]
                let at = offsets[s.index]! + Int(r.offset) - 1
                guard sym.isUndefined, at >= 0, at < text.count, text[at] == 0xE8 else { continue }
                calls.append(CallSite(offset: at, callee: sym.name))
            }
        }
        self.text = text
        self.sectionOffsets = offsets
        self.functionEntries = entries.keys.sorted()
        self.functionNames = entries
        self.callSites = calls.sorted { $0.offset < $1.offset }
    }

    /// The function containing `offset` and the distance into it, e.g. `e1000_xmit+0x1c`.
    public func describe(_ offset: Int) -> String {
        guard let f = functionEntries.last(where: { $0 <= offset }), let n = functionNames[f] else {
            return "+0x" + String(offset, radix: 16)
        }
        return offset == f ? n : "\(n)+0x\(String(offset - f, radix: 16))"
    }
}
