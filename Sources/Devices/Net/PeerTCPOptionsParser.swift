// PeerTCPOptionsParser: the `--net peer,...` syntax for the LAN peer's TCP
// endpoints (NetPeerTCP.swift) and its errors.
//
//   peer[,tcp-sink=PORT|off][,tcp-source=PORT:BYTES]
//     tcp-sink    the discard server's port (default 5001), or off
//     tcp-source  connect to the guest's PORT and send BYTES of the stream
//                 pattern (decimal, optionally with K, M or G: binary units)

/// A bad `--net peer,...` item.
public enum PeerTCPOptionError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownOption(String)
    case badPort(String)
    case badSource(String)

    public var description: String {
        switch self {
        case .unknownOption(let o):
            return "unknown peer option '\(o)' (expected tcp-sink=PORT|off or tcp-source=PORT:BYTES)"
        case .badPort(let p): return "tcp-sink port must be 1-65535 or 'off' (got '\(p)')"
        case .badSource(let s):
            return "tcp-source must be PORT:BYTES with PORT 1-65535 and BYTES a positive count like 1048576 or 1M (got '\(s)')"
        }
    }
}

extension PeerTCPOptions {
    /// Parses the part after `peer` (a comma-separated list, possibly empty).
    public static func parse(_ spec: String) throws(PeerTCPOptionError) -> PeerTCPOptions {
        var o = PeerTCPOptions()
        for item in spec.split(separator: ",", omittingEmptySubsequences: true) {
            if item.hasPrefix("tcp-sink=") {
                let value = String(item.dropFirst("tcp-sink=".count))
                if value == "off" {
                    o.sinkPort = nil
                } else {
                    guard let port = parsePort(value) else { throw .badPort(value) }
                    o.sinkPort = port
                }
            } else if item.hasPrefix("tcp-source=") {
                o.source = try parseSource(String(item.dropFirst("tcp-source=".count)))
            } else {
                throw .unknownOption(String(item))
            }
        }
        return o
    }

    static func parseSource(_ s: String) throws(PeerTCPOptionError) -> PeerTCPSource {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = parsePort(String(parts[0])), let bytes = parseByteCount(String(parts[1])) else {
            throw .badSource(s)
        }
        return PeerTCPSource(guestPort: port, bytes: bytes)
    }

    static func parsePort(_ s: String) -> UInt16? {
        guard s.allSatisfy(\.isASCII), let p = UInt16(s), p != 0 else { return nil }
        return p
    }

    /// "1048576", "256K", "1M", "2G"; nil for zero, junk or overflow.
    static func parseByteCount(_ s: String) -> UInt64? {
        let shifts: [Character: UInt64] = ["K": 10, "k": 10, "M": 20, "m": 20, "G": 30, "g": 30]
        var digits = Substring(s), shift: UInt64 = 0
        if let last = s.last, let sh = shifts[last] {
            digits = s.dropLast()
            shift = sh
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(digits), n > 0,
              n <= UInt64.max >> shift else { return nil }
        return n << shift
    }
}
