// E1000Transmit: the transmit ring. A write to TDT (or TCTL) processes the
// descriptors from TDH up to TDT at once: gathers each frame's buffers by DMA,
// inserts offloaded checksums, hands the frame to the backend, writes DD back
// into descriptors with RS set, and raises TXDW/TXQE.
//
// Legacy transmit descriptor (TDESC, 16 bytes, little-endian):
//
//   0        8          10     11     12     13     14        16
//  +--------+----------+------+------+------+------+---------+
//  | buffer | length   | CSO  | CMD  |STATUS| CSS  | special |
//  +--------+----------+------+------+------+------+---------+
//   CMD: 7 IDE | 6 VLE | 5 DEXT (0 = legacy) | 4 RPS | 3 RS | 2 IC | 1 IFCS | 0 EOP
//   STATUS: 3 TU | 2 LC | 1 EC | 0 DD
//
// Context descriptor (DEXT = 1, DTYP = 0000):
//
//   0      1      2       4      5      6       8                 12     13      14
//  +------+------+-------+------+------+-------+-----------------+------+-------+-----+
//  |IPCSS |IPCSO | IPCSE |TUCSS |TUCSO | TUCSE | PAYLEN:20 DTYP:4|STATUS|HDRLEN | MSS |
//  |      |      |       |      |      |       | TUCMD:8 (31..24)|      |       |     |
//  +------+------+-------+------+------+-------+-----------------+------+-------+-----+
//   TUCMD: 5 DEXT | 3 RS | 2 TSE | 1 IP | 0 TCP
//
// Data descriptor (DEXT = 1, DTYP = 0001): like legacy, with DTALEN in bits
// 19..0 of dword 2, DCMD in 31..24 (5 DEXT | 3 RS | 2 TSE | 0 EOP), and POPTS in
// bits 15..8 of dword 3 (1 TXSM: insert TCP/UDP checksum, 0 IXSM: insert IP
// checksum), applied with the offsets of the last context descriptor.
//
// Not modelled: TCP segmentation (TSE) — such frames are dropped and counted;
// VLAN insertion (VLE) — ignored; the legacy IC/CSO/CSS checksum (QEMU ignores
// it too); collisions and TIPG timing (transmission is instantaneous).

/// Transmit state that spans descriptors (a frame being gathered, the last
/// context descriptor's checksum offsets).
public struct E1000TXState: Equatable, Sendable, Codable {
    /// Largest frame the model gathers (QEMU's 64 KiB buffer); more is cut.
    public static let maxFrame = 0x1_0000

    /// Bytes gathered for the frame being built (descriptors before EOP).
    public var frame: [UInt8] = []
    /// POPTS of the frame's first data descriptor (bit 0 IXSM, bit 1 TXSM).
    public var checksumOptions: UInt8 = 0
    /// The frame asked for TCP segmentation, which the model does not do.
    public var segmentationRequested = false
    /// A buffer of the frame could not be read: the frame will be dropped.
    public var damaged = false
    /// Checksum offsets from the last non-TSE context descriptor.
    public var ipcss: UInt8 = 0, ipcso: UInt8 = 0, ipcse: UInt16 = 0
    public var tucss: UInt8 = 0, tucso: UInt8 = 0, tucse: UInt16 = 0

    public init() {}
}

extension E1000 {
    static let txCmdEOP: UInt32 = 1 << 24, txCmdRS: UInt32 = 1 << 27, txCmdRPS: UInt32 = 1 << 28
    static let txCmdDEXT: UInt32 = 1 << 29, txCmdTSE: UInt32 = 1 << 26, txDTYPData: UInt32 = 1 << 20
    static let txStatusDD: UInt32 = 0x1, txStatusErrors: UInt32 = 0xE  // EC | LC | TU

    /// Processes the ring from TDH to TDT (TCTL.EN permitting). At most one lap
    /// of the ring per call, whatever TDH/TDT/TDLEN hold.
    func startTransmit() {
        guard s.regs.tctl & E1000Reg.tctlEN != 0 else { return }
        let count = s.regs.txRingCount
        guard s.regs.tdh != s.regs.tdt else {
            raise(E1000Reg.icrTXQE)
            return
        }
        guard count > 0 else {
            noteRingError("transmit ring has TDLEN 0 but TDT != TDH")
            return
        }
        guard s.regs.tdh < count else {
            noteRingError("TDH \(s.regs.tdh) is outside the \(count)-descriptor transmit ring")
            return
        }
        if s.regs.tdt >= count {
            noteRingError("TDT \(s.regs.tdt) is outside the \(count)-descriptor transmit ring")
        }
        var cause = E1000Reg.icrTXQE
        var processed: UInt32 = 0
        while s.regs.tdh != s.regs.tdt, processed < count {
            let address = s.regs.txRingBase &+ UInt64(s.regs.tdh) * 16
            guard let d = fetch(address, 16, "transmit descriptor \(s.regs.tdh)") else { break }
            let lower = Self.le32(d, 8), upper = Self.le32(d, 12)
            process(descriptor: d, lower: lower, upper: upper)
            if lower & (Self.txCmdRS | Self.txCmdRPS) != 0 {
                let status = (upper | Self.txStatusDD) & ~Self.txStatusErrors
                store(address + 12, Self.le32Bytes(status), "transmit descriptor \(s.regs.tdh) write-back")
                cause |= E1000Reg.icrTXDW
            }
            s.regs.tdh = s.regs.tdh + 1 >= count ? 0 : s.regs.tdh + 1
            processed += 1
        }
        raise(cause)
    }

