// SlirpOptions: the settings of user-mode networking (`--net user,...`) and
// their parser, QEMU's `-netdev user` syntax restricted to what nooks-emu
// allows: host forwards bound to 127.0.0.1 only, into the guest's 10.0.2.0/24.
//
//   user[,hostfwd=PROTO:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT]...
//     PROTO      tcp | udp (default tcp when empty)
//     HOSTADDR   127.0.0.1 (the default; nothing else is accepted)
//     GUESTADDR  10.0.2.x (default 10.0.2.15, the first DHCP address)

/// One port forward from the host's loopback into the guest.
public struct SlirpHostForward: Equatable, Sendable, Codable, CustomStringConvertible {
    public var udp: Bool
    public var hostPort: UInt16
    /// Guest address, host byte order (10.0.2.x).
    public var guestAddress: IPv4Address
    public var guestPort: UInt16

    public init(udp: Bool = false, hostPort: UInt16, guestAddress: IPv4Address = SlirpOptions.guestAddress, guestPort: UInt16) {
        self.udp = udp
        self.hostPort = hostPort
        self.guestAddress = guestAddress
        self.guestPort = guestPort
    }

    public var description: String {
        "\(udp ? "udp" : "tcp"):127.0.0.1:\(hostPort)-\(guestAddress):\(guestPort)"
    }
}

/// User-mode networking settings (QEMU's defaults: 10.0.2.0/24, host 10.0.2.2,
/// DNS 10.0.2.3, DHCP from 10.0.2.15).
public struct SlirpOptions: Equatable, Sendable, Codable {
    public static let network = IPv4Address(10, 0, 2, 0)
    public static let netmask = IPv4Address(255, 255, 255, 0)
    public static let host = IPv4Address(10, 0, 2, 2)
    public static let nameserver = IPv4Address(10, 0, 2, 3)
    public static let guestAddress = IPv4Address(10, 0, 2, 15)

    public var forwards: [SlirpHostForward] = []
    public init(forwards: [SlirpHostForward] = []) { self.forwards = forwards }

    /// Parses the part after `user` (a comma-separated list, possibly empty).
    public static func parse(_ spec: String) throws(SlirpOptionError) -> SlirpOptions {
        var o = SlirpOptions()
        for item in spec.split(separator: ",", omittingEmptySubsequences: true) {
            guard item.hasPrefix("hostfwd=") else { throw .unknownOption(String(item)) }
            o.forwards.append(try parseForward(String(item.dropFirst("hostfwd=".count))))
        }
        return o
    }

    static func parseForward(_ s: String) throws(SlirpOptionError) -> SlirpHostForward {
        let bad = SlirpOptionError.badForward(s)
        let halves = s.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2 else { throw bad }
        let host = halves[0].split(separator: ":", omittingEmptySubsequences: false)
        let guest = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard host.count == 3, guest.count == 2 else { throw bad }
        let udp: Bool
        switch host[0] {
        case "", "tcp": udp = false
        case "udp": udp = true
        default: throw bad
        }
        guard host[1].isEmpty || host[1] == "127.0.0.1" else { throw .hostAddressNotLoopback(String(host[1])) }
        guard let hp = UInt16(host[2]), hp > 0, let gp = UInt16(guest[1]), gp > 0 else { throw bad }
        var ga = guestAddress
        if !guest[0].isEmpty {
            guard let a = dotted(String(guest[0])), a.value & netmask.value == network.value else {
                throw .guestAddressOutsideNetwork(String(guest[0]))
            }
            ga = a
        }
        return SlirpHostForward(udp: udp, hostPort: hp, guestAddress: ga, guestPort: gp)
    }
}

/// A `--net user,...` option that cannot be used.
public enum SlirpOptionError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownOption(String)
    case badForward(String)
    case hostAddressNotLoopback(String)
    case guestAddressOutsideNetwork(String)

    public var description: String {
        switch self {
        case .unknownOption(let s): return "unknown user-network option '\(s)' (only hostfwd=... is supported)"
        case .badForward(let s): return "bad hostfwd '\(s)' (expected tcp:127.0.0.1:HOSTPORT-:GUESTPORT)"
        case .hostAddressNotLoopback(let s): return "hostfwd host address '\(s)': only 127.0.0.1 is allowed"
        case .guestAddressOutsideNetwork(let s): return "hostfwd guest address '\(s)' is not in 10.0.2.0/24"
        }
    }
}

extension SlirpOptions {
    /// "a.b.c.d" with four decimal parts 0...255, else nil.
    static func dotted(_ s: String) -> IPv4Address? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard p.count <= 3, let n = UInt8(p) else { return nil }
            v = v << 8 | UInt32(n)
        }
        return IPv4Address(v)
    }
}
