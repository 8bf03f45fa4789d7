// Register names, EFLAGS bits, control-register bits and segment-register state.

/// General-purpose 32-bit registers, in x86 encoding order.
public enum GPR: Int, CaseIterable, Sendable {
    case eax, ecx, edx, ebx, esp, ebp, esi, edi
    public var name: String { ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"][rawValue] }
}

/// Segment registers, in x86 encoding order (the Sreg field of ModRM).
public enum SegReg: Int, CaseIterable, Sendable {
    case es, cs, ss, ds, fs, gs
    public var name: String { ["es", "cs", "ss", "ds", "fs", "gs"][rawValue] }
}

/// EFLAGS bit masks.
public enum EFLAGS {
    public static let cf: UInt32 = 1 << 0
    public static let fixed1: UInt32 = 1 << 1
    public static let pf: UInt32 = 1 << 2
    public static let af: UInt32 = 1 << 4
    public static let zf: UInt32 = 1 << 6
    public static let sf: UInt32 = 1 << 7
    public static let tf: UInt32 = 1 << 8
    public static let `if`: UInt32 = 1 << 9
    public static let df: UInt32 = 1 << 10
    public static let of: UInt32 = 1 << 11
    public static let iopl: UInt32 = 3 << 12
    public static let nt: UInt32 = 1 << 14
    public static let rf: UInt32 = 1 << 16
    public static let vm: UInt32 = 1 << 17
    public static let ac: UInt32 = 1 << 18
    public static let id: UInt32 = 1 << 21
    /// The six arithmetic flags kept lazily.
    public static let arith: UInt32 = cf | pf | af | zf | sf | of
    /// Bits software can change with POPF (in ring 0).
    public static let writable: UInt32 = arith | tf | `if` | df | iopl | nt | rf | ac | id
}

/// CR0 / CR4 bits the emulator honours.
public enum CR0 {
    public static let pe: UInt32 = 1 << 0
    public static let mp: UInt32 = 1 << 1
    public static let em: UInt32 = 1 << 2
    public static let ts: UInt32 = 1 << 3
    public static let et: UInt32 = 1 << 4
    public static let ne: UInt32 = 1 << 5
    public static let wp: UInt32 = 1 << 16
    public static let am: UInt32 = 1 << 18
    public static let nw: UInt32 = 1 << 29
    public static let cd: UInt32 = 1 << 30
    public static let pg: UInt32 = 1 << 31
}

public enum CR4 {
    public static let tsd: UInt32 = 1 << 2
    public static let pse: UInt32 = 1 << 4
    public static let pge: UInt32 = 1 << 7
    /// Bits nooks-emu accepts; setting others raises #GP.
    public static let supported: UInt32 = tsd | pse | pge | (1 << 3) /* DE */ | (1 << 9) /* OSFXSR */
}

/// The hidden part of a segment register, loaded from a descriptor.
public struct SegmentCache: Sendable, Equatable {
    public var selector: UInt16 = 0
    public var base: UInt32 = 0
    public var limit: UInt32 = 0xFFFF_FFFF
    /// Descriptor access byte (P, DPL, S, type).
    public var access: UInt8 = 0x93
    /// Descriptor flags nibble (G, D/B, L, AVL).
    public var flags: UInt8 = 0xC
    public init() {}
    public var dpl: Int { Int(access >> 5) & 3 }
    public var present: Bool { access & 0x80 != 0 }
}

/// A descriptor-table register (GDTR, IDTR).
public struct TableRegister: Sendable, Equatable {
    public var base: UInt32 = 0
    public var limit: UInt16 = 0xFFFF
    public init() {}
}
