// Test helpers for the device tests: recorders for injected lines and outputs, a
// settable virtual clock, and a deterministic PRNG for wild-input tests.

@testable import Devices

/// Records every level an injected IRQ/INTR closure is driven to.
final class LineRecorder {
    private(set) var levels: [Bool] = []
    var level: Bool { levels.last ?? false }
    /// Number of false→true transitions seen.
    var risingEdges: Int {
        var previous = false
        var count = 0
        for level in levels {
            if level, !previous { count += 1 }
            previous = level
        }
        return count
    }
    func callAsFunction(_ level: Bool) { levels.append(level) }
    func reset() { levels.removeAll() }
}

/// A virtual cycle counter the test moves by hand.
final class Clock {
    var cycles: UInt64 = 0
}

/// SplitMix64: a tiny deterministic PRNG so wild-input tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension PortDevice {
    func inb(_ port: UInt16) -> UInt8 { UInt8(truncatingIfNeeded: read(port: port, size: 1)) }
    func outb(_ port: UInt16, _ value: UInt8) { write(port: port, size: 1, value: UInt32(value)) }
}
