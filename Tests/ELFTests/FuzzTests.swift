// Robustness: random bytes, every truncation of real files, patched header and table
// fields and random bit flips. The only acceptable outcomes are a parsed file or an
// error value; a trap would crash the test process.

import Testing
@testable import ELF
@testable import Disasm

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Parses `bytes` as ELF and, if it has a Multiboot header, plans a boot; exercises every accessor.
func exercise(_ bytes: [UInt8]) {
    if let elf = try? ELFFile(bytes: bytes, name: "fuzz") {
        for section in elf.sections {
            _ = elf.bytes(of: section)
            _ = elf.relocations(for: section)
        }
        for segment in elf.programHeaders { _ = elf.bytes(of: segment) }
        var table = SymbolTable()
        table.add(elf, bias: 0x1000)
        _ = table.lookup(0x10_1000)
    }
    _ = try? MultibootLoader.plan(kernel: bytes, kernelName: "fuzz", cmdline: "x",
                                  modules: [(bytes: [1, 2, 3], cmdline: "m a,b")], memoryBytes: 64 << 20)
}

struct FuzzTests {
    @Test func randomBytes() {
        var rng = SplitMix64(state: 1)
        for length in [0, 1, 3, 4, 5, 16, 51, 52, 53, 100, 4096] {
            for _ in 0..<50 {
                exercise((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
        }
    }

    @Test func randomBytesBehindValidIdent() {
        // An ELF32 LSB i386 identification followed by garbage reaches the table checks.
        var rng = SplitMix64(state: 2)
        for _ in 0..<2000 {
            var bytes = (0..<Int.random(in: 52...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.replaceSubrange(0..<7, with: [0x7F, 0x45, 0x4C, 0x46, 1, 1, 1])
            bytes[16] = UInt8.random(in: 1...2, using: &rng); bytes[17] = 0
            bytes[18] = 3; bytes[19] = 0
            // Small table counts so some tables land inside the file.
            bytes[44] = UInt8.random(in: 0...4, using: &rng); bytes[45] = 0
            bytes[48] = UInt8.random(in: 0...6, using: &rng); bytes[49] = 0
            bytes[42] = 32; bytes[43] = 0; bytes[46] = 40; bytes[47] = 0
            bytes[28] = 52; bytes[29] = 0; bytes[30] = 0; bytes[31] = 0
            bytes[32] = UInt8.random(in: 52...200, using: &rng); bytes[33] = 0; bytes[34] = 0; bytes[35] = 0
            bytes[50] = UInt8.random(in: 0...6, using: &rng); bytes[51] = 0
            exercise(bytes)
        }
    }

    @Test(.enabled(if: Toolchain.available)) func everyTruncation() throws {
        let f = try Fixtures.get()
        for file in [f.kernel, f.module, f.higherHalfKernel] {
            for length in 0..<file.count {
                let cut = Array(file.prefix(length))
                if length < 52 {
                    #expect(throws: ELFError.self) { _ = try ELFFile(bytes: cut, name: "cut") }
                }
                exercise(cut)
            }
        }
    }

    @Test(.enabled(if: Toolchain.available)) func patchedHeaderFields() throws {
        let f = try Fixtures.get()
        let values: [UInt32] = [0, 1, 2, 0x7F, 0xFF, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFF0]
        for file in [f.kernel, f.module] {
            // Every 16- and 32-bit field of the ELF header.
            for (offset, width) in [(16, 2), (18, 2), (20, 4), (24, 4), (28, 4), (32, 4), (36, 4), (40, 2),
                                    (42, 2), (44, 2), (46, 2), (48, 2), (50, 2)] {
                for value in values {
                    exercise(patch(file, at: offset, width: width, value: value))
                }
            }
            // Every field of every section header and program header.
            let shoff = Int(file.le32(at: 32)!), shnum = Int(file.le16(at: 48)!)
            let phoff = Int(file.le32(at: 28)!), phnum = Int(file.le16(at: 44)!)
            for i in 0..<shnum {
                for field in 0..<10 {
                    for value in values {
                        exercise(patch(file, at: shoff + i * 40 + field * 4, width: 4, value: value))
                    }
                }
            }
            for i in 0..<phnum {
                for field in 0..<8 {
                    for value in values {
                        exercise(patch(file, at: phoff + i * 32 + field * 4, width: 4, value: value))
                    }
                }
            }
        }
    }

    @Test(.enabled(if: Toolchain.available)) func patchedSymbolsAndRelocations() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.module, name: "m")
        var rng = SplitMix64(state: 3)
        for table in elf.sections where table.type == Section.typeSymtab || table.type == Section.typeRel {
            for offset in stride(from: Int(table.offset), to: Int(table.offset + table.size), by: 4) {
                for _ in 0..<3 {
                    exercise(patch(f.module, at: offset, width: 4, value: UInt32.random(in: 0...UInt32.max, using: &rng)))
                }
                exercise(patch(f.module, at: offset, width: 4, value: 0xFFFF_FFFF))
            }
        }
    }

    @Test(.enabled(if: Toolchain.available)) func randomBitFlips() throws {
        let f = try Fixtures.get()
        var rng = SplitMix64(state: 4)
        for file in [f.kernel, f.module] {
            for _ in 0..<3000 {
                var bytes = file
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                }
                exercise(bytes)
            }
        }
    }

    @Test func disassemblerOnRandomBytes() throws {
        let d = try Disassembler(syntax: .att)
        d.symbolizer = { $0 % 3 == 0 ? "sym+0x\(String($0 % 64, radix: 16))" : nil }
        var rng = SplitMix64(state: 5)
        var total = 0
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0...512, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let address = UInt32.random(in: 0...UInt32.max, using: &rng)
            let listing = d.disassemble(bytes, address: address, maxCount: .max)
            // The instructions tile the input exactly.
            #expect(listing.reduce(0) { $0 + $1.length } == bytes.count)
            total += listing.count
        }
        #expect(total > 0)
    }
}

/// `file` with a little-endian field of `width` bytes at `offset` set to `value` (unchanged if out of range).
func patch(_ file: [UInt8], at offset: Int, width: Int, value: UInt32) -> [UInt8] {
    var bytes = file
    guard offset >= 0, offset + width <= bytes.count else { return bytes }
    for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    return bytes
}
