// DifferentialTests.swift — instruction-level differential test of the CPU against an
// independent oracle. The golden vectors in Vectors/*.json were produced by running short i386
// snippets in Unicorn (see scripts/gen-vectors/gen_vectors.py, which regenerates them
// byte-identically). For every vector this test loads the same initial state into a fresh
// flat-mode CPU, runs the same number of instructions and compares the GPRs (minus any the
// SDM leaves undefined: `regsMask`), EIP, the defined EFLAGS bits (`flagsMask`), the whole
// 64 KiB of RAM and, for faulting vectors, the exception vector.
//
// Failures are grouped by vector family (the name without its index); at most
// `NOOKS_DIFF_DETAILS` (default 50) are printed in full. `NOOKS_DIFF_FILTER=substring` runs only
// the vectors whose name contains the substring.

import Foundation
import Testing
@testable import Core

// MARK: - Vector file format

struct DiffMemWindow: Decodable {
    let addr: UInt32
    let hex: String
}

struct DiffExpect: Decodable {
    let regs: [UInt32]
    let eip: UInt32
    let eflags: UInt32
    let flagsMask: UInt32
    let regsMask: UInt8?
    let mem: [DiffMemWindow]?
    let exception: UInt8?
}

struct DiffVector: Decodable {
    let name: String
    let code: String
    let count: Int
    let rep: Bool?
    let note: String?
    let regs: [UInt32]
    let eflags: UInt32
    let mem: [DiffMemWindow]?
    let expect: DiffExpect
}

struct DiffVectorFile: Decodable {
    let group: String
    let vectors: [DiffVector]
}

// MARK: - Helpers

enum Diff {
    static let ramSize = 0x10000
    static let codeBase: UInt32 = 0x1000
    static let flagNames: [(UInt32, String)] = [
        (0x001, "CF"), (0x004, "PF"), (0x010, "AF"), (0x040, "ZF"), (0x080, "SF"),
        (0x200, "IF"), (0x400, "DF"), (0x800, "OF"),
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(hex.utf8.count / 2)
        var hi: UInt8 = 0
        var odd = false
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: continue
            }
            if odd { out.append(hi << 4 | v) } else { hi = v }
            odd.toggle()
        }
        return out
    }

    static func hex32(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    static func flagList(_ f: UInt32) -> String {
        let names = flagNames.filter { f & $0.0 != 0 }.map(\.1)
        return names.isEmpty ? "-" : names.joined(separator: " ")
    }

    static func describe(_ s: StopReason) -> String {
        switch s {
        case .instructionLimit: return "instructionLimit"
        case .exception(let v, let e): return "exception #\(v)" + (e.map { " err=\(hex32($0))" } ?? "")
        default: return "\(s)"
        }
    }

    /// Loads every JSON file of the Vectors resource folder, sorted by file name.
    static func loadAll() throws -> [DiffVectorFile] {
        guard let dir = Bundle.module.url(forResource: "Vectors", withExtension: nil) else {
            throw DiffLoadError.missingResource
        }
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let decoder = JSONDecoder()
        return try files.map { try decoder.decode(DiffVectorFile.self, from: Data(contentsOf: $0)) }
    }

    /// Runs one vector on a fresh CPU; returns the list of differences (empty when it passes).
    static func run(_ v: DiffVector) -> [String] {
        let mem = PhysicalMemory(size: ramSize)
        let cpu = CPU(memory: mem)
        cpu.resetFlat()
        cpu.exceptionsToHost = true

        let code = bytes(v.code)
        var image = [UInt8](repeating: 0, count: ramSize)
        image.replaceSubrange(Int(codeBase)..<Int(codeBase) + code.count, with: code)
        for w in v.mem ?? [] {
            let b = bytes(w.hex)
            image.replaceSubrange(Int(w.addr)..<Int(w.addr) + b.count, with: b)
        }
        mem.write(image, at: 0)
        for (i, r) in GPR.allCases.enumerated() { cpu[r] = v.regs[i] }
        cpu.eflags = v.eflags
        cpu.eip = codeBase

        var stop: StopReason
        if v.rep == true {
            // A rep instruction may count as one instruction or as one per iteration; step it
            // until EIP moves past it (or it faults), whichever convention the CPU uses.
            var finished = 0
            var calls = 0
            repeat {
                let before = cpu.eip
                stop = cpu.run(maxInstructions: 1)
                calls += 1
                if cpu.eip != before { finished += 1 }
                if case .exception = stop { break }
                if stop != .instructionLimit { break }
            } while finished < v.count && calls < 100_000
        } else {
            stop = cpu.run(maxInstructions: UInt64(v.count))
        }

        var diffs: [String] = []
        let e = v.expect
        if let x = e.exception {
            if case .exception(let got, _) = stop, got == x {} else {
                diffs.append("stop: got \(describe(stop)), expected exception #\(x)")
            }
        } else if stop != .instructionLimit {
            diffs.append("stop: got \(describe(stop)), expected instructionLimit")
        }
        let rmask = e.regsMask ?? 0xFF
        for (i, r) in GPR.allCases.enumerated() where rmask & (1 << i) != 0 {
            let got = cpu[r]
            if got != e.regs[i] {
                diffs.append("\(r.name): got \(hex32(got)) expected \(hex32(e.regs[i]))")
            }
        }
        if cpu.eip != e.eip {
            diffs.append("eip: got \(hex32(cpu.eip)) expected \(hex32(e.eip))")
        }
        let fl = cpu.eflags
        let bad = (fl ^ e.eflags) & e.flagsMask
        if bad != 0 {
            diffs.append("eflags: got \(hex32(fl)) [\(flagList(fl & e.flagsMask))] expected \(hex32(e.eflags)) "
                         + "[\(flagList(e.eflags & e.flagsMask))], wrong: \(flagList(bad)) (compared: \(flagList(e.flagsMask)))")
        }

        var want = image
        for w in e.mem ?? [] {
            let b = bytes(w.hex)
            want.replaceSubrange(Int(w.addr)..<Int(w.addr) + b.count, with: b)
        }
        let ram = Array(mem.copyRAM().prefix(ramSize))
        if ram != want {
            var shown = 0
            var a = 0
            var total = 0
            var parts: [String] = []
            while a < ramSize {
                if ram[a] != want[a] {
                    var end = a
                    while end < ramSize && ram[end] != want[end] { end += 1 }
                    total += end - a
                    if shown < 4 {
                        let n = min(end - a, 16)
                        let got = ram[a..<a + n].map { String(format: "%02x", $0) }.joined()
                        let exp = want[a..<a + n].map { String(format: "%02x", $0) }.joined()
                        parts.append("[\(hex32(UInt32(a)))..+\(end - a)] got \(got) expected \(exp)")
                        shown += 1
                    }
                    a = end
                } else {
                    a += 1
                }
            }
            diffs.append("memory: \(total) byte(s) differ: " + parts.joined(separator: "; "))
        }
        return diffs
    }

    static func inputs(_ v: DiffVector) -> String {
        let regs = GPR.allCases.enumerated().map { "\($0.element.name)=\(hex32(v.regs[$0.offset]))" }
        return regs.joined(separator: " ") + " eflags=\(hex32(v.eflags)) [\(flagList(v.eflags))]"
    }
}

