// Tests for the raw-image file backend: capacity rounding for a file that is
// not a multiple of 512 bytes, zeros (counted) past the end of a file truncated
// while open, pwrite only at completion, fsync on flush, read-only refusal,
// missing and empty files.

import Testing
import Foundation
@testable import Devices

@Suite struct IDEFileBackendTests {
    func tempFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "ide-\(UUID().uuidString).img"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func partialLastSectorReadsAsZeros() throws {
        let path = try tempFile([UInt8](repeating: 0xEE, count: 1000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let b = try FileBlockBackend(path: path)
        var reported: [(UInt64, Int)] = []
        b.onZeroFill = { reported.append(($0, $1)) }
        #expect(b.sectorCount == 2 && b.hasPartialLastSector)
        _ = try b.read(sector: 0, count: 1)
        #expect(reported.isEmpty)
        let s1 = try b.read(sector: 1, count: 1)
        #expect(reported.count == 1 && reported[0] == (1, 24))
        #expect(s1[487] == 0xEE && s1[488] == 0 && s1[511] == 0)
        #expect(b.stats.zeroFilledBytes == 24)
    }

    @Test func truncatedWhileOpenAndWildSectors() throws {
        let path = try tempFile([UInt8](repeating: 1, count: 4096))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let b = try FileBlockBackend(path: path)
        #expect(truncate(path, 512) == 0)
        let r = try b.read(sector: 0, count: 8)
        #expect(r.count == 4096 && r[511] == 1 && r[512] == 0)
        #expect(b.stats.zeroFilledBytes == 3584)
        #expect(throws: BlockError.outOfRange(8, 1)) { try b.read(sector: 8, count: 1) }
        #expect(throws: BlockError.outOfRange(.max, 2)) { try b.read(sector: .max, count: 2) }
        // An IDE read of the truncated region completes with zeros, no error.
        let ch = IDEChannel(irq: { _ in })
        ch.attach(b)
        ch.outb(0x1F6, 0xE0); ch.outb(0x1F2, 1); ch.outb(0x1F3, 5); ch.outb(0x1F4, 0); ch.outb(0x1F5, 0)
        ch.outb(0x1F7, 0x20)
        #expect(ch.inb(0x1F7) == 0x58)
    }

    @Test func writeAndFlush() throws {
        let path = try tempFile([UInt8](repeating: 0, count: 2048))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let b = try FileBlockBackend(path: path)
        try b.write(sector: 2, bytes: [UInt8](repeating: 0x77, count: 512))
        try b.flush()
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(data[1024] == 0x77 && data[1535] == 0x77 && data[1536] == 0)
        #expect(b.stats.flushes == 1 && b.stats.sectorsWritten == 1)
    }

    @Test func readOnlyMissingEmpty() throws {
        let path = try tempFile([UInt8](repeating: 3, count: 512))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ro = try FileBlockBackend(path: path, readOnly: true)
        #expect(throws: BlockError.readOnly) { try ro.write(sector: 0, bytes: [UInt8](repeating: 0, count: 512)) }
        #expect(throws: FileBlockBackend.OpenError.missing("/nonexistent/disk.img")) {
            try FileBlockBackend(path: "/nonexistent/disk.img")
        }
        let empty = try tempFile([])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: FileBlockBackend.OpenError.empty(empty)) { try FileBlockBackend(path: empty) }
        #expect(throws: FileBlockBackend.OpenError.notARegularFile("/tmp")) { try FileBlockBackend(path: "/tmp") }
    }
}
