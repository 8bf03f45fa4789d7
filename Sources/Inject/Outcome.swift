// What a trial did to the system, in the paper's classes: a system crash (oops
// and panic, triple fault, or a hang: the budget ran out or the CPU halted with
// nothing to wake it), an extension failure that Nooks detected and recovered
// from (the kernel printed `nooks: recovered` and the workload ran to its end),
// a non-fatal failure (the workload failed or did not finish, no crash), or no
// effect (the workload passed and no fault was seen).

import Machine

/// A trial's outcome in one mode.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case crash, recovered, failure, noEffect = "no-effect"

    /// Classifies a run from how it ended and the serial output since the snapshot.
    public static func classify(exit: MachineExit, serial: String) -> (Outcome, String) {
        switch exit {
        case .tripleFault: return (.crash, "triple fault")
        case .hang(let why): return (.crash, "hang: " + why)
        case .instructionLimit: return (.crash, "hang: instruction budget exhausted")
        case .debugExit(let v, _) where v == 0x7F: return (.crash, serial.contains("Oops") || serial.contains("oops") ? "oops, panic" : "panic")
        case .breakpoint, .watchpoint, .stopped: return (.crash, "stopped")
        case .debugExit, .powerOff: break
        }
        if serial.contains("Kernel panic") { return (.crash, "panic") }
        let completed = serial.contains("workload: PASS") || serial.contains("workload: FAIL")
        if serial.contains("nooks: recovered") && completed {
            return (.recovered, serial.contains("workload: PASS") ? "recovered, workload PASS" : "recovered, workload completed (FAIL)")
        }
        if serial.contains("workload: PASS") && !serial.contains("nooks: fault") { return (.noEffect, "workload PASS") }
        if serial.contains("nooks: disabled") {
            // A fault while the module is unloaded at shutdown: the guest refuses the reload there.
            if let pass = serial.range(of: "workload: PASS"), let fault = serial.range(of: "nooks: fault"),
               pass.lowerBound < fault.lowerBound {
                return (.failure, "extension disabled after the workload passed (fault during unload)")
            }
            return (.failure, "extension disabled")
        }
        return (.failure, completed ? "workload FAIL" : "workload did not finish")
    }
}
