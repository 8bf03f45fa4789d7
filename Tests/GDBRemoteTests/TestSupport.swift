// Test support for GDBRemote: a fake target (dictionary memory, a register file,
// a call log) and helpers that frame packets independently of PacketEncoder.

import GDBRemote

/// A GDBTarget backed by plain dictionaries, recording every call.
final class FakeTarget: GDBTarget {
    var registers = I386Registers()
    /// Mapped bytes; anything absent is unmapped.
    var memory: [UInt32: UInt8] = [:]
    var breakpoints: Set<String> = []
    var supportedTypes: Set<BreakpointType> = [.software, .hardware, .writeWatchpoint]
    var refuseRegisterWrites = false

    private(set) var resumes: [Bool] = []
    private(set) var interrupts = 0
    private(set) var killed = false
    private(set) var detached = false
    private(set) var monitorCommands: [String] = []
    var monitorReply: (String) -> String = { "ran \($0)\n" }

    /// Maps `bytes` at `address`.
    func map(_ address: UInt32, _ bytes: [UInt8]) {
        for (i, b) in bytes.enumerated() { memory[address &+ UInt32(i)] = b }
    }

    func readRegisters() -> I386Registers { registers }

    func writeRegisters(_ registers: I386Registers) -> Bool {
        if refuseRegisterWrites { return false }
        self.registers = registers
        return true
    }

    func readMemory(address: UInt32, length: Int) -> [UInt8]? {
        var out: [UInt8] = []
        for i in 0..<length {
            guard let b = memory[address &+ UInt32(i)] else { break }
            out.append(b)
        }
        return out
    }

    func writeMemory(address: UInt32, bytes: [UInt8]) -> Bool {
        for i in bytes.indices where memory[address &+ UInt32(i)] == nil { return false }
        map(address, bytes)
        return true
    }

    func insertBreakpoint(_ type: BreakpointType, address: UInt32, length: Int) -> Bool {
        guard supportedTypes.contains(type) else { return false }
        breakpoints.insert("\(type.rawValue)@\(String(address, radix: 16))/\(length)")
        return true
    }

    func removeBreakpoint(_ type: BreakpointType, address: UInt32, length: Int) -> Bool {
        guard supportedTypes.contains(type) else { return false }
        breakpoints.remove("\(type.rawValue)@\(String(address, radix: 16))/\(length)")
        return true
    }

    func resume(step: Bool) { resumes.append(step) }
    func interrupt() { interrupts += 1 }
    func kill() { killed = true }
    func detach() { detached = true }

    func monitor(_ command: String) -> String {
        monitorCommands.append(command)
        return monitorReply(command)
    }
}

/// Frames `payload` as gdb would (no escaping needed for the ASCII used in tests).
func framed(_ payload: String) -> String {
    let sum = payload.utf8.reduce(UInt8(0), &+)
    let hex = String(sum, radix: 16)
    return "$" + payload + "#" + (hex.count == 1 ? "0" + hex : hex)
}

/// The bytes of a string.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Bytes as a string (test output is ASCII apart from binary replies).
func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

extension GDBSession {
    /// Sends one framed packet and returns the reply as text.
    func send(_ payload: String) -> String {
        text(receive(bytes(framed(payload))))
    }
}

/// A session over a fresh fake target with some registers and memory set.
func makeSession() -> (GDBSession, FakeTarget) {
    let target = FakeTarget()
    target.registers = I386Registers([0x11223344, 2, 3, 4, 0x0009_0000, 0x0009_0010, 7, 8,
                                      0x0010_0000, 0x0000_0202, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10])
    target.map(0x0010_0000, [0x55, 0x89, 0xE5, 0xC3])
    return (GDBSession(target: target), target)
}

/// A deterministic pseudo-random generator (SplitMix64) for fuzz tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
