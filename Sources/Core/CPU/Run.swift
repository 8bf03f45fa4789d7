// The run loop: fetch a decoded block, execute its instructions, and at every
// instruction boundary compare the cycle counter with one deadline. Everything
// that needs attention — a timer event, an interrupt becoming deliverable, the
// STI shadow ending, a stop request, a budget — is folded into that deadline,
// so the hot loop has exactly one check per instruction.

extension CPU {
    /// Run until `cycle` (absolute modeled cycles), `maxInstructions` more
    /// instructions, a halt, a stop request, a breakpoint or a triple fault.
    public func run(untilCycle cycleLimit: UInt64 = .max, maxInstructions: UInt64 = .max) -> StopReason {
        let startInstructions = instructions
        let instrLimit = maxInstructions == .max ? UInt64.max : startInstructions &+ maxInstructions
        runDeadline = cycleLimit
        deadline = 0
        while true {
            if cycles >= deadline {
                if let r = attention(instrLimit: instrLimit) { return r }
            }
            var instrStart = eip
            do {
                let (first, n) = try block(at: segBase[1] &+ eip)
                if hasBreakpoints {
                    let la = segBase[1] &+ eip
                    if breakpoints.contains(la) {
                        if skipBreakpointAt == la { skipBreakpointAt = nil } else { return .breakpoint(la) }
                    }
                }
                if observingBlocks { blockEntered(segBase[1] &+ eip) }
                var p = first
                let end = first + n
                execPage = n > 0 ? Int(try fetchPhysical(segBase[1] &+ eip) >> 12) : -1
                repeat {
                    instrStart = eip
                    eip &+= UInt32(p.pointee.len)
                    try execute(p)
                    cycles &+= 1
                    p += 1
                } while p < end && cycles < deadline
            } catch {
                eip = instrStart
                if exceptionsToHost {
                    return .exception(vector: error.vector, errorCode: error.errorCode)
                }
                if let report = raiseException(error, faultEIP: instrStart) {
                    halted = true
                    return .tripleFault(report)
                }
            }
        }
    }

    /// Lower the cycle at which the current `run` returns (a device scheduled an
    /// earlier event while the CPU was running, e.g. the PIT was reprogrammed).
    public func limitRun(toCycle c: UInt64) {
        if c < runDeadline {
            runDeadline = c
            if c < deadline { deadline = c }
        }
    }

    /// Execute exactly one instruction (or deliver one pending interrupt).
    public func step() -> StopReason {
        if hasBreakpoints { skipBreakpointAt = segBase[1] &+ eip }
        return run(maxInstructions: 1)
    }

    /// Handle everything folded into the deadline; returns a reason to stop, or
    /// nil after setting the next deadline.
    func attention(instrLimit: UInt64) -> StopReason? {
        let cycleLimit = runDeadline
        if stopRequested {
            stopRequested = false
            deadline = 0
            return .stopRequested
        }
        if let hit = watchHit {
            watchHit = nil
            deadline = 0
            return .watchpoint(hit)
        }
        if instructions >= instrLimit { deadline = 0; return .instructionLimit }
        if cycles >= cycleLimit { deadline = 0; return .deadline }
        if interruptShadow {
            // One more instruction before interrupts are looked at.
            interruptShadow = false
            deadline = cycles &+ 1
            if !halted { return nil }
        }
        if intrLine && interruptsEnabled, let pic {
            let vector = pic.acknowledgeInterrupt()
            let returnEIP = eip
            do {
                try deliver(vector, errorCode: nil, returnEIP: returnEIP, software: false, external: true)
            } catch {
                if exceptionsToHost { return .exception(vector: error.vector, errorCode: error.errorCode) }
                if let report = raiseException(error, faultEIP: returnEIP) {
                    halted = true
                    return .tripleFault(report)
                }
            }
        }
        if halted {
            deadline = 0
            return interruptsEnabled ? .halted : .haltedForever
        }
        // Next deadline: the caller's cycle limit or the instruction budget, whichever first.
        let left = instrLimit &- instructions
        let byBudget = cycles &+ left < cycles ? UInt64.max : cycles &+ left
        deadline = min(cycleLimit, byBudget)
        if stopRequested || (intrLine && interruptsEnabled) { deadline = 0 }
        return nil
    }
}
