// A campaign's results: counts per fault type and mode, the paper-style table,
// and the JSON document written with --json.

import Foundation

/// Outcome counts of one mode.
public struct OutcomeCounts: Sendable, Codable, Equatable {
    public var crash = 0, recovered = 0, failure = 0, noEffect = 0
    public init() {}
    mutating func add(_ o: Outcome) {
        switch o {
        case .crash: crash += 1
        case .recovered: recovered += 1
        case .failure: failure += 1
        case .noEffect: noEffect += 1
        }
    }
    static func + (a: OutcomeCounts, b: OutcomeCounts) -> OutcomeCounts {
        var c = a
        c.crash += b.crash; c.recovered += b.recovered; c.failure += b.failure; c.noEffect += b.noEffect
        return c
    }
}

/// One row of the table.
public struct TypeRow: Sendable, Codable, Equatable {
    public var type: String
    public var trials = 0
    public var native = OutcomeCounts()
    public var isolated = OutcomeCounts()
    /// Trials that crashed natively and were recovered isolated.
    public var crashesRecovered = 0
    /// Trials that crashed natively, and isolated the fault was detected but the
    /// extension not recovered (e.g. disabled), without a system crash.
    public var crashesContained = 0
}

/// Disk damage in a campaign on a target with a disk (runs whose disk was checked).
public struct DiskDamage: Sendable, Codable, Equatable {
    public var nativeChecked = 0, nativeDamaged = 0
    public var isolatedChecked = 0, isolatedDamaged = 0
    /// Isolated runs that recovered, and of those the ones that left the disk damaged, and of
    /// those the ones whose only damage is lost clusters (allocated in the FAT, in no file: a
    /// leak, no data lost).
    public var recovered = 0, recoveredDamaged = 0, recoveredLostClustersOnly = 0
    /// Native runs that crashed the system, and of those the ones that left the disk damaged.
    public var nativeCrashes = 0, nativeCrashesDamaged = 0

    init?(_ results: [TrialResult]) {
        var any = false
        for r in results {
            if let d = r.native.diskDamaged {
                any = true
                nativeChecked += 1
                if d { nativeDamaged += 1 }
                if r.native.outcome == .crash { nativeCrashes += 1; if d { nativeCrashesDamaged += 1 } }
            }
            if let d = r.isolated.diskDamaged {
                any = true
                isolatedChecked += 1
                if d { isolatedDamaged += 1 }
                if r.isolated.outcome == .recovered {
                    recovered += 1
                    if d { recoveredDamaged += 1 }
                    if d, DiskDamage.lostClustersOnly(r.isolated.disk ?? "") { recoveredLostClustersOnly += 1 }
                }
            }
        }
        if !any { return nil }
    }

    /// Is a disk-check reason fsck's lost-cluster message alone ("fsck: Reclaimed 1 unused cluster (2048 bytes).")?
    static func lostClustersOnly(_ reason: String) -> Bool {
        reason.hasPrefix("fsck: Reclaimed ") && reason.hasSuffix("bytes).") && !reason.contains(";")
    }
}

/// Everything a campaign produced.
public struct CampaignReport: Sendable, Codable {
    public var target: String
    public var seed: UInt64
    public var trials: Int
    public var faultsPerTrial: Int
    public var types: [String]
    public var workers: Int
    public var seconds: Double
    public var budget: UInt64
    public var rows: [TypeRow]
    public var total: TypeRow
    /// Trials whose worker process died (an emulator bug, not a guest outcome).
    public var hostErrors: [String]
    public var results: [TrialResult]
    /// Targets with a disk: what the disk checks found (nil otherwise).
    public var disk: DiskDamage?

