// String instructions (MOVS, STOS, LODS, CMPS, SCAS, INS, OUTS) with REP/REPNE,
// and port I/O. A REP instruction runs in slices: at most up to the current
// cycle deadline, then it re-executes itself, so interrupts, timers and
// instruction budgets still land inside long copies. Every iteration counts as
// one instruction (as QEMU's icount does).

extension CPU {
    func stringOp(_ d: UnsafeMutablePointer<DecodedInstr>) throws(Fault) {
        let w = d.pointee.w
        let size = UInt32(1) << UInt32(w)
        let step = directionDown ? 0 &- size : size
        let rep = d.pointee.pfx & (Prefix.rep | Prefix.repne) != 0
        let op = d.pointee.op
        let srcBase = segBase[Int(d.pointee.seg)]
        let dstBase = segBase[0]
        if (op == .ins || op == .outs) && cpl > iopl { throw Fault.gp() }

        if !rep {
            try stringStep(op, w, step, srcBase, dstBase)
            return
        }
        // REP: ECX iterations, in slices.
        var budget: UInt64 = deadline > cycles ? min(deadline - cycles, 1 << 16) : 1
        var first = true
        while regs[1] != 0 {
            if budget == 0 {
                // Resume this instruction later: EIP back to its start, and leave the block.
                eip &-= UInt32(d.pointee.len)
                deadline = 0
                return
            }
            try stringStep(op, w, step, srcBase, dstBase)
            regs[1] &-= 1
            if !first { cycles &+= 1 }
            first = false
            budget -= 1
            if op == .cmps || op == .scas {
                let z = zf
                if d.pointee.pfx & Prefix.rep != 0 && !z { break }
                if d.pointee.pfx & Prefix.repne != 0 && z { break }
            }
        }
    }

    @inline(__always)
    func stringStep(_ op: Op, _ w: UInt8, _ step: UInt32, _ srcBase: UInt32, _ dstBase: UInt32) throws(Fault) {
        switch op {
        case .movs:
            let v = try readW(srcBase &+ regs[6], w)
            try writeW(dstBase &+ regs[7], w, v)
            regs[6] &+= step; regs[7] &+= step
        case .stos:
            try writeW(dstBase &+ regs[7], w, rW(0, w))
            regs[7] &+= step
        case .lods:
            setRW(0, w, try readW(srcBase &+ regs[6], w))
            regs[6] &+= step
        case .cmps:
            let a = try readW(srcBase &+ regs[6], w)
            let b = try readW(dstBase &+ regs[7], w)
            _ = alu(7, a, b, w)
            regs[6] &+= step; regs[7] &+= step
        case .scas:
            let b = try readW(dstBase &+ regs[7], w)
            _ = alu(7, rW(0, w), b, w)
            regs[7] &+= step
        case .ins:
            let la = dstBase &+ regs[7]
            try probeWrite(la, 1 << Int(w))
            let v = ioRead(UInt16(truncatingIfNeeded: regs[2]), w)
            try writeW(la, w, v)
            regs[7] &+= step
        default: // outs
            let v = try readW(srcBase &+ regs[6], w)
            ioWrite(UInt16(truncatingIfNeeded: regs[2]), w, v)
            regs[6] &+= step
        }
    }

    // MARK: Port I/O

    func portIn(_ port: UInt16, _ w: UInt8) throws(Fault) {
        guard cpl <= iopl else { throw Fault.gp() }
        setRW(0, w, ioRead(port, w))
    }

    func portOut(_ port: UInt16, _ w: UInt8) throws(Fault) {
        guard cpl <= iopl else { throw Fault.gp() }
        ioWrite(port, w, rW(0, w))
    }

    func ioRead(_ port: UInt16, _ w: UInt8) -> UInt32 {
        stats.portIOs &+= 1
        charge(costs.portIO)
        let size = 1 << Int(w)
        guard let io else { return maskFor(w) }
        return io.portRead(port, size: size) & maskFor(w)
    }

    func ioWrite(_ port: UInt16, _ w: UInt8, _ v: UInt32) {
        stats.portIOs &+= 1
        charge(costs.portIO)
        io?.portWrite(port, size: 1 << Int(w), value: v & maskFor(w))
    }
}
