# x86enc.py — a tiny i386 instruction encoder for the differential-test vector generator
# (scripts/gen-vectors/gen_vectors.py). It knows only what the generator needs: ModRM/SIB
# memory operands with 8- or 32-bit displacements, register operands, little-endian
# immediates and the 0x66 operand-size prefix. 32-bit addressing only.

import struct

EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI = range(8)
REG32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"]
REG16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"]
REG8 = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]

MASK = {8: 0xFF, 16: 0xFFFF, 32: 0xFFFFFFFF}


def le(value, size):
    """Little-endian bytes of `value` truncated to `size` bytes."""
    return (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


def imm(value, width):
    return le(value, width // 8)


def opsize(width):
    """0x66 prefix for 16-bit operations in a 32-bit code segment."""
    return b"\x66" if width == 16 else b""


def sx(value, width):
    """Sign-extend `value` of `width` bits to a Python int."""
    value &= (1 << width) - 1
    return value - (1 << width) if value >> (width - 1) else value


class Mem:
    """A 32-bit memory operand: [base + index*scale + disp].

    dsz forces the displacement size (0, 1 or 4 bytes); None picks the shortest legal one.
    force_sib encodes a base-only operand through a SIB byte with no index (index field 100).
    """

    def __init__(self, base=None, index=None, scale=1, disp=0, dsz=None, force_sib=False):
        assert index != ESP, "ESP cannot be an index"
        assert scale in (1, 2, 4, 8)
        self.base, self.index, self.scale, self.disp = base, index, scale, disp
        self.dsz, self.force_sib = dsz, force_sib

    def regs_used(self):
        return {r for r in (self.base, self.index) if r is not None}

    def ea(self, regs):
        a = self.disp
        if self.base is not None:
            a += regs[self.base]
        if self.index is not None:
            a += regs[self.index] * self.scale
        return a & 0xFFFFFFFF

    def encode(self, regfield):
        reg = (regfield & 7) << 3
        disp = self.disp
        if self.base is None and self.index is None and not self.force_sib:
            return bytes([0x05 | reg]) + le(disp, 4)
        dsz = self.dsz
        if self.base is None:
            dsz = 4  # SIB base=101 with mod=00: disp32, no base
            mod = 0
        else:
            if dsz is None:
                s = disp - (1 << 32) if disp >= 1 << 31 else disp
                if s == 0 and self.base != EBP:
                    dsz = 0
                elif -128 <= s <= 127:
                    dsz = 1
                else:
                    dsz = 4
            assert not (dsz == 0 and self.base == EBP), "mod=00 with EBP base means disp32"
            mod = {0: 0, 1: 1, 4: 2}[dsz]
        if self.index is None and self.base is not None and self.base != ESP and not self.force_sib:
            out = bytes([(mod << 6) | reg | self.base])
        else:
            ss = {1: 0, 2: 1, 4: 2, 8: 3}[self.scale]
            idx = 4 if self.index is None else self.index
            b = 5 if self.base is None else self.base
            out = bytes([(mod << 6) | reg | 4, (ss << 6) | (idx << 3) | b])
        return out + (le(disp, dsz) if dsz else b"")

    def __str__(self):
        parts = []
        if self.base is not None:
            parts.append(REG32[self.base])
        if self.index is not None:
            parts.append("%s*%d" % (REG32[self.index], self.scale))
        if self.disp or not parts:
            parts.append("0x%x" % (self.disp & 0xFFFFFFFF))
        return "[" + "+".join(parts) + "]"


def modrm(regfield, rm):
    """ModRM bytes for a register field and an r/m operand (int register or Mem)."""
    if isinstance(rm, Mem):
        return rm.encode(regfield)
    return bytes([0xC0 | ((regfield & 7) << 3) | (rm & 7)])
