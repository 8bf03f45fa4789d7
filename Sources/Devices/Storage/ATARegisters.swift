// ATARegisters: the ATA task-file layout of one legacy IDE channel (primary:
// 0x1F0-0x1F7 and 0x3F6, IRQ 14), its bit fields and the command opcodes the
// disk model accepts, as in the ATA/ATAPI-6 specification and QEMU's hw/ide.
//
//   port   read                        write
//   +0     data (16/32-bit PIO)        data
//   +1     error                       features
//   +2     sector count                sector count
//   +3     LBA low  (sector number)    LBA low
//   +4     LBA mid  (cylinder low)     LBA mid
//   +5     LBA high (cylinder high)    LBA high
//   +6     device/head                 device/head
//   +7     status (clears INTRQ)       command
//   ctl    alternate status            device control
//
//   status        7    6    5    4    3    2    1    0
//               BSY DRDY  DF  DSC  DRQ CORR IDX  ERR
//   error         7    6    5    4    3    2    1    0
//                 -  UNC   -  IDNF   -  ABRT   -    -     (after reset: diagnostic code, 01 = passed)
//   device/head   7    6    5    4    3..0
//                 1   LBA   1   DEV  head, or LBA bits 27:24
//   device ctl    7    6..3      2     1    0
//                HOB   -       SRST  nIEN   -
//
// With LBA48 each of features/count/LBA low/mid/high is a two-deep FIFO: a
// write pushes the previous value into the "high order byte" (HOB) copy, and
// reads return the HOB copy while device-control HOB is set.

/// Bits and opcodes of the ATA task file. See the file comment for the layout.
public enum ATA {
    public enum Reg {
        public static let data: UInt16 = 0, error: UInt16 = 1, features: UInt16 = 1
        public static let sectorCount: UInt16 = 2, lbaLow: UInt16 = 3, lbaMid: UInt16 = 4
        public static let lbaHigh: UInt16 = 5, device: UInt16 = 6, status: UInt16 = 7, command: UInt16 = 7
    }

    public enum Status {
        public static let bsy: UInt8 = 0x80, drdy: UInt8 = 0x40, df: UInt8 = 0x20, dsc: UInt8 = 0x10
        public static let drq: UInt8 = 0x08, corr: UInt8 = 0x04, idx: UInt8 = 0x02, err: UInt8 = 0x01
    }

    public enum ErrorBit {
        public static let unc: UInt8 = 0x40, idnf: UInt8 = 0x10, abrt: UInt8 = 0x04
        /// Diagnostic code after reset or EXECUTE DEVICE DIAGNOSTIC: device 0 passed.
        public static let diagnosticPassed: UInt8 = 0x01
    }

    public enum Device {
        public static let lba: UInt8 = 0x40, dev: UInt8 = 0x10, obsolete: UInt8 = 0xA0
    }

    public enum Control {
        public static let hob: UInt8 = 0x80, srst: UInt8 = 0x04, nIEN: UInt8 = 0x02
    }

    public enum Command {
        public static let nop: UInt8 = 0x00
        public static let recalibrate: ClosedRange<UInt8> = 0x10...0x1F
        public static let readSectors: UInt8 = 0x20, readSectorsNoRetry: UInt8 = 0x21
        public static let readSectorsExt: UInt8 = 0x24, readNativeMaxExt: UInt8 = 0x27, readMultipleExt: UInt8 = 0x29
        public static let writeSectors: UInt8 = 0x30, writeSectorsNoRetry: UInt8 = 0x31
        public static let writeSectorsExt: UInt8 = 0x34, writeMultipleExt: UInt8 = 0x39
        public static let readVerify: UInt8 = 0x40, readVerifyNoRetry: UInt8 = 0x41, readVerifyExt: UInt8 = 0x42
        public static let seek: UInt8 = 0x70
        public static let executeDiagnostic: UInt8 = 0x90, initializeParameters: UInt8 = 0x91
        public static let identifyPacket: UInt8 = 0xA1
        public static let readDMA: UInt8 = 0xC8, readDMANoRetry: UInt8 = 0xC9
        public static let writeDMA: UInt8 = 0xCA, writeDMANoRetry: UInt8 = 0xCB
        public static let readDMAExt: UInt8 = 0x25, writeDMAExt: UInt8 = 0x35
        public static let readMultiple: UInt8 = 0xC4, writeMultiple: UInt8 = 0xC5, setMultiple: UInt8 = 0xC6
        public static let standbyImmediate: UInt8 = 0xE0, idleImmediate: UInt8 = 0xE1
        public static let standby: UInt8 = 0xE2, idle: UInt8 = 0xE3, checkPowerMode: UInt8 = 0xE5, sleep: UInt8 = 0xE6
        public static let flushCache: UInt8 = 0xE7, flushCacheExt: UInt8 = 0xEA
        public static let identify: UInt8 = 0xEC, setFeatures: UInt8 = 0xEF, readNativeMax: UInt8 = 0xF8
    }

    /// SET FEATURES subcommands (features register) the model accepts, as QEMU does.
    public static let acceptedFeatures: Set<UInt8> = [
        0x02, 0x82,   // enable / disable write cache
        0x03,         // set transfer mode
        0x42, 0xC2,   // enable / disable automatic acoustic management
        0x55, 0xAA,   // disable / enable read look-ahead
        0x66, 0xCC,   // keep / revert to power-on defaults
        0x05, 0x85,   // advanced power management on / off
    ]

    /// Largest DRQ block of READ/WRITE MULTIPLE (QEMU's MAX_MULT_SECTORS).
    public static let maxMultipleSectors = 16
}
