// CommandParser: payload bytes → GDBCommand. Every branch validates its numbers
// (hex, 32-bit, length caps) and answers .malformed instead of trapping.

extension GDBCommand {
    /// Parses one packet payload (as ``PacketDecoder`` delivers it: unescaped).
    public init(parsing payload: [UInt8]) {
        self = CommandParser.parse(payload[...])
    }
}

/// The packet grammar, one small function per packet family.
enum CommandParser {
    typealias Bytes = ArraySlice<UInt8>

    static func parse(_ p: Bytes) -> GDBCommand {
        guard let first = p.first else { return .unknown([]) }
        let rest = p.dropFirst()
        switch first {
        case UInt8(ascii: "?"): return rest.isEmpty ? .haltReason : .unknown(Array(p))
        case UInt8(ascii: "g"): return rest.isEmpty ? .readRegisters : .unknown(Array(p))
        case UInt8(ascii: "G"): return writeRegisters(rest)
        case UInt8(ascii: "p"): return readRegister(rest)
        case UInt8(ascii: "P"): return writeRegister(rest)
        case UInt8(ascii: "m"): return readMemory(rest)
        case UInt8(ascii: "M"): return writeMemory(rest, binary: false)
        case UInt8(ascii: "X"): return writeMemory(rest, binary: true)
        case UInt8(ascii: "Z"): return breakpoint(rest, insert: true, packet: p)
        case UInt8(ascii: "z"): return breakpoint(rest, insert: false, packet: p)
        case UInt8(ascii: "c"): return resume(rest, step: false)
        case UInt8(ascii: "s"): return resume(rest, step: true)
        case UInt8(ascii: "C"): return resumeWithSignal(rest, step: false)
        case UInt8(ascii: "S"): return resumeWithSignal(rest, step: true)
        case UInt8(ascii: "H"): return setThread(rest, packet: p)
        case UInt8(ascii: "T"):
            guard let thread = threadID(rest) else { return .malformed("bad thread id") }
            return .threadAlive(thread)
        case UInt8(ascii: "k"): return .kill
        case UInt8(ascii: "D"):
            return rest.isEmpty || rest.first == UInt8(ascii: ";") ? .detach : .unknown(Array(p))
        case UInt8(ascii: "q"): return query(p)
        case UInt8(ascii: "Q"): return p.elementsEqual("QStartNoAckMode".utf8) ? .startNoAckMode : .unknown(Array(p))
        case UInt8(ascii: "v"): return vPacket(p)
        default: return .unknown(Array(p))
        }
    }

    // MARK: registers

    static func writeRegisters(_ hex: Bytes) -> GDBCommand {
        guard let bytes = Hex.decode(hex) else { return .malformed("G: bad hex") }
        guard bytes.count >= I386Registers.count * 4 else { return .malformed("G: too short") }
        return .writeRegisters(bytes)
    }

    static func readRegister(_ text: Bytes) -> GDBCommand {
        guard let n = Hex.int(text, limit: 0xFFFF) else { return .malformed("p: bad register number") }
        return .readRegister(n)
    }

    static func writeRegister(_ text: Bytes) -> GDBCommand {
        guard let (number, value) = split(text, at: "=") else { return .malformed("P: missing '='") }
        guard let n = Hex.int(number, limit: 0xFFFF) else { return .malformed("P: bad register number") }
        guard let bytes = Hex.decode(value), !bytes.isEmpty else { return .malformed("P: bad value") }
        return .writeRegister(n, bytes)
    }

    // MARK: memory

    /// Parses `addr,len` with the length capped at ``GDBLimits/maxMemoryTransfer``.
    static func addressAndLength(_ text: Bytes) -> (UInt32, Int)? {
        guard let (a, l) = split(text, at: ","),
              let address = Hex.uint32(a),
              let length = Hex.int(l, limit: GDBLimits.maxMemoryTransfer) else { return nil }
        return (address, length)
    }

