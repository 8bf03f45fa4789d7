// A trial's identity, as one printable string: TARGET:SEED:TRIAL:FAULTS:TYPE,
// e.g. `e1000:42:17:5:pointer`. Everything about the trial (which faults, where,
// when) follows from it, so `nooks-emu inject --replay e1000:42:17:5:pointer`
// re-runs exactly that trial.

/// Identifies one trial.
public struct TrialSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    public var target: String
    public var seed: UInt64
    public var trial: Int
    public var faults: Int
    public var type: FaultType

    public init(target: String, seed: UInt64, trial: Int, faults: Int, type: FaultType) {
        self.target = target; self.seed = seed; self.trial = trial; self.faults = faults; self.type = type
    }

    /// Parses `TARGET:SEED:TRIAL:FAULTS:TYPE`.
    public init?(parsing s: String) {
        let p = s.split(separator: ":").map(String.init)
        guard p.count == 5, InjectTarget.named(p[0]) != nil, let seed = UInt64(p[1]), let trial = Int(p[2]), trial >= 0,
              let k = Int(p[3]), k >= 1, k <= 100, let t = FaultType(rawValue: p[4]) else { return nil }
        self.init(target: p[0], seed: seed, trial: trial, faults: k, type: t)
    }

    public var description: String { "\(target):\(seed):\(trial):\(faults):\(type.rawValue)" }
}

/// The concrete faults of one trial.
public struct TrialPlan: Sendable, Equatable {
    public var spec: TrialSpec
    public var code: [CodePatch]
    public var runtime: [RuntimeFault]

    /// Draws the trial's faults from its own generator. Code faults use the planner over the
    /// pristine text; runtime faults the event counts of a fault-free native run.
    public init(spec: TrialSpec, planner: CodeFaultPlanner, counts: EventCounts) {
        self.spec = spec
        var rng = InjectRNG(seed: spec.seed, trial: spec.trial)
        var code: [CodePatch] = [], runtime: [RuntimeFault] = []
        // Up to 8 draws per fault to avoid repeating an earlier fault's place (instruction or event).
        for _ in 0..<spec.faults {
            if spec.type.isCode {
                var pick: CodePatch?
                for _ in 0..<8 {
                    pick = planner.plan(spec.type, rng: &rng)
                    if let p = pick, !code.contains(where: { $0.instructionOffset == p.instructionOffset }) { break }
                }
                if let pick { code.append(pick) }
            } else {
                var pick = RuntimeFault.draw(spec.type, counts: counts, rng: &rng)
                for _ in 0..<8 where runtime.contains(where: { $0.ordinal == pick.ordinal }) {
                    pick = RuntimeFault.draw(spec.type, counts: counts, rng: &rng)
                }
                runtime.append(pick)
            }
        }
        self.code = code
        self.runtime = runtime
    }

    /// One line per fault.
    public func describe(_ image: ModuleImage) -> [String] {
        code.map { "\($0.summary) at \(image.describe($0.instructionOffset)): \($0.note)" } + runtime.map(\.summary)
    }
}
