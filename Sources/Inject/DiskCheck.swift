// The disk of a file-system target and the check after each trial. The image
// comes from guest-images/tests/mkdisk.sh (reproducible: the same arguments give
// the same bytes), made once per process into a temporary file that is read and
// deleted; each mode's machine runs on a copy-on-write overlay over it, rolled
// back with the machine snapshot. After a trial the overlay's final contents
// (what reached the disk, as after a power cut) are written to a temporary image
// and checked the way an administrator would: `fsck.vfat -n` (read-only) must
// find nothing, and the files mkdisk.sh put there (/big.bin, /index.html, the
// nested long-name file) must read back (mtools) as they were.

import Foundation
import Devices

/// A mkdisk.sh image: FAT type (12, 16, 32) and size in MiB.
public struct DiskSpec: Sendable, Equatable {
    public var fat: Int
    public var mib: Int
    public init(fat: Int, mib: Int) { self.fat = fat; self.mib = mib }
}

/// What the disk check found.
public struct DiskVerdict: Sendable, Equatable {
    public var damaged: Bool
    /// "clean", or what was wrong (fsck's first complaint, or the host file that differs).
    public var reason: String
}

/// Runs a tool; its exit status and output (stdout and stderr).
func runTool(_ path: String, _ args: [String], environment: [String: String] = [:]) -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    do { try p.run() } catch { return (-1, "\(path): \(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The disk images of this process, made once per spec.
enum DiskImages {
    nonisolated(unsafe) static var made: [String: [UInt8]] = [:]
    static let lock = NSLock()

    /// The bytes of mkdisk.sh's image for `spec` (a temporary file, deleted after reading).
    static func image(_ spec: DiskSpec, mkdisk: String) throws(InjectError) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        let key = "\(spec.fat)/\(spec.mib)"
        if let b = made[key] { return b }
        let path = NSTemporaryDirectory() + "nooks-inject-\(getpid())-fat\(spec.fat)-\(spec.mib).img"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, out) = runTool("/bin/bash", [mkdisk, path, String(spec.fat), String(spec.mib)])
        guard status == 0, let data = FileManager.default.contents(atPath: path) else {
            throw InjectError("\(mkdisk) \(path) \(spec.fat) \(spec.mib) failed (\(status)): \(out)")
        }
        made[key] = [UInt8](data)
        return made[key]!
    }
}

/// Checks final disk contents against the pristine image.
public final class DiskChecker {
    /// The files mkdisk.sh puts on the volume that the fs workload never writes.
    public static let hostFiles = ["/big.bin", "/index.html", "/docs/A Long Directory Name/Nested File With A Long Name.txt"]
    static let fsck = "/usr/sbin/fsck.vfat"
    static let mcopy = "/usr/bin/mcopy"
    static let mtoolsEnvironment = ["MTOOLS_SKIP_CHECK": "1", "TZ": "UTC"]

    /// Are fsck.vfat and mtools installed?
    public static var toolsAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: fsck) && FileManager.default.isExecutableFile(atPath: mcopy)
    }

    let base: [UInt8]
    let directory: String
    /// The host files' pristine contents.
    let expected: [[UInt8]]

    /// `base` is the pristine image; its host files are read once here.
    public init(base: [UInt8]) throws(InjectError) {
        guard DiskChecker.toolsAvailable else { throw InjectError("the disk check needs \(DiskChecker.fsck) and \(DiskChecker.mcopy)") }
        self.base = base
        directory = NSTemporaryDirectory() + "nooks-inject-check-\(getpid())-\(UUID().uuidString)"
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw InjectError("\(directory): \(error)")
        }
        guard let files = DiskChecker.hostFiles(base, directory: directory).files, files.allSatisfy({ $0 != nil }) else {
            throw InjectError("the pristine image lacks mkdisk.sh's files (\(DiskChecker.hostFiles))")
        }
        expected = files.map { $0! }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `image` to a file in `directory` and copies the host files out of it
    /// (nil where a file could not be read); files nil if the image could not be written.
    static func hostFiles(_ image: [UInt8], directory: String) -> (files: [[UInt8]?]?, output: String) {
        let img = directory + "/disk.img", out = directory + "/files"
        try? FileManager.default.removeItem(atPath: out)
        guard FileManager.default.createFile(atPath: img, contents: Data(image)),
              (try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)) != nil else {
            return (nil, "cannot write \(img)")
        }
        var args = ["-n", "-i", img]
        args += hostFiles.map { "::" + $0 } + [out]
        // mcopy copies what it can and names the rest; the files land under their base names.
        let (_, text) = runTool(mcopy, args, environment: mtoolsEnvironment)
        let files = hostFiles.map { f -> [UInt8]? in
            let name = out + "/" + (f as NSString).lastPathComponent
            return FileManager.default.contents(atPath: name).map { [UInt8]($0) }
        }
        return (files, text)
    }

    /// fsck.fat's first complaint, one line: the paths and their indented explanation joined
    /// ("/BIG.BIN and /SRC: share clusters."), or a message.
    static func firstComplaint(_ output: String, image: String) -> String? {
        let lines = output.split(separator: "\n").map(String.init).filter {
            !$0.hasPrefix("fsck.fat ") && !$0.hasPrefix(image) && !$0.hasPrefix("Leaving filesystem")
                && !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        guard !lines.isEmpty else { return nil }
        let heads = lines.prefix { !$0.hasPrefix(" ") }.prefix(3).map { $0.trimmingCharacters(in: .whitespaces) }
        var first = heads.joined(separator: " ")
        if heads.count < lines.count, lines[heads.count].hasPrefix(" ") {
            first += ": " + lines[heads.count].trimmingCharacters(in: .whitespaces)
        }
        while first.contains("  ") { first = first.replacingOccurrences(of: "  ", with: " ") }
        first = first.replacingOccurrences(of: image, with: "IMG")
        return first.count > 160 ? String(first.prefix(157)) + "..." : first
    }

    /// The base image with `dirty` sectors written over it.
    public func contents(dirty: [UInt64: [UInt8]]) -> [UInt8] {
        var image = base
        for (sector, bytes) in dirty {
            let at = Int(sector) * blockSectorSize
            image.replaceSubrange(at..<at + bytes.count, with: bytes)
        }
        return image
    }

    /// The verdict for the base image with `dirty` sectors written over it.
    public func check(dirty: [UInt64: [UInt8]]) -> DiskVerdict {
        let image = contents(dirty: dirty)
        let (files, mcopyOutput) = DiskChecker.hostFiles(image, directory: directory)
        guard let files else { return DiskVerdict(damaged: true, reason: "check failed: \(mcopyOutput)") }
        let img = directory + "/disk.img"
        defer { try? FileManager.default.removeItem(atPath: img) }
        let (status, fsckOutput) = runTool(DiskChecker.fsck, ["-n", img])
        var problems: [String] = []
        if status != 0 {
            problems.append("fsck: " + (DiskChecker.firstComplaint(fsckOutput, image: img) ?? "status \(status)"))
        }
        for (i, f) in files.enumerated() where f != expected[i] {
            problems.append(f == nil ? "\(DiskChecker.hostFiles[i]) unreadable" : "\(DiskChecker.hostFiles[i]) differs")
        }
        return problems.isEmpty ? DiskVerdict(damaged: false, reason: "clean")
                                : DiskVerdict(damaged: true, reason: problems.joined(separator: "; "))
    }
}