    static func readMemory(_ text: Bytes) -> GDBCommand {
        guard let (address, length) = addressAndLength(text) else {
            return .malformed("m: expected addr,len (len ≤ \(GDBLimits.maxMemoryTransfer))")
        }
        return .readMemory(address: address, length: length)
    }

    static func writeMemory(_ text: Bytes, binary: Bool) -> GDBCommand {
        let name = binary ? "X" : "M"
        guard let (header, data) = split(text, at: ":"),
              let (address, length) = addressAndLength(header) else {
            return .malformed("\(name): expected addr,len:data")
        }
        let bytes: [UInt8]
        if binary {
            bytes = Array(data)
        } else {
            guard let decoded = Hex.decode(data) else { return .malformed("M: bad hex") }
            bytes = decoded
        }
        guard bytes.count == length else { return .malformed("\(name): length mismatch") }
        return binary ? .writeMemoryBinary(address: address, bytes: bytes)
                      : .writeMemory(address: address, bytes: bytes)
    }

    // MARK: breakpoints

    static func breakpoint(_ text: Bytes, insert: Bool, packet: Bytes) -> GDBCommand {
        // Z<type>,<addr>,<kind>[;cond...]: conditions/commands are not advertised; ignore them.
        let main = text.prefix { $0 != UInt8(ascii: ";") }
        let fields = main.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count == 3, let t = Hex.int(fields[0], limit: 0xFF) else {
            return .malformed("Z: expected type,addr,kind")
        }
        guard let type = BreakpointType(rawValue: UInt8(t)) else { return .unknown(Array(packet)) }
        guard let address = Hex.uint32(fields[1]), let kind = Hex.int(fields[2], limit: 0xFFFF) else {
            return .malformed("Z: bad address or kind")
        }
        return insert ? .insertBreakpoint(type, address: address, kind: kind)
                      : .removeBreakpoint(type, address: address, kind: kind)
    }

    // MARK: run control

    static func resume(_ text: Bytes, step: Bool) -> GDBCommand {
        var address: UInt32? = nil
        if !text.isEmpty {
            guard let a = Hex.uint32(text) else { return .malformed("c/s: bad address") }
            address = a
        }
        return step ? .step(address: address) : .continue(address: address)
    }

    static func resumeWithSignal(_ text: Bytes, step: Bool) -> GDBCommand {
        let (sig, addr) = split(text, at: ";") ?? (text, [][...])
        guard Hex.int(sig, limit: 0xFF) != nil else { return .malformed("C/S: bad signal") }
        return resume(addr, step: step)
    }

    static func setThread(_ text: Bytes, packet: Bytes) -> GDBCommand {
        guard let op = text.first, op == UInt8(ascii: "g") || op == UInt8(ascii: "c") else {
            return .unknown(Array(packet))
        }
        guard let thread = threadID(text.dropFirst()) else { return .malformed("H: bad thread id") }
        return .setThread(operation: Character(Unicode.Scalar(op)), thread: thread)
    }

    /// `-1`, `0`, a hex id, or multiprocess `pPID[.TID]` (the TID is kept).
    static func threadID(_ text: Bytes) -> ThreadID? {
        var t = text
        if t.first == UInt8(ascii: "p") {
            t = t.dropFirst()
            if let dot = t.firstIndex(of: UInt8(ascii: ".")) { t = t[t.index(after: dot)...] }
        }
        if t.elementsEqual("-1".utf8) { return .all }
        guard let n = Hex.int(t, limit: Int(Int32.max)) else { return nil }
        return n == 0 ? .any : .id(n)
    }

    // MARK: q / Q / v packets