    public init(config: CampaignConfig, results: [TrialResult], hostErrors: [String], workers: Int, seconds: Double, budget: UInt64) {
        target = config.target; seed = config.seed; trials = config.trials; faultsPerTrial = config.faults
        types = config.types.map(\.rawValue)
        self.workers = workers; self.seconds = seconds; self.budget = budget
        self.hostErrors = hostErrors
        self.results = results
        disk = DiskDamage(results)
        var byType: [FaultType: TypeRow] = [:]
        for r in results {
            var row = byType[r.type] ?? TypeRow(type: r.type.rawValue)
            row.trials += 1
            row.native.add(r.native.outcome)
            row.isolated.add(r.isolated.outcome)
            if r.native.outcome == .crash && r.isolated.outcome == .recovered { row.crashesRecovered += 1 }
            if r.native.outcome == .crash && r.isolated.outcome == .failure && r.isolated.detected { row.crashesContained += 1 }
            byType[r.type] = row
        }
        rows = config.types.compactMap { byType[$0] }
        total = rows.reduce(TypeRow(type: "total")) { t, r in
            var t = t
            t.trials += r.trials; t.native = t.native + r.native; t.isolated = t.isolated + r.isolated
            t.crashesRecovered += r.crashesRecovered
            t.crashesContained += r.crashesContained
            return t
        }
    }

    /// Share of native crashes the isolated run turned into recoveries (nil: no native crash).
    public var crashRecoveryRate: Double? {
        total.native.crash == 0 ? nil : Double(total.crashesRecovered) / Double(total.native.crash)
    }

    /// The table, as printed.
    public var table: String {
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        func cells(_ c: OutcomeCounts) -> String {
            [c.crash, c.recovered, c.failure, c.noEffect].map { pad(String($0), 7) }.joined()
        }
        var lines: [String] = []
        lines.append("nooks-emu inject: \(target), \(trials) trials x \(faultsPerTrial) faults, seed \(seed)")
        lines.append(pad("", 12, left: true) + pad("", 7) + " | " + pad("native", 28, left: true) + " | isolated")
        let head = pad("crash", 7) + pad("recov", 7) + pad("fail", 7) + pad("none", 7)
        lines.append(pad("type", 12, left: true) + pad("trials", 7) + " | " + head + " | " + head + pad("crash->recov", 14))
        for r in rows + [total] {
            if r.type == "total" { lines.append(String(repeating: "-", count: 12 + 7 + 3 + 28 + 3 + 28 + 14)) }
            lines.append(pad(r.type, 12, left: true) + pad(String(r.trials), 7) + " | " + cells(r.native) + " | "
                         + cells(r.isolated) + pad(String(r.crashesRecovered), 14))
        }
        let n = total.native.crash, i = total.isolated.crash
        let eliminated = n == 0 ? "" : " (\(Int((Double(n - min(n, i)) / Double(n) * 100).rounded()))% fewer)"
        lines.append("system crashes: \(n) native -> \(i) isolated\(eliminated)")
        if let rate = crashRecoveryRate {
            lines.append("native crashes recovered under Nooks: \(total.crashesRecovered) of \(n) (\(Int((rate * 100).rounded()))%); "
                         + "detected and contained without recovery (extension disabled): \(total.crashesContained)")
        }
        lines.append("non-fatal failures: \(total.native.failure) native -> \(total.isolated.failure) isolated")
        if let d = disk {
            func of(_ a: Int, _ b: Int) -> String { b == 0 ? "\(a) of 0" : "\(a) of \(b) (\(Int((Double(a) / Double(b) * 100).rounded()))%)" }
            lines.append("disk damaged (fsck.vfat -n, host files): after recovery \(of(d.recoveredDamaged, d.recovered)) "
                         + "(only lost clusters: \(d.recoveredLostClustersOnly)); "
                         + "after a native crash \(of(d.nativeCrashesDamaged, d.nativeCrashes))")
            lines.append("disk damaged, all runs: native \(of(d.nativeDamaged, d.nativeChecked)), "
                         + "isolated \(of(d.isolatedDamaged, d.isolatedChecked))")
        }
        if !hostErrors.isEmpty { lines.append("emulator errors (worker died): \(hostErrors.joined(separator: ", "))") }
        lines.append(String(format: "time: %.1f s, %d worker(s), budget %llu instructions per run", seconds, workers, budget))
        return lines.joined(separator: "\n")
    }

    /// The JSON document.
    public func json() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? e.encode(self)) ?? Data()
    }
}
