// SymbolTable: nearest-preceding lookup with sizes, preferences, biases, module placement.

import Testing
@testable import ELF

struct SymbolTableTests {
    @Test func lookupRespectsSizes() {
        var t = SymbolTable()
        t.add(name: "a", address: 0x1000, size: 0x10)
        t.add(name: "b", address: 0x1020, size: 0)
        t.add(name: "c", address: 0x2000, size: 0x100, type: .object)
        #expect(t.lookup(0xFFF) == nil)
        #expect(t.lookup(0x1000)! == ("a", 0))
        #expect(t.lookup(0x100F)! == ("a", 0xF))
        #expect(t.lookup(0x1010) == nil)                 // past a's end, before b
        #expect(t.lookup(0x1FFF)! == ("b", 0xFDF))       // b's size unknown: it covers up to c
        #expect(t.lookup(0x20FF)! == ("c", 0xFF))
        #expect(t.lookup(0x2100) == nil)
        #expect(t.describe(0x1004) == "a+0x4")
        #expect(t.describe(0x2000) == "c")
        #expect(t.describe(0x10) == nil)
    }

    @Test func preferencesAtTheSameAddress() {
        var t = SymbolTable()
        t.add(name: "label", address: 0x100, type: .notype)
        t.add(name: "local_fn", address: 0x100, size: 8, binding: .local)
        t.add(name: "global_fn", address: 0x100, size: 8)
        t.add(name: "var", address: 0x100, size: 4, type: .object)
        #expect(t.lookup(0x104)?.name == "global_fn")
        // Larger symbol at the same address covers what the preferred one does not.
        var u = SymbolTable()
        u.add(name: "small", address: 0x100, size: 4)
        u.add(name: "big", address: 0x100, size: 64, type: .object)
        #expect(u.lookup(0x110)?.name == "big")
    }

    @Test func namesAndPrefixes() {
        var t = SymbolTable()
        t.add(name: "dup", address: 0x10, binding: .local, origin: "a.ko")
        t.add(name: "dup", address: 0x20, binding: .global, origin: "kernel")
        t.add(name: "nooks_xpc", address: 0x30)
        t.add(name: "nooks_enter", address: 0x40)
        #expect(t.address(of: "dup") == 0x20)
        #expect(t.symbol(named: "dup")?.origin == "kernel")
        #expect(t.address(of: "missing") == nil)
        #expect(t.symbols(matching: "nooks_").map(\.name) == ["nooks_enter", "nooks_xpc"])
        #expect(t.symbols.map(\.address) == t.symbols.map(\.address).sorted())
        t.add([PlacedSymbol(name: "z", address: 0x5, size: 0, type: .object, binding: .global, origin: ""),
               PlacedSymbol(name: "y", address: 0x50, size: 4, type: .function, binding: .weak, origin: "")])
        #expect(t.symbols.first?.name == "z" && t.address(of: "y") == 0x50)
    }

    @Test(.enabled(if: Toolchain.available)) func kernelAndPlacedModule() throws {
        let f = try Fixtures.get()
        let kernel = try ELFFile(bytes: f.kernel, name: "kernel")
        let module = try ELFFile(bytes: f.module, name: "demo.ko")
        var t = SymbolTable(files: [(kernel, 0)])
        let kmain = try #require(kernel.symbol(named: "kmain"))
        #expect(t.address(of: "kmain") == kmain.value)
        #expect(t.lookup(kmain.value + 2)! == ("kmain", 2))
        #expect(t.address(of: "mb_header") != nil)       // local objects are kept
        #expect(t.symbols.allSatisfy { !$0.name.isEmpty })
        #expect(!t.symbols.contains { $0.type == .file || $0.type == .section })

        // The module's sections placed by a loader at separate addresses.
        let text = try #require(module.section(named: ".text"))
        let rodata = module.sections.first { $0.name.hasPrefix(".rodata") }
        var placement = [text.index: UInt32(0xD000_0000)]
        if let rodata { placement[rodata.index] = 0xD000_1000 }
        t.add(module, sectionAddresses: placement)
        let initModule = try #require(module.symbol(named: "init_module"))
        #expect(t.address(of: "init_module") == 0xD000_0000 + initModule.value)
        #expect(t.symbol(named: "init_module")?.origin == "demo.ko")
        #expect(t.lookup(0xD000_0000 + initModule.value + 1)?.name == "init_module")
        // Undefined references (kernel_register) are not symbols of the module.
        #expect(t.symbols(matching: "kernel_").isEmpty)

        // With a plain bias, a relocatable object's offsets are taken from the bias.
        var biased = SymbolTable()
        biased.add(module, bias: 0x4000_0000)
        #expect(biased.address(of: "init_module") == 0x4000_0000 + initModule.value)
    }
}
