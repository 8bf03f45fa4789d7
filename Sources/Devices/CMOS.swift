// CMOS: the MC146818 RTC and CMOS RAM at ports 0x70 (index, NMI mask) and 0x71
// (data). The clock shows a FIXED date (the epoch given at init), never the host
// clock, so every run of an image sees the same time.

/// The PC's CMOS RAM and real-time clock, frozen at a fixed date.
///
/// Port 0x70 (write): bits 0–6 select one of 128 bytes, bit 7 = 1 masks NMI
/// (see ``nmiMasked``); reads as 0xFF. Port 0x71: the selected byte.
///
/// The time registers (0x00 seconds … 0x09 year, 0x32 century) start as the
/// `date` in BCD, 24-hour (status B = 0x02) and do not advance; a guest may
/// write them and reads back what it wrote. Status A reads 0x26 with UIP
/// (bit 7) always 0, so "wait for the update to finish" loops end at once;
/// status C reads 0 (no RTC interrupts: IRQ 8 is never raised); status D
/// reads 0x80 (battery good). Both are read-only. The rest is plain RAM
/// the machine may preset with ``setByte(_:_:)`` (e.g. memory sizes).
public final class CMOS: PortDevice {
    /// A calendar date and time for the frozen clock.
    public struct DateTime: Equatable, Sendable, Codable {
        public var year: Int, month: Int, day: Int
        public var hour: Int, minute: Int, second: Int

        public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
            self.year = year; self.month = month; self.day = day
            self.hour = hour; self.minute = minute; self.second = second
        }

        /// 2000-01-01 00:00:00, a Saturday.
        public static let defaultEpoch = DateTime(year: 2000, month: 1, day: 1)

        /// Day of the week, 1 = Sunday … 7 = Saturday (the RTC's numbering).
        var weekday: Int {
            // Sakamoto's congruence, on a proleptic Gregorian calendar.
            let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
            let m = min(max(month, 1), 12)
            let clampedYear = min(max(year, 1), 9999)
            let y = m < 3 ? clampedYear - 1 : clampedYear
            let d = y + y / 4 - y / 100 + y / 400 + offsets[m - 1] + min(max(day, 1), 31)
            return ((d % 7) + 7) % 7 + 1
        }
    }

    private var ram = [UInt8](repeating: 0, count: 128)
    private var index: UInt8 = 0
    /// Port 0x70 bit 7 as last written: NMI masked.
    public private(set) var nmiMasked = false

    public init(date: DateTime = .defaultEpoch) {
        func bcd(_ value: Int) -> UInt8 {
            let v = ((value % 100) + 100) % 100
            return UInt8((v / 10) << 4 | v % 10)
        }
        ram[0x00] = bcd(date.second)
        ram[0x02] = bcd(date.minute)
        ram[0x04] = bcd(date.hour)
        ram[0x06] = bcd(date.weekday)
        ram[0x07] = bcd(date.day)
        ram[0x08] = bcd(date.month)
        ram[0x09] = bcd(date.year)
        ram[0x32] = bcd(date.year / 100)
        ram[0x0A] = 0x26
        ram[0x0B] = 0x02
        ram[0x0D] = 0x80
    }

    /// Presets CMOS byte `index` (0–127; higher bits ignored), bypassing the
    /// read-only rules. For the machine, not the guest.
    public func setByte(_ index: UInt8, _ value: UInt8) {
        ram[Int(index & 0x7F)] = value
    }

    /// CMOS byte `index` (0–127; higher bits ignored) as stored.
    public func byte(_ index: UInt8) -> UInt8 {
        ram[Int(index & 0x7F)]
    }

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.readBytes(port: port, size: size) { port in
            guard port == 0x71 else { return 0xFF }
            switch index {
            case 0x0A: return ram[0x0A] & 0x7F  // UIP never set
            case 0x0C: return 0                 // no interrupt flags
            default: return ram[Int(index)]
            }
        }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        PortAccess.writeBytes(port: port, size: size, value: value) { port, byte in
            switch port {
            case 0x70:
                index = byte & 0x7F
                nmiMasked = byte & 0x80 != 0
            case 0x71:
                switch index {
                case 0x0C, 0x0D: break               // read-only
                case 0x0A: ram[0x0A] = byte & 0x7F   // UIP is read-only
                default: ram[Int(index)] = byte
                }
            default:
                break
            }
        }
    }

    // MARK: Snapshot

    public struct Snapshot: Equatable, Sendable, Codable {
        /// The 128 bytes.
        public var ram: [UInt8]
        public var index: UInt8
        public var nmiMasked: Bool
    }

    public func snapshot() -> Snapshot { Snapshot(ram: ram, index: index, nmiMasked: nmiMasked) }

    /// Restores the state; a RAM image of the wrong length is truncated or zero-padded.
    public func restore(_ snapshot: Snapshot) {
        var restored = Array(snapshot.ram.prefix(128))
        restored += [UInt8](repeating: 0, count: 128 - restored.count)
        ram = restored
        index = snapshot.index & 0x7F
        nmiMasked = snapshot.nmiMasked
    }
}

extension CMOS: SnapshotCapable {}
