// IDEBusMaster: PIIX bus-master IDE DMA (the BMIBA window at the IDE
// function's BAR4, 16 I/O ports) for the primary channel, and the DMA data
// commands it serves (READ/WRITE DMA [EXT]). As in the PIIX3 datasheet and
// QEMU's hw/ide/pci.c:
//
//   BMIBA+0  BMICOM  command   bit 0 start/stop, bit 3 direction (1 = device → memory)
//   BMIBA+2  BMISTA  status    bit 0 active (RO), bit 1 error (RWC), bit 2 interrupt (RWC),
//                              bits 5/6 drive 0/1 DMA capable (RW)
//   BMIBA+4  BMIDTP  PRD table address, dword aligned (bits 1:0 read 0)
//   BMIBA+8..15        the secondary channel's registers (no channel: read 0)
//
//   PRD entry (8 bytes, little-endian):
//     +0 physical buffer address (bit 0 ignored)   +4 bits 15:0 byte count (0 = 64 KiB),
//                                                      bit 31 EOT (last entry)
//
// The transfer runs synchronously once both the DMA command has been issued
// and BMICOM start is set (in either order). At its end BMISTA has active
// clear and interrupt set, the drive has DRDY|DSC, and INTRQ rises. A PRD
// table that ends before the data (or runs past 8192 entries), guest memory
// that is not RAM, bus mastering disabled in PCI command, or a failed host I/O
// end it instead with BMISTA error|interrupt and the drive's ERR/ABRT.

/// The bus-master registers of one channel.
public struct IDEBusMasterRegisters: Equatable, Sendable, Codable {
    public var command: UInt8 = 0
    public var status: UInt8 = 0
    public var prdTable: UInt32 = 0
    public init() {}
}

/// A DMA command waiting for (or running on) the bus master.
public struct IDEPendingDMA: Equatable, Sendable, Codable {
    public var lba: UInt64
    public var sectors: Int
    /// Memory → device (WRITE DMA).
    public var toDevice: Bool
    public var lba48: Bool
}

/// The BMIBA port window (16 ports at the IDE function's BAR4). See the file comment.
public final class IDEBusMaster: PortDevice {
    public let channel: IDEChannel
    /// Where BAR4 currently decodes (set by the machine when the BAR moves).
    public var base: UInt16 = 0

    public init(channel: IDEChannel) { self.channel = channel }

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.readBytes(port: port, size: size) { p in
            let off = p &- base
            return off < 8 ? channel.busMasterRead(Int(off)) : 0
        }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        PortAccess.writeBytes(port: port, size: size, value: value) { p, v in
            let off = p &- base
            if off < 8 { channel.busMasterWrite(Int(off), v) }
        }
    }
}

enum BM {
    static let start: UInt8 = 0x01, toMemory: UInt8 = 0x08
    static let active: UInt8 = 0x01, error: UInt8 = 0x02, interrupt: UInt8 = 0x04, capable: UInt8 = 0x60
    static let maxPRDs = 8192
}

extension IDEChannel {
    func busMasterRead(_ off: Int) -> UInt8 {
        let r = s.busMaster
        switch off {
        case 0: return r.command & (BM.start | BM.toMemory)
        case 2: return r.status
        case 4...7: return UInt8(truncatingIfNeeded: r.prdTable >> UInt32(8 * (off - 4)))
        default: return 0
        }
    }

    func busMasterWrite(_ off: Int, _ v: UInt8) {
        switch off {
        case 0:
            let wasStarted = s.busMaster.command & BM.start != 0
            s.busMaster.command = v & (BM.start | BM.toMemory)
            if v & BM.start == 0 {
                s.busMaster.status &= ~BM.active
            } else if !wasStarted {
                s.busMaster.status |= BM.active
                runDMA()
            }
        case 2:
            var st = s.busMaster.status
            st &= ~(v & (BM.error | BM.interrupt))
            st = (st & ~BM.capable) | (v & BM.capable)
            s.busMaster.status = st
        case 4...7:
            let shift = UInt32(8 * (off - 4))
            var t = s.busMaster.prdTable & ~(0xFF << shift)
            t |= UInt32(v) << shift
            s.busMaster.prdTable = t & ~3
        default: break
        }
    }

    /// READ/WRITE DMA [EXT]: check the address, then wait for the bus master.
    func startDMA(toDevice: Bool, lba48: Bool) {
        guard let (lba, n) = address(lba48: lba48), inRange(lba, n) else { abort(); return }
        s.pendingDMA = IDEPendingDMA(lba: lba, sectors: n, toDevice: toDevice, lba48: lba48)
        s.status = ATA.Status.drdy | ATA.Status.dsc | ATA.Status.drq
        runDMA()
    }

    /// Moves the pending DMA command's data if the bus master is started.
    func runDMA() {
        guard let d = s.pendingDMA, s.busMaster.command & BM.start != 0, let disk else { return }
        s.pendingDMA = nil
        let bytes = d.sectors * blockSectorSize
        guard dmaAllowed?() ?? false, let prds = prdList(covering: bytes) else { dmaFailed(); return }
        if d.toDevice {
            var data: [UInt8] = []
            data.reserveCapacity(bytes)
            for (addr, len) in prds {
                guard let chunk = dmaRead?(UInt64(addr), len), chunk.count == len else { dmaFailed(); return }
                data += chunk
            }
            do { try disk.write(sector: d.lba, bytes: data) } catch { s.counters.ioErrors &+= 1; dmaFailed(); return }
            s.counters.sectorsWritten &+= UInt64(d.sectors)
        } else {
            let data: [UInt8]
            do { data = try disk.read(sector: d.lba, count: d.sectors) } catch { s.counters.ioErrors &+= 1; dmaFailed(); return }
            var pos = 0
            for (addr, len) in prds {
                guard dmaWrite?(UInt64(addr), Array(data[pos..<pos + len])) ?? false else { dmaFailed(); return }
                pos += len
            }
            s.counters.sectorsRead &+= UInt64(d.sectors)
        }
        s.counters.dmaTransfers &+= 1
        setSector(d.lba &+ UInt64(d.sectors), lba48: d.lba48)
        setCount(0, lba48: d.lba48)
        s.busMaster.status = (s.busMaster.status & ~BM.active) | BM.interrupt
        s.status = ATA.Status.drdy | ATA.Status.dsc
        setIRQ(true)
    }

    /// The PRD table's (address, length) pieces for the first `bytes` bytes,
    /// or nil if the table ends first, is unreadable, or is absurdly long.
    func prdList(covering bytes: Int) -> [(UInt32, Int)]? {
        var out: [(UInt32, Int)] = []
        var left = bytes
        var entry = UInt64(s.busMaster.prdTable)
        for _ in 0..<BM.maxPRDs {
            guard left > 0 else { return out }
            guard let e = dmaRead?(entry, 8), e.count == 8 else { return nil }
            let addr = (UInt32(e[0]) | UInt32(e[1]) << 8 | UInt32(e[2]) << 16 | UInt32(e[3]) << 24) & ~1
            var len = Int(UInt16(e[4]) | UInt16(e[5]) << 8) & 0xFFFE
            if len == 0 { len = 0x1_0000 }
            let take = min(len, left)
            out.append((addr, take))
            left -= take
            if e[7] & 0x80 != 0 { return left == 0 ? out : nil }
            entry += 8
        }
        return left == 0 ? out : nil
    }

    func dmaFailed() {
        s.counters.dmaErrors &+= 1
        s.busMaster.status = (s.busMaster.status & ~BM.active) | BM.error | BM.interrupt
        abort()
    }
}
