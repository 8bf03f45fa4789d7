// Running a campaign's trials on all cores: one worker process per job (this
// same executable, `inject ... --worker`), each booting its own campaign
// context once and then answering trial indices read from its stdin with one
// JSON line per trial. A guest can never take the parent down; if a worker dies
// (an emulator bug), its current trial is reported as an emulator error and a
// new worker takes over. Results are sorted by trial index, so they do not
// depend on the number of workers.

import Foundation

/// Runs trials in worker processes.
public final class WorkerPool: @unchecked Sendable {
    let executable: String
    let arguments: [String]
    let jobs: Int
    let lock = NSLock()
    var results: [Int: TrialResult] = [:]
    var hostErrors: [Int] = []
    var next = 0
    let total: Int
    /// Called after each finished trial with (done, total).
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// `arguments` start a worker (they include `--worker`).
    public init(executable: String, arguments: [String], jobs: Int, trials: Int) {
        self.executable = executable
        self.arguments = arguments
        self.jobs = max(1, min(jobs, trials))
        total = trials
    }

    /// Runs every trial; returns results in trial order and the trials whose worker died.
    public func run() -> (results: [TrialResult], hostErrors: [Int]) {
        // A worker that died must cost a trial, not this process: write errors instead of SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            var worker: Worker?
            while let i = take() {
                if worker == nil { worker = Worker(executable: executable, arguments: arguments) }
                if let r = worker?.run(i) {
                    record(i, r)
                } else {
                    record(i, nil)
                    worker?.stop()
                    worker = nil
                }
            }
            worker?.stop()
        }
        return ((0..<total).compactMap { results[$0] }, hostErrors.sorted())
    }

    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < total else { return nil }
        next += 1
        return next - 1
    }

    func record(_ index: Int, _ r: TrialResult?) {
        lock.lock()
        if let r { results[index] = r } else { hostErrors.append(index) }
        let done = results.count + hostErrors.count
        lock.unlock()
        progress?(done, total)
    }
}

/// One worker process and its pipes.
final class Worker {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer = Data()
    var alive: Bool

    init(executable: String, arguments: [String]) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        alive = (try? process.run()) != nil
    }

    /// Asks for trial `i`; nil if the worker died.
    func run(_ i: Int) -> TrialResult? {
        guard alive else { return nil }
        do { try input.fileHandleForWriting.write(contentsOf: Data("\(i)\n".utf8)) } catch { alive = false; return nil }
        guard let line = readLine(), let r = try? JSONDecoder().decode(TrialResult.self, from: line) else {
            alive = false
            return nil
        }
        return r
    }

    func readLine() -> Data? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                return Data(line)
            }
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { return nil }
            buffer.append(more)
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if alive || process.isRunning { process.waitUntilExit() }
    }
}
