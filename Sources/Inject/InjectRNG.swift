// The injector's pseudo-random numbers: SplitMix64, seeded per trial from the
// campaign seed and the trial's index, so a trial's faults never depend on how
// many trials ran before it, on which worker, or on how many cores there are.

/// A small deterministic generator (SplitMix64). Value type: copying it forks the stream.
public struct InjectRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) { state = seed }

    /// The generator of one trial: mixes the campaign seed with the trial index.
    public init(seed: UInt64, trial: Int) {
        var g = InjectRNG(seed: seed ^ 0x6E6F_6F6B_7369_6E6A)
        for _ in 0...(trial & 3) { _ = g.next() }
        state = g.next() &+ UInt64(truncatingIfNeeded: trial) &* 0x9E37_79B9_7F4A_7C15
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<n (n > 0), without modulo bias.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let v = next()
            if v < limit { return Int(v % bound) }
        }
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
