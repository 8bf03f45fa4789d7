// Running a campaign's trials on all cores: worker processes (this same
// executable, `inject --worker-range A:B`) each build their own campaign
// context and print one JSON line per trial. A guest can never take the
// parent down, and if a worker dies on an emulator bug its current trial is
// reported as an emulator error and the rest of its range goes to a new
// worker. Trials are handed out in small chunks; results are sorted by trial
// index, so they do not depend on the number of workers.

import Foundation

/// Runs trial ranges in worker processes.
public final class WorkerPool: @unchecked Sendable {
    let executable: String
    let baseArguments: [String]
    let jobs: Int
    let lock = NSLock()
    var results: [Int: TrialResult] = [:]
    var hostErrors: [Int] = []
    var next = 0
    let total: Int
    let chunk: Int
    /// Called (under no lock) after each finished trial with (done, total).
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// `baseArguments` are the worker's arguments without `--worker-range`.
    public init(executable: String, baseArguments: [String], jobs: Int, trials: Int) {
        self.executable = executable
        self.baseArguments = baseArguments
        self.jobs = max(1, jobs)
        total = trials
        chunk = max(1, min(16, trials / (max(1, jobs) * 4)))
    }

    /// Runs every trial; returns results in trial order and the trials whose worker died.
    public func run() -> (results: [TrialResult], hostErrors: [Int]) {
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let range = takeChunk() { runRange(range) }
        }
        return ((0..<total).compactMap { results[$0] }, hostErrors.sorted())
    }

    func takeChunk() -> Range<Int>? {
        lock.lock(); defer { lock.unlock() }
        guard next < total else { return nil }
        let r = next..<min(total, next + chunk)
        next = r.upperBound
        return r
    }

    func runRange(_ range: Range<Int>) {
        var start = range.lowerBound
        while start < range.upperBound {
            let got = spawn(start..<range.upperBound)
            start += got
            if start < range.upperBound {
                record(start, nil)   // the worker died on this trial
                start += 1
            }
        }
    }

    func record(_ index: Int, _ r: TrialResult?) {
        lock.lock()
        if let r { results[index] = r } else { hostErrors.append(index) }
        let done = results.count + hostErrors.count
        lock.unlock()
        progress?(done, total)
    }

    /// Runs one worker on `range`; returns how many trials it reported.
    func spawn(_ range: Range<Int>) -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = baseArguments + ["--worker-range", "\(range.lowerBound):\(range.upperBound)"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return 0 }
        var count = 0
        var buffer = Data()
        let decoder = JSONDecoder()
        let handle = out.fileHandleForReading
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            buffer.append(data)
            while let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                if let r = try? decoder.decode(TrialResult.self, from: line) {
                    record(range.lowerBound + count, r)
                    count += 1
                }
            }
        }
        p.waitUntilExit()
        return count
    }
}