enum DiffLoadError: Error { case missingResource }

// MARK: - Tests

@Suite("Differential (Unicorn vectors)")
struct DifferentialTests {
    @Test("the vector files load and cover every group")
    func vectorsLoad() throws {
        let files = try Diff.loadAll()
        #expect(files.count >= 10)
        for f in files {
            #expect(!f.vectors.isEmpty, "group \(f.group) is empty")
        }
        let total = files.reduce(0) { $0 + $1.vectors.count }
        #expect(total >= 3000, "only \(total) vectors")
    }

    @Test("every vector matches the oracle")
    func allVectors() throws {
        let files = try Diff.loadAll()
        let env = ProcessInfo.processInfo.environment
        let filter = env["NOOKS_DIFF_FILTER"].flatMap { $0.isEmpty ? nil : $0 }
        let maxDetails = env["NOOKS_DIFF_DETAILS"].flatMap(Int.init) ?? 50

        var run = 0
        var failed = 0
        var details: [String] = []
        var byGroup: [(String, Int, Int)] = []
        var byFamily: [String: Int] = [:]
        for f in files {
            var groupRun = 0
            var groupFailed = 0
            for v in f.vectors {
                if let filter, !v.name.contains(filter) { continue }
                groupRun += 1
                let diffs = Diff.run(v)
                if diffs.isEmpty { continue }
                groupFailed += 1
                let family = v.name.split(separator: ".").dropLast().joined(separator: ".")
                byFamily[family, default: 0] += 1
                if details.count < maxDetails {
                    var text = "✗ \(v.name)  code=\(v.code)  count=\(v.count)"
                    if v.rep == true { text += " (rep)" }
                    text += "\n    in:  \(Diff.inputs(v))"
                    for d in diffs { text += "\n    \(d)" }
                    details.append(text)
                }
            }
            run += groupRun
            failed += groupFailed
            byGroup.append((f.group, groupRun, groupFailed))
        }

        var report = "Differential test: \(run) vectors run, \(failed) failed\n"
        for (g, n, bad) in byGroup where n > 0 {
            report += "  \(g.padding(toLength: 8, withPad: " ", startingAt: 0)) \(n - bad)/\(n) pass\n"
        }
        if failed > 0 {
            report += "Failing families (name: count):\n"
            for (fam, n) in byFamily.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                report += "  \(fam): \(n)\n"
            }
            report += "First \(details.count) failure(s):\n" + details.joined(separator: "\n") + "\n"
        }
        print(report)
        #expect(run > 0, "no vectors selected")
        #expect(failed == 0, "\(failed) of \(run) differential vectors failed (details printed above)")
    }
}
