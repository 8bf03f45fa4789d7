// Test support: make a loaded guest module fault deterministically. The
// loader prints `module: NAME text 0x... size N`; the text region is the
// module's executable sections laid out the way guest-images/kernel/module.c
// does (section-index order, each at its alignment), so a function symbol's
// address is that base plus its offset. Writing through the CPU's page tables
// (`pokeLinear`) marks the page written, which drops cached decodes.

import Foundation
import ELF
@testable import Machine

enum ModuleFault {
    /// ud2: an invalid-opcode exception at the first instruction.
    static let ud2: [UInt8] = [0x0F, 0x0B]
    /// mov eax, [0]: a NULL dereference (page fault on linear 0).
    static let nullLoad: [UInt8] = [0xA1, 0x00, 0x00, 0x00, 0x00]

    /// Offset of `function` in `module`'s text region (nil if absent).
    static func offset(of function: String, inModule path: String) throws -> Int? {
        let elf = try ELFFile(path: path)
        var offsets: [Int: Int] = [:], size = 0
        for s in elf.sections where s.isAlloc && s.isExecutable && s.size > 0 {
            let align = max(1, Int(s.addralign))
            size = (size + align - 1) / align * align
            offsets[s.index] = size
            size += Int(s.size)
        }
        guard let sym = elf.symbols.first(where: { $0.name == function && $0.type == .function && !$0.isUndefined }),
              let base = offsets[Int(sym.sectionIndex)] else { return nil }
        return base + Int(sym.value)
    }

    /// The text address of the last load of `module` the serial output reports.
    static func textBase(_ serial: String, module: String) -> UInt32? {
        let key = "module: \(module) text 0x"
        var found: UInt32?
        for line in serial.split(separator: "\n") where line.hasPrefix(key) {
            found = UInt32(line.dropFirst(key.count).prefix { $0.isHexDigit }, radix: 16)
        }
        return found
    }

    /// Runs `m` in slices until `serial` (or the machine's own output) contains
    /// `marker`; returns nil on the way there if the machine stopped.
    static func run(_ m: Machine, until marker: String, serial: (() -> String)? = nil,
                    slice: UInt64 = 200_000, limit: UInt64 = 3_000_000_000) -> MachineExit? {
        let start = m.cpu.instructions
        while !(serial?() ?? m.serialText).contains(marker) {
            let e = m.run(maxInstructions: slice)
            if e != .instructionLimit { return e }
            if m.cpu.instructions &- start > limit { return .instructionLimit }
        }
        return nil
    }

    /// Patches `bytes` over the entry of `function` in the loaded `module`.
    static func patch(_ m: Machine, module: String, modulePath: String, function: String,
                      bytes: [UInt8], serial: String? = nil) throws {
        guard let base = textBase(serial ?? m.serialText, module: module) else {
            throw TestImages.Failure(description: "no 'module: \(module) text' line")
        }
        guard let off = try offset(of: function, inModule: modulePath) else {
            throw TestImages.Failure(description: "\(module) has no function \(function)")
        }
        guard m.cpu.pokeLinear(base &+ UInt32(off), bytes) else {
            throw TestImages.Failure(description: "\(module) text at 0x\(String(base, radix: 16)) is not mapped")
        }
    }
}
