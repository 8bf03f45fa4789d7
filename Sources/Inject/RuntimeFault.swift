// Runtime faults: what fires, and when. Each fault fires once, at the n-th event
// of its class counted from the snapshot point (n is drawn from 1...the count of
// such events in a fault-free native run, so most faults do fire):
//
//   stack   event: entry to any function of the module. Flip bit `bit` of the
//           dword at ESP + 4*`word` (word 0..15: the return address and the
//           caller's frame above it).
//   heap    event: function entry (deferred to a later entry while the module has
//           no live block). Flip a bit of a live block of the module's own heap:
//           what it got from kmalloc/kzalloc and pci_alloc_consistent since it was
//           loaded (tracked from the loader's nooks_module_loaded call during boot),
//           not skbs, which are kernel objects lent to it. The byte is chosen by
//           `fraction` over all live bytes.
//   alloc   event: a call from the module to an allocator. The call is skipped and
//           EAX = 0: the allocation "returned NULL".
//   leak    event: a call from the module to a free function. The call is skipped.
//   free    event: function entry (deferred while the module has no kmalloc'd block).
//           The module is made to call kfree(B) right there, B a live block of
//           its kmalloc heap chosen by `fraction`: the injector pushes B and the
//           entry as return address and jumps to the target of the module's own
//           `call kfree` (kfree natively, the Nooks import thunk isolated); the
//           stop back at the entry pops the argument. B is freed early: later
//           uses are use-after-free, the module's own kfree(B) a double free.
//   bcopy   event: a memcpy call from the module, or a rep movs in its text. The
//           length grows as in the paper: 50% +8 bytes, 44% +16..8192, 6% +2..4
//           pages (`fraction` picks the case and the amount).

/// One runtime fault.
public struct RuntimeFault: Sendable, Equatable, Codable {
    public var type: FaultType
    /// Fire at the n-th event of the type's class (1-based).
    public var ordinal: Int
    /// stack: word*32 + bit; heap: bit 0..7.
    public var bit: Int
    /// heap: which live byte; bcopy: which growth.
    public var fraction: Double

    public init(type: FaultType, ordinal: Int, bit: Int, fraction: Double) {
        self.type = type; self.ordinal = ordinal; self.bit = bit; self.fraction = fraction
    }

    /// The event class whose count `ordinal` refers to.
    public var eventClass: EventClass {
        switch type {
        case .stack, .heap, .free: return .entry
        case .alloc: return .alloc
        case .leak: return .free
        case .bcopy: return .copy
        default: return .entry
        }
    }

    /// Draws a fault of `type` given how many events of each class a fault-free run has.
    public static func draw(_ type: FaultType, counts: EventCounts, rng: inout InjectRNG) -> RuntimeFault {
        var f = RuntimeFault(type: type, ordinal: 1, bit: 0, fraction: 0)
        f.ordinal = 1 + rng.below(max(1, counts[f.eventClass]))
        f.bit = type == .stack ? rng.below(16 * 32) : rng.below(8)
        f.fraction = rng.unit()
        return f
    }

    /// Extra bytes a bcopy fault adds (the paper's distribution).
    public var copyGrowth: Int {
        if fraction < 0.5 { return 8 }
        if fraction < 0.94 { return 16 + Int((fraction - 0.5) / 0.44 * Double(8192 - 16)) }
        return 2 * 4096 + Int((fraction - 0.94) / 0.06 * Double(2 * 4096))
    }

    /// A compact description.
    public var summary: String {
        switch type {
        case .stack: return "stack: at entry #\(ordinal) flip bit \(bit % 32) of [esp+\(4 * (bit / 32))]"
        case .heap: return "heap: at entry #\(ordinal) flip bit \(bit) of live byte \(String(format3: fraction))"
        case .alloc: return "alloc: allocation #\(ordinal) returns NULL"
        case .leak: return "leak: free #\(ordinal) skipped"
        case .free: return "free: at entry #\(ordinal) the module frees a live kmalloc block (\(String(format3: fraction)))"
        case .bcopy: return "bcopy: copy #\(ordinal) lengthened by \(copyGrowth) bytes"
        default: return type.rawValue
        }
    }
}

/// What runtime faults count.
public enum EventClass: Int, Sendable, Codable, CaseIterable {
    case entry, alloc, free, copy
}

/// Event counts per class.
public struct EventCounts: Sendable, Equatable, Codable {
    public var values = [Int](repeating: 0, count: EventClass.allCases.count)
    public init() {}
    public subscript(c: EventClass) -> Int {
        get { values[c.rawValue] }
        set { values[c.rawValue] = newValue }
    }
}

extension String {
    /// A fraction with three decimals.
    init(format3 v: Double) {
        let m = Swift.min(999, Int((v * 1000).rounded(.down)))
        let digits = String(m)
        self.init("0." + String(repeating: "0", count: Swift.max(0, 3 - digits.count)) + digits)
    }
}
