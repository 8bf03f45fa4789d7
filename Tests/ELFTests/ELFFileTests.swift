// Parsing real clang/ld.lld output: program headers, sections, symbols and relocations.

import Testing
@testable import ELF

@Suite(.enabled(if: Toolchain.available))
struct ELFFileTests {
    @Test func executableHeadersAndSegments() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(path: f.kernelPath)
        #expect(elf.type == .executable)
        let start = try #require(elf.symbol(named: "_start"))
        #expect(elf.entry == start.value)
        let loads = elf.programHeaders.filter(\.isLoad)
        #expect(loads.count == 2)
        #expect(loads[0].paddr == 0x10_0000 && loads[0].vaddr == 0x10_0000)
        #expect(loads[0].isExecutable)
        // .data + .bss: memsz covers the 8 KiB bss beyond the file bytes.
        #expect(loads[1].memsz >= loads[1].filesz + 8192)
        #expect(loads[1].flags & ProgramHeader.flagWrite != 0)
        #expect(elf.bytes(of: loads[0]).count == Int(loads[0].filesz))
    }

    @Test func executableSectionsAndSymbols() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.kernel, name: "kernel.elf")
        #expect(elf.sections[0].type == 0)
        let text = try #require(elf.section(named: ".text"))
        #expect(text.addr == 0x10_0000 && text.isExecutable && text.isAlloc)
        // The Multiboot header is the first thing in .text.
        let textBytes = elf.bytes(of: text)
        #expect(textBytes.count == Int(text.size))
        #expect(Array(textBytes.prefix(4)) == [0x02, 0xB0, 0xAD, 0x1B])
        let data = try #require(elf.section(named: ".data"))
        #expect(data.flags & Section.flagWrite != 0)
        #expect(elf.section(named: ".symtab")?.entsize == 16)
        for (i, s) in elf.sections.enumerated() { #expect(s.index == i) }

        let kmain = try #require(elf.symbol(named: "kmain"))
        #expect(kmain.type == .function && kmain.binding == .global && kmain.size > 0)
        #expect(Int(kmain.sectionIndex) == text.index)
        let helper = try #require(elf.symbol(named: "helper"))
        #expect(helper.binding == .local && helper.type == .function)
        let counter = try #require(elf.symbol(named: "counter"))
        #expect(counter.type == .object && counter.size == 4)
        let bss = try #require(elf.symbol(named: "big_bss"))
        #expect(bss.size == 8192 && bss.type == .object)
        #expect(elf.symbols.contains { $0.type == .file })
        #expect(elf.symbols[0].name.isEmpty && elf.symbols[0].isUndefined)
        for (i, s) in elf.symbols.enumerated() { #expect(s.index == i) }
        #expect(elf.relocations(for: text).isEmpty)
    }

    @Test func relocatableModule() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(path: f.modulePath)
        #expect(elf.type == .relocatable)
        #expect(elf.programHeaders.isEmpty)
        #expect(elf.entry == 0)
        let text = try #require(elf.section(named: ".text"))
        #expect(text.addr == 0)

        let register = try #require(elf.symbols.first { $0.name == "kernel_register" })
        #expect(register.isUndefined && register.binding == .global)
        let initModule = try #require(elf.symbol(named: "init_module"))
        #expect(initModule.type == .function && Int(initModule.sectionIndex) == text.index)
        #expect(elf.symbol(named: "ops_calls")?.binding == .local)

        let relocs = elf.relocations(for: text)
        #expect(!relocs.isEmpty)
        let call = try #require(relocs.first { elf.symbols[$0.symbolIndex].name == "kernel_register" })
        #expect(call.type == .pc32)
        #expect(call.addend == -4)
        #expect(call.offset < text.size)
        let value = try #require(relocs.first { elf.symbols[$0.symbolIndex].name == "kernel_value" })
        #expect(value.type == .abs32)
        // Every relocation refers to a real symbol and lies inside .text.
        for r in relocs {
            #expect(r.symbolIndex < elf.symbols.count)
            #expect(r.offset + 4 <= text.size)
        }
        // The ops table (function pointers) is patched through its own REL section.
        let table = try #require(elf.symbol(named: "ops_table"))
        let tableSection = elf.sections[Int(table.sectionIndex)]
        let tableRelocs = elf.relocations(for: tableSection)
        #expect(tableRelocs.contains { $0.type == .abs32 && $0.offset == table.value })
        let relSection = try #require(elf.sections.first { $0.type == Section.typeRel && Int($0.info) == text.index })
        #expect(relSection.entsize == 8)
        #expect(elf.sections[Int(relSection.link)].type == Section.typeSymtab)
    }

    @Test func higherHalfKernelKeepsVirtualAndPhysical() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.higherHalfKernel, name: "kernel-high.elf")
        let load = try #require(elf.programHeaders.first { $0.isLoad })
        #expect(load.vaddr == 0xC010_0000)
        #expect(load.paddr == 0x10_0000)
        #expect(elf.entry >= 0xC010_0000)
    }

    @Test func nobitsSectionHasNoFileBytes() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.module, name: "module.ko")
        let bss = try #require(elf.sections.first { $0.isNobits })
        #expect(elf.bytes(of: bss).isEmpty)
    }
}
