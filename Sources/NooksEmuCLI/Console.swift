// Host-side output helpers: stderr lines and number formatting for reports.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Write a line to stderr.
func printError(_ s: String) {
    fflush(nil)
    let line = Array((s + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}

/// 1234567 -> "1,234,567".
func grouped<T: BinaryInteger>(_ v: T) -> String {
    let s = String(v)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
        if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}

/// Fixed-point formatting without Foundation: `fixed(3.14159, 2)` -> "3.14".
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    let whole = Int(r / scale)
    let frac = Int(r.truncatingRemainder(dividingBy: scale))
    var f = String(frac)
    while f.count < digits { f = "0" + f }
    return (v < 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
}
