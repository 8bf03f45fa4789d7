// E1000Receive: the receive path — receiver enable checks, the destination
// address filter (RAL/RAH, MTA, promiscuous bits), buffer sizing from RCTL,
// the receive ring (descriptors from RDH up to RDT belong to the NIC), overrun
// accounting, statistics and RXT0/RXDMT0/RXO interrupts.
//
// Receive descriptor (RDESC, 16 bytes, little-endian):
//
//   0        8          10         12     13      14        16
//  +--------+----------+----------+------+-------+---------+
//  | buffer | length   | checksum |STATUS|ERRORS | special |
//  +--------+----------+----------+------+-------+---------+
//   STATUS: 7 PIF | 6 IPCS | 5 TCPCS | 3 VP | 2 IXSM | 1 EOP | 0 DD
//   ERRORS: 7 RXE | 6 IPE | 5 TCPE | 4 CXE | 2 SEQ | 1 SE | 0 CE
//
// A frame longer than one buffer spans several descriptors; only the last has
// EOP. The length written includes the 4-byte FCS unless RCTL.SECRC strips it;
// the model computes a real CRC-32 for those bytes (QEMU counts them in the
// length but leaves the buffer bytes unwritten). Status of the last
// descriptor is DD|EOP|IXSM (no checksum offload), as under QEMU.

extension E1000 {
    static let rxStatusDD: UInt8 = 0x01, rxStatusEOP: UInt8 = 0x02, rxStatusIXSM: UInt8 = 0x04
    static let rxErrorRXE: UInt8 = 0x80

    /// Largest frame accepted with RCTL.LPE clear (1500-byte payload + Ethernet + VLAN header, no FCS).
    static let maxStandardFrame = 14 + 4 + 1500
    /// Largest frame accepted at all (16 KiB less the FCS).
    static let maxLongFrame = 16 * 1024 - 4

    /// Receive buffer size per descriptor from RCTL.BSIZE/BSEX.
    var rxBufferSize: Int {
        let bsize = (s.regs.rctl >> 16) & 3
        if s.regs.rctl & E1000Reg.rctlBSEX != 0 {
            switch bsize {
            case 1: return 16384
            case 2: return 8192
            case 3: return 4096
            default: return 2048  // BSEX with BSIZE 00 is reserved; QEMU uses 2048
            }
        }
        switch bsize {
        case 1: return 1024
        case 2: return 512
        case 3: return 256
        default: return 2048
        }
    }

    /// Descriptors the NIC owns: from RDH up to (not including) RDT.
    private func rxDescriptorsAvailable(count: UInt32) -> UInt32 {
        let h = s.regs.rdh, t = s.regs.rdt
        return t >= h ? t - h : count - h + t
    }

    /// Receives one frame from the network (destination MAC first, no FCS) into
    /// the ring, now. Returns true if the frame reached guest memory; false if
    /// it was dropped (receiver off, filtered, too long, no descriptors, DMA
    /// refused) — each reason is counted. Frames shorter than 60 bytes are
    /// padded, as the 82540EM does.
    @discardableResult
    public func receive(_ frame: [UInt8]) -> Bool {
        tap?(frame, .toGuest)
        guard linkUp, s.regs.rctl & E1000Reg.rctlEN != 0, configSpace.busMasterEnabled else {
            s.counters.rxDroppedDisabled &+= 1
            return false
        }
        var data = frame
        if data.count < 60 { data += [UInt8](repeating: 0, count: 60 - data.count) }
        let rctl = s.regs.rctl
        if rctl & E1000Reg.rctlSBP == 0,
           data.count > Self.maxLongFrame || (data.count > Self.maxStandardFrame && rctl & E1000Reg.rctlLPE == 0) {
            s.regs.count(E1000Reg.statROC)
            s.counters.rxDroppedOversize &+= 1
            return false
        }
        guard passesAddressFilter(data) else {
            s.counters.rxDroppedFiltered &+= 1
            return false
        }
        let size = data.count
        if rctl & E1000Reg.rctlSECRC == 0 {
            data += E1000.le32Bytes(NetBytes.ethernetFCS(data))
        }
        return writeToRing(data, frameSize: size)
    }

