// The injector's fault types, after the Nooks SWIFI injector (SOSP 2003 §5; the
// table in nooks-facts.md). Code faults change the extension's text once, at the
// snapshot point; runtime faults act while the workload runs.

/// One kind of injected fault.
public enum FaultType: String, CaseIterable, Sendable, Codable, Comparable {
    case text, stack, heap, `init`, nop, destination, source, branch, pointer, invert, interface, irq
    case free, bcopy, alloc, leak

    /// True for the faults applied to the module's text at the snapshot point.
    public var isCode: Bool {
        switch self {
        case .text, .`init`, .nop, .destination, .source, .branch, .pointer, .invert, .interface, .irq: return true
        case .stack, .heap, .free, .bcopy, .alloc, .leak: return false
        }
    }

    /// One line for help texts and reports.
    public var summary: String {
        switch self {
        case .text: return "flip a random bit in the module's text"
        case .stack: return "flip a bit in the top 64 bytes of the stack at a module function entry"
        case .heap: return "flip a bit in a live block the module allocated"
        case .`init`: return "NOP out a local-variable initialisation (mov $imm to a local or register)"
        case .nop: return "NOP out a random instruction"
        case .destination: return "flip a bit in the bytes encoding an instruction's destination operand"
        case .source: return "flip a bit in the bytes encoding an instruction's source operand"
        case .branch: return "NOP out a conditional branch or a rep prefix"
        case .pointer: return "flip a bit in the address computation of a non-stack memory operand"
        case .invert: return "invert a branch condition (jcc <-> jncc) or swap rep <-> repne"
        case .interface: return "NOP out the load of a function argument (mov +disp(%ebp), reg)"
        case .irq: return "NOP out the restore of saved EFLAGS (popf)"
        case .free: return "free a live block of the module's heap early (an injected kfree at a function entry)"
        case .bcopy: return "lengthen a copy (memcpy length or rep movs count)"
        case .alloc: return "make an allocation return NULL (the call is skipped)"
        case .leak: return "skip a free"
        }
    }

    public static func < (a: FaultType, b: FaultType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parse a comma list ("all", "code", "runtime" or names).
    public static func parseList(_ s: String) -> [FaultType]? {
        var out: [FaultType] = []
        for part in s.split(separator: ",") {
            switch part {
            case "all": out += allCases
            case "code": out += allCases.filter(\.isCode)
            case "runtime": out += allCases.filter { !$0.isCode }
            case "loop": out.append(.invert)
            default:
                guard let t = FaultType(rawValue: String(part)) else { return nil }
                out.append(t)
            }
        }
        var seen = Set<FaultType>()
        out = out.filter { seen.insert($0).inserted }
        return out.isEmpty ? nil : out
    }
}
