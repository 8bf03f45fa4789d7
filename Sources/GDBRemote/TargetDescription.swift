// The target description (target.xml) served through qXfer:features:read, and the
// register layout it implies for g/p packets.
//
// gdb's i386 architecture validates org.gnu.gdb.i386.core against ALL of its
// core registers: the 16 general/segment registers *and* the 16 x87 registers
// (st0–st7, fctrl…fop). A description with only the first 16 is rejected
// ("Architecture rejected target-supplied description", checked with gdb 13.1).
// So the x87 registers are described, but the `g` reply carries only the first
// 16; gdb then asks for the others with `p`, and the stub answers "unavailable"
// (all 'x'), which gdb shows as <unavailable>. The guest has no FPU.

/// The i386 target description and register sizes.
public enum I386TargetDescription {
    /// gdb register numbers 16…31: the x87 registers described but not provided.
    public static let unavailableRegisters = 16..<32

    /// Size in bytes of gdb register `number`, or nil if it does not exist.
    public static func size(ofRegister number: Int) -> Int? {
        switch number {
        case 0..<16: return 4
        case 16..<24: return 10  // st0–st7, 80-bit
        case 24..<32: return 4   // fctrl, fstat, ftag, fiseg, fioff, foseg, fooff, fop
        default: return nil
        }
    }

    /// The `eflags` bits gdb names when it prints the register.
    static let eflagsFields: [(String, Int)] = [
        ("CF", 0), ("", 1), ("PF", 2), ("AF", 4), ("ZF", 6), ("SF", 7), ("TF", 8), ("IF", 9),
        ("DF", 10), ("OF", 11), ("NT", 14), ("RF", 16), ("VM", 17), ("AC", 18), ("VIF", 19),
        ("VIP", 20), ("ID", 21),
    ]

    /// gdb's types for the 16 registers: pointers for esp/ebp/eip, flags for eflags.
    static func type(of register: I386Register) -> String {
        switch register {
        case .esp, .ebp: return "data_ptr"
        case .eip: return "code_ptr"
        case .eflags: return "i386_eflags"
        default: return "int32"
        }
    }

    /// The complete target.xml document.
    public static let xml: String = {
        var lines = [
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">",
            "<target version=\"1.0\">",
            "  <architecture>i386</architecture>",
            "  <feature name=\"org.gnu.gdb.i386.core\">",
            "    <flags id=\"i386_eflags\" size=\"4\">",
        ]
        for (name, bit) in eflagsFields {
            lines.append("      <field name=\"\(name)\" start=\"\(bit)\" end=\"\(bit)\"/>")
        }
        lines.append("    </flags>")
        for register in I386Register.allCases {
            lines.append("    <reg name=\"\(register.name)\" bitsize=\"32\" type=\"\(type(of: register))\" regnum=\"\(register.rawValue)\"/>")
        }
        for i in 0..<8 {
            lines.append("    <reg name=\"st\(i)\" bitsize=\"80\" type=\"i387_ext\"/>")
        }
        for name in ["fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"] {
            lines.append("    <reg name=\"\(name)\" bitsize=\"32\" type=\"int\" group=\"float\"/>")
        }
        lines.append("  </feature>")
        lines.append("</target>")
        return lines.joined(separator: "\n") + "\n"
    }()

    /// The bytes of ``xml``.
    public static let xmlBytes: [UInt8] = Array(xml.utf8)
}