    /// The 82540EM's destination filter: broadcast with BAM; multicast with
    /// MPE; unicast with UPE; an exact match in a valid RAL/RAH pair; else the
    /// 4096-bit multicast table hashed on 12 bits of the address chosen by RCTL.MO.
    func passesAddressFilter(_ frame: [UInt8]) -> Bool {
        let dst = Array(frame.prefix(6))
        let rctl = s.regs.rctl
        let mac = MACAddress(dst)
        if mac.isBroadcast {
            if rctl & E1000Reg.rctlBAM != 0 { return true }
        } else if mac.isMulticast {
            if rctl & E1000Reg.rctlMPE != 0 { return true }
        } else if rctl & E1000Reg.rctlUPE != 0 {
            return true
        }
        for i in stride(from: 0, to: E1000Reg.raCount, by: 2) where s.regs.ra[i + 1] & E1000Reg.rahAV != 0 {
            let low = s.regs.ra[i], high = s.regs.ra[i + 1]
            let address: [UInt8] = [UInt8(truncatingIfNeeded: low), UInt8(truncatingIfNeeded: low >> 8),
                                    UInt8(truncatingIfNeeded: low >> 16), UInt8(truncatingIfNeeded: low >> 24),
                                    UInt8(truncatingIfNeeded: high), UInt8(truncatingIfNeeded: high >> 8)]
            if address == dst { return true }
        }
        // MO 00: bits 47:36, 01: 46:35, 10: 45:34, 11: 43:32 of the address.
        let shift: [UInt32] = [4, 3, 2, 0]
        let word = UInt32(dst[5]) << 8 | UInt32(dst[4])
        let hash = (word >> shift[Int((rctl >> 12) & 3)]) & 0xFFF
        return s.regs.mta[Int(hash >> 5)] & (1 << (hash & 31)) != 0
    }

    /// Writes `data` (frame plus FCS unless stripped) into descriptors from RDH.
    private func writeToRing(_ data: [UInt8], frameSize: Int) -> Bool {
        let count = s.regs.rxRingCount
        guard count > 0, s.regs.rdh < count, s.regs.rdt < count else {
            noteRingError(count == 0 ? "receive ring has RDLEN 0"
                          : "RDH \(s.regs.rdh) or RDT \(s.regs.rdt) is outside the \(count)-descriptor receive ring")
            overrun()
            return false
        }
        let bufferSize = rxBufferSize
        var available = rxDescriptorsAvailable(count: count)
        let needed = (data.count + bufferSize - 1) / bufferSize
        guard available > 0, Int(available) >= needed else {
            overrun()
            return false
        }
        var offset = 0
        var damaged = false
        while offset < data.count {
            guard available > 0 else {
                // Only possible with null-buffer descriptors in the way.
                overrun()
                return false
            }
            let address = s.regs.rxRingBase &+ UInt64(s.regs.rdh) * 16
            guard var d = fetch(address, 16, "receive descriptor \(s.regs.rdh)") else {
                return false  // counted as a DMA error; the ring stays where it is
            }
            let buffer = E1000.le64(d, 0)
            var status = E1000.rxStatusDD
            var errors: UInt8 = 0
            if buffer != 0 {
                let chunk = Array(data[offset..<min(data.count, offset + bufferSize)])
                if !store(buffer, chunk, "receive buffer of descriptor \(s.regs.rdh)") {
                    damaged = true
                    errors |= E1000.rxErrorRXE
                }
                offset += chunk.count
                d[8] = UInt8(truncatingIfNeeded: chunk.count)
                d[9] = UInt8(truncatingIfNeeded: chunk.count >> 8)
                if offset >= data.count { status |= E1000.rxStatusEOP | E1000.rxStatusIXSM }
            }
            // A null buffer address: the descriptor is skipped (written back
            // with DD only, its length untouched), as the manual says.
            d[10] = 0; d[11] = 0
            d[12] = status
            d[13] = errors
            d[14] = 0; d[15] = 0
            store(address + 8, Array(d[8..<16]), "receive descriptor \(s.regs.rdh) write-back")
            s.regs.rdh = s.regs.rdh + 1 >= count ? 0 : s.regs.rdh + 1
            available -= 1
        }
        countReceived(data, frameSize: frameSize)
        var cause = E1000Reg.icrRXT0
        let threshold = s.regs.rdlen >> (((s.regs.rctl >> 8) & 3) + 1)
        if rxDescriptorsAvailable(count: count) * 16 <= threshold { cause |= E1000Reg.icrRXDMT0 }
        raise(cause)
        return !damaged
    }

    /// No room: the frame is lost (RNBC, MPC) and RXO is raised.
    private func overrun() {
        s.regs.count(E1000Reg.statRNBC)
        s.regs.count(E1000Reg.statMPC)
        s.counters.rxDroppedNoDescriptors &+= 1
        raise(E1000Reg.icrRXO)
    }

    private func countReceived(_ data: [UInt8], frameSize: Int) {
        s.regs.countSize(first: E1000Reg.statPRC64, data.count)
        s.regs.count(E1000Reg.statTPR)
        s.regs.count(E1000Reg.statGPRC)
        s.regs.count64(low: E1000Reg.statTORL, frameSize + 4)
        s.regs.count64(low: E1000Reg.statGORCL, frameSize + 4)
        let dst = MACAddress(Array(data.prefix(6)))
        if dst.isBroadcast {
            s.regs.count(E1000Reg.statBPRC)
        } else if dst.isMulticast {
            s.regs.count(E1000Reg.statMPRC)
        }
        s.counters.framesReceived &+= 1
    }
}
