// Disassembly of known bytes in both syntaxes, branch targets, symbol annotations,
// and undecodable bytes.

import Testing
@testable import Disasm
@testable import ELF

struct DisassemblerTests {
    /// push %ebp; mov %esp,%ebp; call 0x1000; je +5; jmp self; jmp *%eax; mov 0x102004,%eax; ret
    let code: [UInt8] = [0x55, 0x89, 0xE5, 0xE8, 0xF8, 0xFF, 0xFF, 0xFF, 0x74, 0x05, 0xEB, 0xFE, 0xFF, 0xE0,
                         0xA1, 0x04, 0x20, 0x10, 0x00, 0xC3]

    func symbols(_ a: UInt32) -> String? {
        if a == 0x1000 { return "kmain" }
        if a >= 0x10_2000 && a < 0x10_2100 { return a == 0x10_2000 ? "table" : "table+0x\(String(a - 0x10_2000, radix: 16))" }
        return nil
    }

    @Test func attSyntax() throws {
        let d = try Disassembler(syntax: .att)
        let listing = d.disassemble(code, address: 0x1000, maxCount: 100)
        #expect(listing.map(\.address) == [0x1000, 0x1001, 0x1003, 0x1008, 0x100A, 0x100C, 0x100E, 0x1013])
        #expect(listing[0].bytes == [0x55] && listing[0].operands == "%ebp")
        #expect(listing[1].operands == "%esp, %ebp")
        #expect(listing[2].mnemonic.hasPrefix("call") && listing[2].operands == "0x1000")
        #expect(listing[2].branchTarget == 0x1000 && listing[2].flow == .call)
        #expect(listing[3].mnemonic == "je" && listing[3].branchTarget == 0x100F && listing[3].isConditional)
        #expect(listing[4].branchTarget == 0x100A && listing[4].flow == .jump && !listing[4].isConditional)
        #expect(listing[5].flow == .jump && listing[5].branchTarget == nil && !listing[5].isConditional)
        #expect(listing[7].flow == .ret && listing[7].length == 1)
        #expect(listing.allSatisfy { $0.annotation == nil })
    }

    @Test func intelSyntax() throws {
        let d = try Disassembler(syntax: .intel)
        let listing = d.disassemble(code, address: 0x1000, maxCount: 100)
        #expect(listing[0].text == "push ebp")
        #expect(listing[1].text == "mov ebp, esp")
        #expect(listing[2].text == "call 0x1000")
        #expect(listing[6].text == "mov eax, dword ptr [0x102004]")
    }

    @Test func symbolAnnotations() throws {
        let d = try Disassembler(syntax: .intel)
        d.symbolizer = symbols
        let listing = d.disassemble(code, address: 0x1000, maxCount: 100)
        #expect(listing[2].text == "call 0x1000 <kmain>")
        #expect(listing[2].annotation == "<kmain>")
        #expect(listing[6].annotation == "<table+0x4>")
        #expect(listing[3].annotation == nil)
        // An immediate is annotated only when it names a symbol exactly; a jump-table base is annotated.
        let more: [UInt8] = [0xB8, 0x00, 0x10, 0x00, 0x00, 0xB8, 0x08, 0x20, 0x10, 0x00, 0xFF, 0x24, 0x85, 0x00, 0x20, 0x10, 0x00]
        let l2 = d.disassemble(more, address: 0x5000, maxCount: 10)
        #expect(l2[0].annotation == "<kmain>")
        #expect(l2[1].annotation == nil)
        #expect(l2[2].annotation == "<table>" && l2[2].flow == .jump && l2[2].branchTarget == nil)
    }

    @Test func symbolTableAsSymbolizer() throws {
        var table = SymbolTable()
        table.add(name: "kmain", address: 0x1000, size: 0x20)
        let d = try Disassembler()
        d.symbolizer = { table.describe($0) }
        let call: [UInt8] = [0xE8, 0x0B, 0x00, 0x00, 0x00] // at 0x1000: call 0x1010
        #expect(d.disassemble(call, address: 0x1000, maxCount: 1)[0].annotation == "<kmain+0x10>")
    }

    @Test func farJumpHasNoTarget() throws {
        let d = try Disassembler()
        let far = d.disassemble([0xEA, 0x00, 0x00, 0x10, 0x00, 0x08, 0x00], address: 0, maxCount: 1)
        #expect(far.count == 1 && far[0].length == 7 && far[0].branchTarget == nil && !far[0].isConditional)
    }

    @Test func badBytes() throws {
        let d = try Disassembler()
        // ff ff is not an instruction; a call cut off by the end of the buffer is two bad bytes.
        let listing = d.disassemble([0xFF, 0xFF, 0x90, 0xE8, 0x00], address: 0x2000, maxCount: 10)
        #expect(listing.first?.isInvalid == true && listing.first?.mnemonic == "(bad)" && listing.first?.length == 1)
        #expect(listing.first?.text == "(bad)")
        #expect(listing.suffix(2).allSatisfy { $0.isInvalid && $0.length == 1 })
        #expect(listing.suffix(2).map(\.address) == [0x2003, 0x2004])
        #expect(listing.reduce(0) { $0 + $1.length } == 5)
    }

    @Test func limitsAndEdges() throws {
        let d = try Disassembler()
        #expect(d.disassemble(code, address: 0, maxCount: 3).count == 3)
        #expect(d.disassemble(code, address: 0, maxCount: 0).isEmpty)
        #expect(d.disassemble([], address: 0, maxCount: 5).isEmpty)
        // Addresses wrap at 4 GiB like the CPU's EIP.
        let wrap = d.disassemble([0x90, 0x90, 0x90], address: 0xFFFF_FFFF, maxCount: 3)
        #expect(wrap.map(\.address) == [0xFFFF_FFFF, 0, 1])
        let jump = d.disassemble([0xEB, 0x10], address: 0xFFFF_FFF8, maxCount: 1)
        #expect(jump[0].branchTarget == 0x0000_000A)
    }

    @Test(.enabled(if: Toolchain.available)) func realKernelCode() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.kernel, name: "kernel.elf")
        let table = SymbolTable(files: [(elf, 0)])
        let kmain = try #require(elf.symbol(named: "kmain"))
        let text = try #require(elf.section(named: ".text"))
        let offset = Int(kmain.value - text.addr)
        let bytes = Array(elf.bytes(of: text)[offset..<offset + Int(kmain.size)])
        let d = try Disassembler()
        d.symbolizer = { table.describe($0) }
        let listing = d.disassemble(bytes, address: kmain.value, maxCount: .max)
        #expect(!listing.contains { $0.isInvalid })
        #expect(listing.reduce(0) { $0 + $1.length } == Int(kmain.size))
        // kmain calls helper and stores to big_bss[10].
        let call = try #require(listing.first { $0.flow == .call })
        #expect(call.branchTarget == table.address(of: "helper"))
        #expect(call.annotation == "<helper>")
        #expect(listing.contains { $0.annotation == "<big_bss+0xa>" })
        #expect(listing.last?.flow == .ret || listing.dropLast().last?.flow == .ret)
    }
}
