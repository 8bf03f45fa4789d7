// Stop replies: how a StopReason is written back to gdb (T, W and X packets).

/// Builds stop-reply payloads (unframed).
enum StopReply {
    /// The only thread the stub reports: the single CPU.
    static let threadID = 1

    /// The payload for `reason`.
    ///
    /// - `T<sig>` expedites esp (4), ebp (5) and eip (8) so gdb need not send `g`,
    ///   names the thread, and adds `swbreak:`/`hwbreak:`/`watch:addr` when gdb
    ///   announced it understands them (`reportBreakpointKind`).
    /// - `W<status>` / `X<signal>` end the session.
    static func payload(for reason: StopReason, registers: I386Registers?,
                        reportBreakpointKind: Bool) -> [UInt8] {
        switch reason {
        case .exited(let status): return [UInt8(ascii: "W")] + Hex.byte(status)
        case .terminated(let signal): return [UInt8(ascii: "X")] + Hex.byte(signal)
        default: break
        }
        var out: [UInt8] = [UInt8(ascii: "T")] + Hex.byte(signal(of: reason))
        if let registers {
            for register in [I386Register.esp, .ebp, .eip] {
                out += Hex.byte(UInt8(register.rawValue)) + [UInt8(ascii: ":")]
                out += Hex.littleEndian(registers[register]) + [UInt8(ascii: ";")]
            }
        }
        out += Array("thread:".utf8) + Hex.number(UInt32(threadID)) + [UInt8(ascii: ";")]
        switch reason {
        case .softwareBreakpoint where reportBreakpointKind:
            out += Array("swbreak:;".utf8)
        case .hardwareBreakpoint where reportBreakpointKind:
            out += Array("hwbreak:;".utf8)
        case .watchpoint(let type, let address):
            // Watchpoint reasons are part of the base protocol (no feature needed).
            let name: String
            switch type {
            case .readWatchpoint: name = "rwatch"
            case .accessWatchpoint: name = "awatch"
            default: name = "watch"
            }
            out += Array("\(name):".utf8) + Hex.number(address) + [UInt8(ascii: ";")]
        default:
            break
        }
        return out
    }

    /// The signal number gdb sees for `reason`.
    static func signal(of reason: StopReason) -> UInt8 {
        switch reason {
        case .interrupted: return 2  // SIGINT
        case .signal(let n): return n
        case .exited(let n), .terminated(let n): return n
        default: return 5  // SIGTRAP
        }
    }
}