    static func query(_ p: Bytes) -> GDBCommand {
        func exactly(_ name: String) -> Bool { p.elementsEqual(name.utf8) }
        if exactly("qSupported") { return .querySupported(features: []) }
        if let rest = after(p, "qSupported:") {
            let features = rest.split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self) }
            return .querySupported(features: features)
        }
        if exactly("qTStatus") { return .traceStatus }
        if exactly("qfThreadInfo") { return .threadInfoFirst }
        if exactly("qsThreadInfo") { return .threadInfoNext }
        if exactly("qC") { return .currentThread }
        if exactly("qAttached") || after(p, "qAttached:") != nil { return .attached }
        if exactly("qOffsets") { return .offsets }
        if let rest = after(p, "qSymbol:") { return .symbol(String(decoding: rest, as: UTF8.self)) }
        if let rest = after(p, "qRcmd,") {
            guard let bytes = Hex.decode(rest) else { return .malformed("qRcmd: bad hex") }
            return .monitor(String(decoding: bytes, as: UTF8.self))
        }
        if let rest = after(p, "qXfer:features:read:") {
            guard let colon = rest.lastIndex(of: UInt8(ascii: ":")),
                  let (offset, length) = offsetAndLength(rest[rest.index(after: colon)...]) else {
                return .malformed("qXfer: expected annex:offset,length")
            }
            return .readFeatures(annex: String(decoding: rest[..<colon], as: UTF8.self),
                                 offset: offset, length: length)
        }
        return .unknown(Array(p))
    }

    static func offsetAndLength(_ text: Bytes) -> (Int, Int)? {
        guard let (o, l) = split(text, at: ","),
              let offset = Hex.int(o, limit: Int(Int32.max)),
              let length = Hex.int(l, limit: Int(Int32.max)) else { return nil }
        return (offset, length)
    }

    static func vPacket(_ p: Bytes) -> GDBCommand {
        if p.elementsEqual("vMustReplyEmpty".utf8) { return .mustReplyEmpty }
        if p.elementsEqual("vCont?".utf8) { return .vContQuery }
        if p.elementsEqual("vKill".utf8) || after(p, "vKill;") != nil { return .vKill }
        if let rest = after(p, "vCont;") { return vCont(rest) }
        return .unknown(Array(p))
    }

    static func vCont(_ text: Bytes) -> GDBCommand {
        var actions: [VContAction] = []
        for item in text.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
            let (action, tid) = split(item, at: ":") ?? (item, nil)
            var thread: ThreadID? = nil
            if let tid {
                guard let t = threadID(tid) else { return .malformed("vCont: bad thread id") }
                thread = t
            }
            guard let kind = vContKind(action) else { return .malformed("vCont: bad action") }
            actions.append(VContAction(kind, thread: thread))
        }
        return .vCont(actions)
    }

    static func vContKind(_ a: Bytes) -> VContAction.Kind? {
        guard let letter = a.first else { return nil }
        let arg = a.dropFirst()
        switch letter {
        case UInt8(ascii: "c"): return arg.isEmpty ? .continue : nil
        case UInt8(ascii: "s"): return arg.isEmpty ? .step : nil
        case UInt8(ascii: "t"): return arg.isEmpty ? .stop : nil
        case UInt8(ascii: "C"): return Hex.int(arg, limit: 0xFF).map { .continueWithSignal(UInt8($0)) }
        case UInt8(ascii: "S"): return Hex.int(arg, limit: 0xFF).map { .stepWithSignal(UInt8($0)) }
        case UInt8(ascii: "r"):
            guard let (s, e) = split(arg, at: ","), let start = Hex.uint32(s), let end = Hex.uint32(e) else {
                return nil
            }
            return .rangeStep(start: start, end: end)
        default: return nil
        }
    }

    // MARK: helpers

    /// Splits at the first `separator`; nil if it does not occur.
    static func split(_ text: Bytes, at separator: Unicode.Scalar) -> (Bytes, Bytes)? {
        guard let i = text.firstIndex(of: UInt8(ascii: separator)) else { return nil }
        return (text[..<i], text[text.index(after: i)...])
    }

    /// The bytes after `prefix`, or nil if `p` does not start with it.
    static func after(_ p: Bytes, _ prefix: String) -> Bytes? {
        let utf8 = prefix.utf8
        guard p.count >= utf8.count, p.starts(with: utf8) else { return nil }
        return p.dropFirst(utf8.count)
    }
}
