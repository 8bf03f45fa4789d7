// Finding the Multiboot header as QEMU does: 4-byte aligned, below 8192 - 48, valid checksum.

import Testing
@testable import ELF

struct MultibootHeaderTests {
    func find(_ bytes: [UInt8]) -> Result<MultibootHeader, MultibootError> {
        do { return .success(try Multiboot.findHeader(in: bytes, path: "k")) } catch { return .failure(error) }
    }

    @Test func foundAtStart() throws {
        let header = try find(bareHeader(at: 0, size: 64)).get()
        #expect(header.offset == 0 && header.flags == 3)
        #expect(!header.usesAddressFields && header.addressFields == nil)
        #expect(header.unsupportedRequiredFlags == 0)
    }

    @Test func lastOffsetQEMUScans() throws {
        #expect(try find(bareHeader(at: 8140, size: 8192)).get().offset == 8140)
        #expect(find(bareHeader(at: 8144, size: 8192)) == .failure(.noHeader(path: "k")))
        #expect(find(bareHeader(at: 8192, size: 9000)) == .failure(.noHeader(path: "k")))
    }

    @Test func mustBeAligned() {
        #expect(find(bareHeader(at: 2, size: 64)) == .failure(.noHeader(path: "k")))
    }

    @Test func badChecksum() throws {
        let result = find(bareHeader(at: 16, size: 64, checksumDelta: 1))
        #expect(result == .failure(.badChecksum(path: "k", offset: 16)))
        // A bad header followed by a good one: QEMU keeps scanning and takes the good one.
        var bytes = bareHeader(at: 16, size: 128, checksumDelta: 1)
        bytes.replaceSubrange(64..<76, with: bareHeader(at: 0, size: 12))
        #expect(try find(bytes).get().offset == 64)
    }

    @Test func headerMustLieInsideTheFile() {
        let bytes = Array(bareHeader(at: 0, size: 12).prefix(8))
        #expect(find(bytes) == .failure(.noHeader(path: "k")))
        #expect(find([]) == .failure(.noHeader(path: "k")))
    }

    @Test func addressFields() throws {
        let header = try find(flatKernel(size: 256, headerOffset: 32, headerAddr: 0x20_0020, loadAddr: 0x20_0000)).get()
        #expect(header.offset == 32 && header.usesAddressFields)
        #expect(header.addressFields?.headerAddr == 0x20_0020)
        #expect(header.addressFields?.loadAddr == 0x20_0000)
        #expect(header.addressFields?.entryAddr == 0x10_0020)
    }

    @Test func requiredFlags() throws {
        #expect(try find(bareHeader(at: 0, size: 64, flags: 0x7)).get().unsupportedRequiredFlags == 0x4)
        #expect(try find(bareHeader(at: 0, size: 64, flags: 0x1_0013)).get().unsupportedRequiredFlags == 0x10)
    }
}