    /// One descriptor: context, data or legacy.
    private func process(descriptor d: [UInt8], lower: UInt32, upper: UInt32) {
        let dtype = lower & (Self.txCmdDEXT | Self.txDTYPData)
        if dtype == Self.txCmdDEXT {
            // Context descriptor: checksum offsets for the following data descriptors.
            if lower & Self.txCmdTSE == 0 {
                s.tx.ipcss = d[0]; s.tx.ipcso = d[1]; s.tx.ipcse = Self.le16(d, 2)
                s.tx.tucss = d[4]; s.tx.tucso = d[5]; s.tx.tucse = Self.le16(d, 6)
            }
            return
        }
        let length: Int
        if dtype == Self.txCmdDEXT | Self.txDTYPData {
            if s.tx.frame.isEmpty { s.tx.checksumOptions = UInt8(truncatingIfNeeded: upper >> 8) }
            if lower & Self.txCmdTSE != 0 { s.tx.segmentationRequested = true }
            length = Int(lower & 0xF_FFFF)
        } else if lower & Self.txCmdDEXT == 0 {
            length = Int(lower & 0xFFFF)  // legacy
        } else {
            s.counters.txUnsupportedDescriptors &+= 1  // DEXT with a reserved DTYP
            return
        }
        let take = min(length, E1000TXState.maxFrame - s.tx.frame.count)
        if take > 0, !s.tx.damaged {
            if let bytes = fetch(Self.le64(d, 0), take, "transmit buffer") {
                s.tx.frame += bytes
            } else {
                s.tx.damaged = true
            }
        }
        guard lower & Self.txCmdEOP != 0 else { return }
        var frame = s.tx.frame
        let tx = s.tx
        s.tx.frame = []
        s.tx.checksumOptions = 0
        s.tx.segmentationRequested = false
        s.tx.damaged = false
        if tx.damaged || tx.segmentationRequested || frame.isEmpty {
            s.counters.txDropped &+= 1
            if tx.segmentationRequested { s.counters.txUnsupportedDescriptors &+= 1 }
            return
        }
        if tx.checksumOptions & 0x2 != 0 {
            Self.insertChecksum(&frame, at: Int(tx.tucso), from: Int(tx.tucss), through: Int(tx.tucse))
        }
        if tx.checksumOptions & 0x1 != 0 {
            Self.insertChecksum(&frame, at: Int(tx.ipcso), from: Int(tx.ipcss), through: Int(tx.ipcse))
        }
        transmit(frame)
    }

    /// Stores the Internet checksum of `frame[start...end]` (to the frame's end
    /// when `end` is 0) at `offset`, big-endian, 0 sent as 0xFFFF — the
    /// descriptor-offload rule (the driver seeds TCP/UDP pseudo-header sums).
    static func insertChecksum(_ frame: inout [UInt8], at offset: Int, from start: Int, through end: Int) {
        var n = frame.count
        if end != 0, end < n { n = end + 1 }
        guard offset + 1 < n, start < n else { return }
        let sum = NetBytes.internetChecksum(frame, start..<n)
        NetBytes.put16(&frame, offset, sum == 0 ? 0xFFFF : sum)
    }

    /// Puts a finished frame on the wire: short frames padded to 60 bytes when
    /// TCTL.PSP is set, statistics counted, the tap told, then the backend (or
    /// the receiver, in PHY loopback).
    func transmit(_ frame: [UInt8]) {
        var frame = frame
        if s.regs.tctl & E1000Reg.tctlPSP != 0, frame.count < 60 {
            frame += [UInt8](repeating: 0, count: 60 - frame.count)
        }
        let wireSize = frame.count + 4
        s.regs.count(E1000Reg.statTPT)
        s.regs.count(E1000Reg.statGPTC)
        s.regs.count64(low: E1000Reg.statTOTL, wireSize)
        s.regs.count64(low: E1000Reg.statGOTCL, wireSize)
        s.regs.countSize(first: E1000Reg.statPTC64, wireSize)
        let destination = MACAddress(Array(frame.prefix(6)))
        if destination.isBroadcast {
            s.regs.count(E1000Reg.statBPTC)
        } else if destination.isMulticast {
            s.regs.count(E1000Reg.statMPTC)
        }
        s.counters.framesSent &+= 1
        tap?(frame, .fromGuest)
        if s.phy.loopback {
            receive(frame)
        } else {
            backend?.send(frame)
        }
    }

    // MARK: Little-endian helpers

    static func le16(_ b: [UInt8], _ o: Int) -> UInt16 {
        UInt16(b[o]) | UInt16(b[o + 1]) << 8
    }

    static func le32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    static func le64(_ b: [UInt8], _ o: Int) -> UInt64 {
        UInt64(le32(b, o)) | UInt64(le32(b, o + 4)) << 32
    }

    static func le32Bytes(_ v: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8),
         UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
    }
}
