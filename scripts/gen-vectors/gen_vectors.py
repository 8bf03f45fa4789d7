#!/usr/bin/env python3
# gen_vectors.py — generates the golden instruction vectors for nooks-emu's differential test
# (Tests/CoreTests/DifferentialTests.swift). Each vector is a short i386 code snippet (1–4
# instructions) with random initial registers, EFLAGS and data memory; the expected results
# come from an independent emulator, Unicorn (PyPI `unicorn`, a QEMU TCG derivative), run in
# 32-bit flat mode with no paging. Flags the Intel SDM leaves undefined are masked out per
# vector (`flagsMask` = the defined ones), and so are undefined destination registers
# (`regsMask`).
#
# Deterministic: a fixed seed per group, so
#     python3 scripts/gen-vectors/gen_vectors.py --out Tests/CoreTests/Vectors
# regenerates the committed JSON byte-identically. `--check DIR` regenerates in memory and
# compares with DIR; `--verify DIR` replays every stored vector in Unicorn and compares.
#
# Memory layout of every vector: code at 0x1000, data windows in 0x2000–0x2FFF, stack window
# around ESP≈0x8000; the whole 0x0–0xFFFF is RAM. Everything outside the windows and the code
# is zero before and must be zero after.

import argparse
import json
import os
import random
import sys
import zlib

from unicorn import (Uc, UcError, UC_ARCH_X86, UC_MODE_32, UC_PROT_ALL, UC_HOOK_INTR, UC_HOOK_CODE,
                     UC_ERR_INSN_INVALID)
from unicorn import x86_const as X

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from x86enc import (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, REG32, REG16, REG8, MASK,  # noqa: E402
                    Mem, imm, le, modrm, opsize, sx)

SEED = 0x1D0C5  # fixed: changing it rewrites every vector
CODE = 0x1000
DATA = 0x2000
STACK_WIN = 0x7FC0
RAM = 0x10000

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
IF_, DF = 0x200, 0x400
STATUS = CF | PF | AF | ZF | SF | OF
ALWAYS = IF_ | DF  # never changed by the instructions tested here (except popfd), always compared

UREGS = [X.UC_X86_REG_EAX, X.UC_X86_REG_ECX, X.UC_X86_REG_EDX, X.UC_X86_REG_EBX,
         X.UC_X86_REG_ESP, X.UC_X86_REG_EBP, X.UC_X86_REG_ESI, X.UC_X86_REG_EDI]

EDGE = {
    8: [0, 1, 0x7F, 0x80, 0xFF, 0xFE, 0x81],
    16: [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x8001, 0xFFFE],
    32: [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
         0x80000001, 0xFFFFFFFE],
}

CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
CC_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF,
            ZF | SF | OF, ZF | SF | OF]


class GenError(Exception):
    pass


# --------------------------------------------------------------------------- oracle


def run_unicorn(code, regs, eflags, windows, count, control, rep):
    """Runs `code` at CODE in a fresh Unicorn and returns the final machine state.

    Straight-line snippets run until EIP reaches the end of the code; control-flow snippets
    (control=True) run exactly `count` instructions. An exception stops the run in the
    interrupt hook with EIP at the faulting instruction.
    """
    uc = Uc(UC_ARCH_X86, UC_MODE_32)
    uc.mem_map(0, RAM, UC_PROT_ALL)
    image = bytearray(RAM)
    image[CODE:CODE + len(code)] = code
    for addr, data in windows:
        image[addr:addr + len(data)] = data
    uc.mem_write(0, bytes(image))
    for r, v in zip(UREGS, regs):
        uc.reg_write(r, v)
    uc.reg_write(X.UC_X86_REG_EFLAGS, eflags)
    state = {"exc": None, "steps": 0}

    def on_intr(u, intno, _):
        state["exc"] = (intno, [u.reg_read(r) for r in UREGS], u.reg_read(X.UC_X86_REG_EIP),
                        u.reg_read(X.UC_X86_REG_EFLAGS))
        u.emu_stop()

    def on_code(u, address, size, _):
        state["steps"] += 1

    uc.hook_add(UC_HOOK_INTR, on_intr)
    uc.hook_add(UC_HOOK_CODE, on_code)
    try:
        if control:
            uc.emu_start(CODE, 0x100000, 0, count)
        else:
            uc.emu_start(CODE, CODE + len(code))
    except UcError as e:
        if e.errno != UC_ERR_INSN_INVALID:
            raise GenError("unicorn error: %s" % e)
        # Unicorn reports #UD as an error, with EIP at the faulting instruction.
        state["exc"] = (6, [uc.reg_read(r) for r in UREGS], uc.reg_read(X.UC_X86_REG_EIP),
                        uc.reg_read(X.UC_X86_REG_EFLAGS))
    if state["exc"] is not None:
        exc, fregs, eip, efl = state["exc"]
    else:
        exc = None
        fregs = [uc.reg_read(r) for r in UREGS]
        eip = uc.reg_read(X.UC_X86_REG_EIP)
        efl = uc.reg_read(X.UC_X86_REG_EFLAGS)
    mem = uc.mem_read(0, RAM)
    # Nothing outside the windows may change.
    inside = bytearray(RAM)
    for addr, data in windows:
        inside[addr:addr + len(data)] = b"\x01" * len(data)
    for a in range(RAM):
        if mem[a] != image[a] and not inside[a]:
            raise GenError("write outside the windows at 0x%x" % a)
    after = [(addr, bytes(mem[addr:addr + len(data)])) for addr, data in windows]
    return {"regs": fregs, "eip": eip, "eflags": efl, "exc": exc, "mem": after,
            "steps": state["steps"]}


# --------------------------------------------------------------------------- vector building


class State:
    """The initial machine state of one vector under construction."""

    def __init__(self, g):
        self.g = g
        self.regs = [g.rng.getrandbits(32) for _ in range(8)]
        self.eflags = 0x2 | (g.rng.getrandbits(12) & STATUS)
        self.windows = []  # [addr, bytearray]
        self.used = set()  # full registers already given a role

    def window(self, addr=DATA, size=64):
        self.windows.append([addr, bytearray(self.g.rng.getrandbits(8) for _ in range(size))])
        return addr

    def poke(self, addr, value, size):
        for w in self.windows:
            if w[0] <= addr and addr + size <= w[0] + len(w[1]):
                w[1][addr - w[0]:addr - w[0] + size] = le(value, size)
                return
        raise GenError("poke outside windows")

    def peek(self, addr, size):
        for w in self.windows:
            if w[0] <= addr and addr + size <= w[0] + len(w[1]):
                return int.from_bytes(w[1][addr - w[0]:addr - w[0] + size], "little")
        raise GenError("peek outside windows")

    def set(self, r, width, v):
        """Writes a register operand: r is a 32-bit register number, or for width 8 an
        8-bit register number (al..bh)."""
        v &= MASK[width]
        if width == 32:
            self.regs[r] = v
        elif width == 16:
            self.regs[r] = (self.regs[r] & 0xFFFF0000) | v
        elif r < 4:
            self.regs[r] = (self.regs[r] & 0xFFFFFF00) | v
        else:
            self.regs[r - 4] = (self.regs[r - 4] & 0xFFFF00FF) | (v << 8)

    def get(self, r, width):
        if width == 8 and r >= 4:
            return (self.regs[r - 4] >> 8) & 0xFF
        return self.regs[r] & MASK[width]


def full(r, width):
    return r - 4 if width == 8 and r >= 4 else r


class Group:
    def __init__(self, name):
        self.name = name
        self.rng = random.Random(SEED ^ zlib.crc32(name.encode()))
        self.vectors = []
        self.names = {}

    # ---- random operand helpers

    def val(self, width):
        r = self.rng.random()
        if r < 0.4:
            return self.rng.choice(EDGE[width])
        if r < 0.5:
            return self.rng.randrange(0, 17)
        if r < 0.6:
            return (-self.rng.randrange(1, 17)) & MASK[width]
        return self.rng.getrandbits(width)

    def reg(self, st, width, avoid=(), allow_esp=True):
        """Picks a register operand (8-bit numbering for width 8) whose full register has no
        role yet, and marks it used."""
        cands = [r for r in range(8)
                 if full(r, width) not in st.used and full(r, width) not in avoid
                 and (allow_esp or full(r, width) != ESP)]
        if not cands:
            raise GenError("no free register")
        r = self.rng.choice(cands)
        st.used.add(full(r, width))
        return r

    def mem(self, st, target, avoid=(), form=None):
        """A random memory operand whose effective address is `target`; sets the base/index
        registers in `st` and marks them used."""
        rng = self.rng
        blocked = set(avoid) | st.used
        free = [r for r in range(8) if r not in blocked and r != ESP]
        forms = ["b", "bd8", "bd32", "bis", "bisd8", "bisd32", "isd32", "d32"]
        if ESP not in blocked:
            forms.append("espd8")
        form = form or rng.choice(forms)
        if len(free) < 2 and form not in ("d32", "espd8"):
            form = "d32"
        scale = rng.choice((1, 2, 4, 8))
        base = index = None
        dsz = None
        if form in ("b", "bd8", "bd32", "bis", "bisd8", "bisd32"):
            base = rng.choice(free)
        if form == "espd8":
            base, dsz = ESP, 1
        if form in ("bis", "bisd8", "bisd32", "isd32"):
            index = rng.choice([r for r in free if r != base])
        if form in ("b", "bis"):
            disp = 0
        elif form in ("bd8", "bisd8", "espd8"):
            disp, dsz = rng.randrange(-128, 128), 1
        elif form == "bd32" or form == "bisd32":
            disp, dsz = (rng.getrandbits(32) if rng.random() < 0.5 else rng.randrange(-4096, 4096)), 4
        else:
            disp = 0
        if base == EBP and dsz is None:
            dsz = 1
        m = Mem(base, index, scale if index is not None else 1, disp & 0xFFFFFFFF, dsz)
        iv = 0
        if index is not None:
            iv = rng.choice([rng.randrange(0, 16), (-rng.randrange(1, 9)) & 0xFFFFFFFF,
                             rng.getrandbits(32)])
            st.regs[index] = iv
        if base is not None:
            st.regs[base] = (target - disp - iv * m.scale) & 0xFFFFFFFF
        else:
            m.disp = (target - iv * m.scale) & 0xFFFFFFFF
        st.used |= m.regs_used()
        if m.ea(st.regs) != target & 0xFFFFFFFF:
            raise GenError("bad EA")
        return m

    # ---- emitting

    def emit(self, st, name, instrs, fmask, count=None, control=False, rep=False, rmask=0xFF,
             exc=None, any_exc=False, synthetic=None, oracle_code=None, fixed_count=False):
        code = b"".join(instrs)
        if count is None:
            count = len(instrs)
        windows = [(a, bytes(d)) for a, d in st.windows]
        if synthetic is not None:
            # The oracle cannot run this vector (see the note); the expected state is the
            # architectural one, written here: a fault at the first instruction, nothing changed.
            res = {"regs": list(st.regs), "eip": CODE, "eflags": st.eflags, "exc": exc,
                   "mem": windows, "steps": 1}
        else:
            run_code = code if oracle_code is None else oracle_code
            assert len(run_code) == len(code)
            res = run_unicorn(run_code, st.regs, st.eflags, windows, count, control, rep)
        got_exc = res["exc"]
        if not any_exc and got_exc != exc:
            raise GenError("%s: exception %r, expected %r (code %s)" % (name, got_exc, exc, code.hex()))
        if got_exc is not None:
            fmask = STATUS  # a fault leaves the state as it was before the faulting instruction
            if rep:
                raise GenError("fault in a rep vector")
        if not control and not rep:
            if got_exc is None and res["eip"] != CODE + len(code):
                raise GenError("%s: straight-line code ended at 0x%x" % (name, res["eip"]))
            if not fixed_count:
                count = res["steps"]  # includes a faulting instruction; follows forward branches
        n = self.names.get(name, 0)
        self.names[name] = n + 1
        v = {
            "name": "%s.%s.%d" % (self.name, name, n),
            "code": code.hex(),
            "count": count,
        }
        if rep:
            v["rep"] = True
        if synthetic is not None:
            v["note"] = synthetic
        if oracle_code is not None:
            v["oracleCode"] = oracle_code.hex()
        v["regs"] = list(st.regs)
        v["eflags"] = st.eflags
        if windows:
            v["mem"] = [{"addr": a, "hex": d.hex()} for a, d in windows]
        out = {"regs": res["regs"], "eip": res["eip"], "eflags": res["eflags"],
               "flagsMask": (fmask & STATUS) | ALWAYS}
        if rmask != 0xFF:
            out["regsMask"] = rmask
        if windows:
            out["mem"] = [{"addr": a, "hex": d.hex()} for a, d in res["mem"]]
        if got_exc is not None:
            out["exception"] = got_exc
        v["expect"] = out
        self.vectors.append(v)
        return res


# --------------------------------------------------------------------------- groups

ALU_OPS = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"]


def logic_mask(op):
    return STATUS & ~AF if op in ("or", "and", "xor", "test") else STATUS


def data_target(g, width, lo=0, size=64):
    return DATA + g.rng.randrange(lo, size - width // 8 + 1)


def gen_alu(g):
    for opi, op in enumerate(ALU_OPS):
        fm = logic_mask(op)
        for w in (8, 16, 32):
            forms = [("rm_r", "r"), ("rm_r", "m"), ("r_rm", "r"), ("r_rm", "m"),
                     ("rm_imm", "r"), ("rm_imm", "m"), ("acc_imm", "r")]
            if w != 8:
                forms += [("rm_imm8", "r"), ("rm_imm8", "m")]
            for form, kind in forms:
                n = 6 if kind == "r" else 3
                if form == "acc_imm":
                    n = 5
                for i in range(n):
                    alu_one(g, opi, op, w, form, kind, fm, same=(i == 0 and form == "rm_r" and kind == "r"))


def alu_one(g, opi, op, w, form, kind, fm, same=False):
    st = State(g)
    p = opsize(w)
    b8 = 0 if w == 8 else 1
    name = "%s%d.%s.%s" % (op, w, form, kind)
    if kind == "m":
        st.window()
        t = data_target(g, w)
        rm = g.mem(st, t)
        st.poke(t, g.val(w), w // 8)
    if form == "acc_imm":
        st.used.add(EAX)
        st.set(EAX, w, g.val(w))
        code = p + bytes([opi * 8 + 4 + b8]) + imm(g.val(w), w)
    elif form in ("rm_r", "r_rm"):
        a = g.reg(st, w)
        st.set(a, w, g.val(w))
        if kind == "r":
            rm = a if same else g.reg(st, w)
            if not same:
                st.set(rm, w, g.val(w))
        opc = opi * 8 + (0 if form == "rm_r" else 2) + b8
        code = p + bytes([opc]) + modrm(a, rm)
    elif form == "rm_imm":
        if kind == "r":
            rm = g.reg(st, w)
            st.set(rm, w, g.val(w))
        code = p + bytes([0x80 if w == 8 else 0x81]) + modrm(opi, rm) + imm(g.val(w), w)
    elif form == "rm_imm8":
        if kind == "r":
            rm = g.reg(st, w)
            st.set(rm, w, g.val(w))
        code = p + b"\x83" + modrm(opi, rm) + imm(g.val(8), 8)
    g.emit(st, name, [code], fm)


def gen_unary(g):
    rng = g.rng
    for op, short in (("inc", 0x40), ("dec", 0x48)):
        sub = 0 if op == "inc" else 1
        for w in (16, 32):
            for _ in range(5):
                st = State(g)
                r = g.reg(st, w)
                st.set(r, w, g.val(w))
                g.emit(st, "%s%d.short" % (op, w), [opsize(w) + bytes([short + r])], STATUS)
        for w in (8, 16, 32):
            for kind in ("r", "m"):
                for _ in range(5 if kind == "r" else 3):
                    st = State(g)
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                        st.poke(t, g.val(w), w // 8)
                    else:
                        rm = g.reg(st, w)
                        st.set(rm, w, g.val(w))
                    opc = 0xFE if w == 8 else 0xFF
                    g.emit(st, "%s%d.rm.%s" % (op, w, kind), [opsize(w) + bytes([opc]) + modrm(sub, rm)], STATUS)
    for op, sub in (("not", 2), ("neg", 3)):
        for w in (8, 16, 32):
            for kind in ("r", "m"):
                for _ in range(5 if kind == "r" else 3):
                    st = State(g)
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                        st.poke(t, g.val(w), w // 8)
                    else:
                        rm = g.reg(st, w)
                        st.set(rm, w, g.val(w))
                    opc = 0xF6 if w == 8 else 0xF7
                    g.emit(st, "%s%d.%s" % (op, w, kind), [opsize(w) + bytes([opc]) + modrm(sub, rm)], STATUS)
    del rng


def gen_test(g):
    fm = logic_mask("test")
    for w in (8, 16, 32):
        p = opsize(w)
        b8 = 0 if w == 8 else 1
        for form, kind in (("rm_r", "r"), ("rm_r", "m"), ("acc_imm", "r"), ("rm_imm", "r"), ("rm_imm", "m")):
            for i in range(5 if kind == "r" else 3):
                st = State(g)
                if kind == "m":
                    st.window()
                    t = data_target(g, w)
                    rm = g.mem(st, t)
                    st.poke(t, g.val(w), w // 8)
                if form == "acc_imm":
                    st.used.add(EAX)
                    st.set(EAX, w, g.val(w))
                    code = p + bytes([0xA8 + b8]) + imm(g.val(w), w)
                elif form == "rm_r":
                    a = g.reg(st, w)
                    st.set(a, w, g.val(w))
                    if kind == "r":
                        rm = a if i == 0 else g.reg(st, w)
                        if i:
                            st.set(rm, w, g.val(w))
                    code = p + bytes([0x84 + b8]) + modrm(a, rm)
                else:
                    if kind == "r":
                        rm = g.reg(st, w)
                        st.set(rm, w, g.val(w))
                    code = p + bytes([0xF6 + b8]) + modrm(0, rm) + imm(g.val(w), w)
                g.emit(st, "test%d.%s.%s" % (w, form, kind), [code], fm)


SHIFTS = [("rol", 0), ("ror", 1), ("rcl", 2), ("rcr", 3), ("shl", 4), ("shr", 5), ("sar", 7)]
SHIFT_COUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33]


def shift_mask(op, w, count):
    c = count & 0x1F
    if c == 0:
        return STATUS  # no flag changes
    if op in ("rol", "ror", "rcl", "rcr"):
        m = STATUS  # only CF and OF are written; SF ZF AF PF preserved
    else:
        m = STATUS & ~AF
        if op in ("shl", "shr") and c >= w:
            m &= ~CF
    if c != 1:
        m &= ~OF
    return m


def gen_shift(g):
    rng = g.rng
    for op, sub in SHIFTS:
        for w in (8, 16, 32):
            p = opsize(w)
            b8 = 0 if w == 8 else 1
            for how in ("imm", "cl"):
                for c in SHIFT_COUNTS + [rng.randrange(0, 256)]:
                    st = State(g)
                    if how == "cl":
                        st.used.add(ECX)
                        st.regs[ECX] = (rng.getrandbits(32) & ~0xFF) | c
                    r = g.reg(st, w)
                    st.set(r, w, g.val(w))
                    if how == "imm":
                        code = p + bytes([0xC0 + b8]) + modrm(sub, r) + bytes([c])
                    else:
                        code = p + bytes([0xD2 + b8]) + modrm(sub, r)
                    g.emit(st, "%s%d.%s" % (op, w, how), [code], shift_mask(op, w, c))
            for _ in range(2):
                st = State(g)
                r = g.reg(st, w)
                st.set(r, w, g.val(w))
                g.emit(st, "%s%d.one" % (op, w), [p + bytes([0xD0 + b8]) + modrm(sub, r)], shift_mask(op, w, 1))
            for how in ("imm", "cl", "one"):
                st = State(g)
                st.window()
                c = 1 if how == "one" else rng.choice(SHIFT_COUNTS + [rng.randrange(0, 256)])
                if how == "cl":
                    st.used.add(ECX)
                    st.regs[ECX] = (rng.getrandbits(32) & ~0xFF) | c
                t = data_target(g, w)
                m = g.mem(st, t)
                st.poke(t, g.val(w), w // 8)
                if how == "imm":
                    code = p + bytes([0xC0 + b8]) + modrm(sub, m) + bytes([c])
                elif how == "cl":
                    code = p + bytes([0xD2 + b8]) + modrm(sub, m)
                else:
                    code = p + bytes([0xD0 + b8]) + modrm(sub, m)
                g.emit(st, "%s%d.%s.m" % (op, w, how), [code], shift_mask(op, w, c))


def gen_muldiv(g):
    rng = g.rng
    # one-operand mul/imul
    for op, sub in (("mul", 4), ("imul", 5)):
        for w in (8, 16, 32):
            p = opsize(w)
            opc = 0xF6 if w == 8 else 0xF7
            for kind in ("r", "m"):
                for _ in range(8 if kind == "r" else 3):
                    st = State(g)
                    st.set(EAX, w, g.val(w))
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                        st.poke(t, g.val(w), w // 8)
                    else:
                        rm = rng.randrange(8)
                        if full(rm, w) != EAX:
                            st.set(rm, w, g.val(w))
                    g.emit(st, "%s%d.%s" % (op, w, kind), [p + bytes([opc]) + modrm(sub, rm)], CF | OF)
    # imul r, r/m ; imul r, r/m, imm
    for w in (16, 32):
        p = opsize(w)
        for form in ("0faf", "69", "6b"):
            for kind in ("r", "m"):
                for _ in range(8 if kind == "r" else 3):
                    st = State(g)
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                        st.poke(t, g.val(w), w // 8)
                    d = g.reg(st, w)
                    st.set(d, w, g.val(w))
                    if kind == "r":
                        rm = g.reg(st, w) if rng.random() < 0.85 else d
                        if rm != d:
                            st.set(rm, w, g.val(w))
                    if form == "0faf":
                        code = p + b"\x0f\xaf" + modrm(d, rm)
                    elif form == "69":
                        code = p + b"\x69" + modrm(d, rm) + imm(g.val(w), w)
                    else:
                        code = p + b"\x6b" + modrm(d, rm) + imm(g.val(8), 8)
                    g.emit(st, "imul%d.%s.%s" % (w, form, kind), [code], CF | OF)
    # div/idiv
    for op, sub, signed in (("div", 6, False), ("idiv", 7, True)):
        for w in (8, 16, 32):
            cases = ["ok.r"] * 6 + ["ok.m"] * 2 + ["zero.r", "zero.m", "ovf.r", "ovf.r"]
            if signed:
                cases.append("ovf.min")
            for case in cases:
                div_one(g, op, sub, signed, w, case)
    # clang idioms: xor edx,edx; div / cdq; idiv
    for _ in range(4):
        st = State(g)
        st.regs[ECX] = g.val(32) or 7
        g.emit(st, "xor_div", [b"\x31\xd2", b"\xf7\xf1"], 0)
        st = State(g)
        st.regs[ECX] = g.val(32) or 7
        if st.regs[ECX] == 0xFFFFFFFF and st.regs[EAX] == 0x80000000:
            st.regs[EAX] = 5
        g.emit(st, "cdq_idiv", [b"\x99", b"\xf7\xf9"], 0)
    # sign extension of the accumulator
    for name, code in (("cdq", b"\x99"), ("cwd", b"\x66\x99"), ("cwde", b"\x98"), ("cbw", b"\x66\x98")):
        for _ in range(5):
            st = State(g)
            st.regs[EAX] = g.val(32)
            if rng.random() < 0.5:
                st.regs[EAX] = (st.regs[EAX] & 0xFFFF0000) | g.val(16)
            g.emit(st, name, [code], STATUS)


def tdiv(n, d):
    q = abs(n) // abs(d)
    if (n < 0) != (d < 0):
        q = -q
    return q, n - q * d


def div_one(g, op, sub, signed, w, case):
    rng = g.rng
    p = opsize(w)
    opc = 0xF6 if w == 8 else 0xF7
    kind, rk = case.split(".")
    lo, hi = (-(1 << (w - 1)), (1 << (w - 1)) - 1) if signed else (0, (1 << w) - 1)
    for _attempt in range(1000):
        if kind == "zero":
            d = 0
            n = rng.getrandbits(2 * w)
            if signed:
                n = sx(n, 2 * w)
            break
        if rk == "min":
            d, n = -1, -(1 << (2 * w - 1))
            break
        d = g.val(w)
        if rng.random() < 0.3:
            d = rng.getrandbits(rng.randrange(1, w + 1))
        if signed:
            d = sx(d, w)
        if d == 0:
            continue
        if kind == "ok":
            q = rng.randrange(lo, hi + 1) if rng.random() < 0.6 else rng.choice([lo, hi, 0, 1, -1 if signed else 2])
            r = rng.randrange(abs(d))
            prod = q * d
            if prod < 0 or (prod == 0 and signed and rng.random() < 0.5):
                r = -r
            n = prod + r
        else:
            q = rng.choice([hi + 1, hi + rng.randrange(1, 1 << w)] + ([lo - 1, lo - rng.randrange(1, 1 << w)] if signed else []))
            r = rng.randrange(abs(d))
            prod = q * d
            if prod < 0:
                r = -r
            n = prod + r
        nlo, nhi = (-(1 << (2 * w - 1)), (1 << (2 * w - 1)) - 1) if signed else (0, (1 << (2 * w)) - 1)
        if not (nlo <= n <= nhi):
            continue
        tq, _ = tdiv(n, d)
        if (lo <= tq <= hi) == (kind == "ok"):
            break
    else:
        raise GenError("no div case")
    st = State(g)
    n &= (1 << (2 * w)) - 1
    if w == 8:
        st.set(EAX, 16, n)
    else:
        st.set(EAX, w, n & MASK[w])
        st.set(EDX, w, n >> w)
    st.used |= {EAX, EDX}
    if rk == "m" or rk == "min" and rng.random() < 0.5:
        st.window()
        t = data_target(g, w)
        rm = g.mem(st, t)
        st.poke(t, d, w // 8)
    else:
        rm = g.reg(st, w)
        st.set(rm, w, d)
    exc = None if kind == "ok" else 0
    synthetic = None
    if signed and w == 32 and n == 1 << 63 and d == -1:
        # Unicorn's 32-bit idiv helper divides INT64_MIN by -1 in host code, which traps
        # (SIGFPE) and kills the generator; the architectural answer is simply #DE.
        synthetic = "expected state written by the generator: Unicorn traps on the host for INT64_MIN/-1"
    g.emit(st, "%s%d.%s" % (op, w, case), [p + bytes([opc]) + modrm(sub, rm)], 0, exc=exc,
           synthetic=synthetic)


def gen_movx(g):
    forms = [("movzx32_8", b"\x0f\xb6", 32, 8), ("movzx32_16", b"\x0f\xb7", 32, 16),
             ("movsx32_8", b"\x0f\xbe", 32, 8), ("movsx32_16", b"\x0f\xbf", 32, 16),
             ("movzx16_8", b"\x66\x0f\xb6", 16, 8), ("movsx16_8", b"\x66\x0f\xbe", 16, 8)]
    for name, opc, dw, sw in forms:
        for kind in ("r", "m"):
            for i in range(6 if kind == "r" else 3):
                st = State(g)
                if kind == "m":
                    st.window()
                    t = data_target(g, sw)
                    rm = g.mem(st, t)
                    st.poke(t, g.val(sw), sw // 8)
                    d = g.reg(st, dw)
                else:
                    rm = g.reg(st, sw)
                    st.set(rm, sw, g.val(sw))
                    # the destination may overlap the source (movzx eax, al)
                    d = full(rm, sw) if i == 0 else g.reg(st, dw)
                g.emit(st, "%s.%s" % (name, kind), [opc + modrm(d, rm)], STATUS)


def gen_bit(g):
    rng = g.rng
    ops = [("bt", 0xA3, 4), ("bts", 0xAB, 5), ("btr", 0xB3, 6), ("btc", 0xBB, 7)]
    fm = CF | ZF  # OF SF AF PF undefined; ZF unaffected
    for op, opc, sub in ops:
        for w in (16, 32):
            p = opsize(w)
            # register destination, register offset (taken modulo the width)
            for _ in range(5):
                st = State(g)
                d = g.reg(st, w)
                st.set(d, w, g.val(w))
                o = g.reg(st, w)
                st.set(o, w, rng.getrandbits(w) if rng.random() < 0.5 else rng.randrange(w))
                g.emit(st, "%s%d.r_r" % (op, w), [p + bytes([0x0F, opc]) + modrm(o, d)], fm)
            # memory destination, register offset: bit-string addressing, may go far off the EA
            for _ in range(5):
                for _attempt in range(100):
                    st = State(g)
                    st.window()
                    t = DATA + rng.randrange(16, 48)
                    m = g.mem(st, t)
                    o = g.reg(st, w)
                    off = rng.randrange(-(t - DATA) * 8, (DATA + 64 - t) * 8)
                    unit = w // 8
                    addr = t + unit * (off >> (4 if w == 16 else 5))
                    if DATA <= addr and addr + unit <= DATA + 64:
                        break
                st.set(o, w, off)
                g.emit(st, "%s%d.m_r" % (op, w), [p + bytes([0x0F, opc]) + modrm(o, m)], fm)
            # immediate offset (taken modulo the width, also for memory)
            for kind in ("r", "m"):
                for _ in range(4 if kind == "r" else 3):
                    st = State(g)
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                    else:
                        rm = g.reg(st, w)
                        st.set(rm, w, g.val(w))
                    ib = rng.choice([rng.randrange(w), rng.randrange(256)])
                    g.emit(st, "%s%d.imm.%s" % (op, w, kind), [p + b"\x0f\xba" + modrm(sub, rm) + bytes([ib])], fm)
    # bsf / bsr
    for op, opc in (("bsf", 0xBC), ("bsr", 0xBD)):
        for w in (16, 32):
            p = opsize(w)
            for kind in ("r", "m"):
                for i in range(8 if kind == "r" else 4):
                    st = State(g)
                    zero = i % 4 == 0
                    v = 0 if zero else (g.val(w) or 1 << rng.randrange(w))
                    if rng.random() < 0.3 and not zero:
                        v = 1 << rng.randrange(w)
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                        st.poke(t, v, w // 8)
                    else:
                        rm = g.reg(st, w)
                        st.set(rm, w, v)
                    d = g.reg(st, w)
                    rmask = 0xFF & ~(1 << d) if zero else 0xFF
                    g.emit(st, "%s%d.%s%s" % (op, w, kind, ".zero" if zero else ""),
                           [p + bytes([0x0F, opc]) + modrm(d, rm)], ZF, rmask=rmask)
    # f3 0f bc: TZCNT on BMI1 CPUs, BSF on ours; nonzero sources agree on the destination
    for w in (16, 32):
        for kind in ("r", "m"):
            for _ in range(5 if kind == "r" else 3):
                st = State(g)
                v = g.val(w) or 1
                if rng.random() < 0.4:
                    v = 1 << rng.randrange(w)
                if kind == "m":
                    st.window()
                    t = data_target(g, w)
                    rm = g.mem(st, t)
                    st.poke(t, v, w // 8)
                else:
                    rm = g.reg(st, w)
                    st.set(rm, w, v)
                d = g.reg(st, w)
                g.emit(st, "tzcnt_enc%d.%s" % (w, kind), [opsize(w) + b"\xf3\x0f\xbc" + modrm(d, rm)], 0)
    # bswap
    for r in range(8):
        for _ in range(2):
            st = State(g)
            g.emit(st, "bswap.%s" % REG32[r], [bytes([0x0F, 0xC8 + r])], STATUS)


def shld_mask(w, count):
    c = count & 0x1F
    if c == 0:
        return STATUS
    m = STATUS & ~AF
    if c != 1:
        m &= ~OF
    return m


def gen_shld(g):
    rng = g.rng
    for op, oimm, ocl in (("shld", 0xA4, 0xA5), ("shrd", 0xAC, 0xAD)):
        for w in (16, 32):
            p = opsize(w)
            counts = [c for c in SHIFT_COUNTS + [rng.randrange(256)] if w == 32 or (c & 31) <= 16]
            for how in ("imm", "cl"):
                for c in counts:
                    st = State(g)
                    if how == "cl":
                        st.used.add(ECX)
                        st.regs[ECX] = (rng.getrandbits(32) & ~0xFF) | c
                    d = g.reg(st, w)
                    s = g.reg(st, w)
                    st.set(d, w, g.val(w))
                    st.set(s, w, g.val(w))
                    if how == "imm":
                        code = p + bytes([0x0F, oimm]) + modrm(s, d) + bytes([c])
                    else:
                        code = p + bytes([0x0F, ocl]) + modrm(s, d)
                    g.emit(st, "%s%d.%s" % (op, w, how), [code], shld_mask(w, c))
            for how in ("imm", "cl", "imm", "cl"):
                st = State(g)
                st.window()
                c = rng.choice(counts)
                if how == "cl":
                    st.used.add(ECX)
                    st.regs[ECX] = (rng.getrandbits(32) & ~0xFF) | c
                t = data_target(g, w)
                m = g.mem(st, t)
                st.poke(t, g.val(w), w // 8)
                s = g.reg(st, w)
                st.set(s, w, g.val(w))
                if how == "imm":
                    code = p + bytes([0x0F, oimm]) + modrm(s, m) + bytes([c])
                else:
                    code = p + bytes([0x0F, ocl]) + modrm(s, m)
                g.emit(st, "%s%d.%s.m" % (op, w, how), [code], shld_mask(w, c))


def gen_atomic(g, lock=False):
    """xchg, cmpxchg, xadd, cmpxchg8b; with lock=True the lock-prefixed memory forms of those
    and of the read-modify-write ALU instructions."""
    rng = g.rng
    pre = b"\xf0" if lock else b""
    kinds = ("m",) if lock else ("r", "m")
    # xchg
    for w in (8, 16, 32):
        p = opsize(w)
        for kind in kinds:
            for _ in range(4 if kind == "r" else 3):
                st = State(g)
                if kind == "m":
                    st.window()
                    t = data_target(g, w)
                    rm = g.mem(st, t)
                else:
                    rm = g.reg(st, w)
                    st.set(rm, w, g.val(w))
                r = g.reg(st, w)
                st.set(r, w, g.val(w))
                g.emit(st, "xchg%d.%s" % (w, kind), [pre + p + bytes([0x86 if w == 8 else 0x87]) + modrm(r, rm)], STATUS)
    if not lock:
        for w in (16, 32):
            for r in range(8):
                st = State(g)
                g.emit(st, "xchg%d.acc.%s" % (w, REG32[r]), [opsize(w) + bytes([0x90 + r])], STATUS)
    # cmpxchg r/m, r (accumulator compared with r/m)
    for w in (8, 16, 32):
        p = opsize(w)
        for kind in kinds:
            for eq in (True, False):
                for _ in range(3):
                    st = State(g)
                    st.used.add(EAX)
                    if kind == "m":
                        st.window()
                        t = data_target(g, w)
                        rm = g.mem(st, t)
                        cur = st.peek(t, w // 8)
                    else:
                        rm = g.reg(st, w, avoid=(EAX,))
                        cur = g.val(w)
                        st.set(rm, w, cur)
                    s = g.reg(st, w, avoid=(EAX,))
                    st.set(s, w, g.val(w))
                    st.set(EAX, w, cur if eq else (cur + rng.randrange(1, 1 << w)) & MASK[w])
                    g.emit(st, "cmpxchg%d.%s.%s" % (w, kind, "eq" if eq else "ne"),
                           [pre + p + bytes([0x0F, 0xB0 if w == 8 else 0xB1]) + modrm(s, rm)], STATUS)
    # xadd
    for w in (8, 16, 32):
        p = opsize(w)
        for kind in kinds:
            for i in range(4 if kind == "r" else 3):
                st = State(g)
                if kind == "m":
                    st.window()
                    t = data_target(g, w)
                    rm = g.mem(st, t)
                    st.poke(t, g.val(w), w // 8)
                    s = g.reg(st, w)
                else:
                    rm = g.reg(st, w)
                    st.set(rm, w, g.val(w))
                    s = rm if i == 0 else g.reg(st, w)
                st.set(s, w, g.val(w)) if s != rm else None
                g.emit(st, "xadd%d.%s" % (w, kind), [pre + p + bytes([0x0F, 0xC0 if w == 8 else 0xC1]) + modrm(s, rm)], STATUS)
    # cmpxchg8b m64
    for eq in (True, False):
        for _ in range(4):
            st = State(g)
            st.window()
            st.used |= {EAX, EDX, EBX, ECX}
            t = data_target(g, 64)
            m = g.mem(st, t)
            cur = st.peek(t, 8)
            cmpv = cur if eq else cur ^ (1 << rng.randrange(64))
            st.regs[EAX], st.regs[EDX] = cmpv & 0xFFFFFFFF, cmpv >> 32
            g.emit(st, "cmpxchg8b.%s" % ("eq" if eq else "ne"), [pre + b"\x0f\xc7" + modrm(1, m)], STATUS)
    if not lock:
        return
    # lock-prefixed read-modify-write ALU and unary forms on memory
    for opi, op in enumerate(ALU_OPS):
        if op == "cmp":
            continue
        for w in (8, 16, 32):
            p = opsize(w)
            for form in ("m_r", "m_imm"):
                st = State(g)
                st.window()
                t = data_target(g, w)
                m = g.mem(st, t)
                st.poke(t, g.val(w), w // 8)
                if form == "m_r":
                    s = g.reg(st, w)
                    st.set(s, w, g.val(w))
                    code = pre + p + bytes([opi * 8 + (0 if w == 8 else 1)]) + modrm(s, m)
                elif w != 8 and rng.random() < 0.5:
                    code = pre + p + b"\x83" + modrm(opi, m) + imm(g.val(8), 8)
                else:
                    code = pre + p + bytes([0x80 if w == 8 else 0x81]) + modrm(opi, m) + imm(g.val(w), w)
                g.emit(st, "%s%d.%s" % (op, w, form), [code], logic_mask(op))
    for op, opc8, sub in (("inc", 0xFE, 0), ("dec", 0xFE, 1), ("not", 0xF6, 2), ("neg", 0xF6, 3)):
        for w in (8, 16, 32):
            st = State(g)
            st.window()
            t = data_target(g, w)
            m = g.mem(st, t)
            st.poke(t, g.val(w), w // 8)
            body = opsize(w) + bytes([opc8 + (0 if w == 8 else 1)]) + modrm(sub, m)
            # Unicorn 2.1.4 (QEMU 5) computes SF/ZF/PF of `lock neg` from the old value, not the
            # result. The oracle runs the same instruction with a DS override (no effect in a
            # flat segment, same length) in place of the lock prefix.
            oracle = b"\x3e" + body if op == "neg" else None
            g.emit(st, "%s%d.m" % (op, w), [pre + body], STATUS, oracle_code=oracle)
    for op, opc, sub in (("bts", 0xAB, 5), ("btr", 0xB3, 6), ("btc", 0xBB, 7)):
        for form in ("r", "imm"):
            st = State(g)
            st.window()
            t = DATA + 32
            m = g.mem(st, t)
            if form == "r":
                o = g.reg(st, 32)
                st.set(o, 32, rng.randrange(-256, 256))
                code = pre + bytes([0x0F, opc]) + modrm(o, m)
            else:
                code = pre + b"\x0f\xba" + modrm(sub, m) + bytes([rng.randrange(256)])
            g.emit(st, "%s32.%s" % (op, form), [code], CF | ZF)


def gen_cond(g):
    rng = g.rng
    for cc in range(16):
        # setcc r/m8
        for kind in ("r", "r", "r", "r", "m"):
            st = State(g)
            if kind == "m":
                st.window()
                rm = g.mem(st, data_target(g, 8))
            else:
                rm = g.reg(st, 8)
            g.emit(st, "set%s.%s" % (CC[cc], kind), [bytes([0x0F, 0x90 + cc]) + modrm(0, rm)], STATUS)
        # cmovcc r, r/m
        for w, kind in ((32, "r"), (32, "r"), (32, "r"), (16, "r"), (32, "m"), (16, "m")):
            st = State(g)
            if kind == "m":
                st.window()
                rm = g.mem(st, data_target(g, w))
            else:
                rm = g.reg(st, w)
            d = g.reg(st, w)
            g.emit(st, "cmov%s%d.%s" % (CC[cc], w, kind), [opsize(w) + bytes([0x0F, 0x40 + cc]) + modrm(d, rm)], STATUS)
        # jcc rel8 / rel32, one instruction, final EIP is the target or the fall-through
        for _ in range(3):
            st = State(g)
            d = rng.randrange(-128, 128)
            g.emit(st, "j%s.rel8" % CC[cc], [bytes([0x70 + cc]) + le(d, 1)], STATUS, count=1, control=True)
        for _ in range(3):
            st = State(g)
            d = rng.randrange(-0x0F00, 0xE000)
            g.emit(st, "j%s.rel32" % CC[cc], [bytes([0x0F, 0x80 + cc]) + le(d, 4)], STATUS, count=1, control=True)
        # jcc over an instruction, then one more: both paths execute real code
        for near in (False, True):
            st = State(g)
            j = bytes([0x0F, 0x80 + cc]) + le(1, 4) if near else bytes([0x70 + cc, 0x01])
            g.emit(st, "j%s.skip%s" % (CC[cc], "32" if near else "8"), [j, b"\x40", b"\x41"], STATUS, count=2, control=True)
    # compare-and-branch/set idioms
    for cc in range(16):
        st = State(g)
        a, b = g.reg(st, 32), g.reg(st, 32)
        st.set(a, 32, g.val(32))
        st.set(b, 32, g.val(32) if rng.random() < 0.7 else st.regs[a])
        d = g.reg(st, 8)
        g.emit(st, "cmp_set%s" % CC[cc], [b"\x39" + modrm(b, a), bytes([0x0F, 0x90 + cc]) + modrm(0, d)], STATUS)


def gen_lea(g):
    rng = g.rng
    for mod in (0, 1, 2):
        dsz = {0: 0, 1: 1, 2: 4}[mod]
        for rm in range(8):
            if rm == 4:
                for base in range(8):
                    for index in range(8):
                        scale = rng.choice((1, 2, 4, 8))
                        lea_one(g, mod, dsz, base, index, scale, True)
                for scale in (1, 2, 4, 8):
                    for _ in range(2):
                        lea_one(g, mod, dsz, rng.randrange(8), rng.choice([0, 1, 2, 3, 5, 6, 7]), scale, True)
            else:
                for _ in range(3):
                    lea_one(g, mod, dsz, rm, 4, 1, False)
    for _ in range(6):
        st = State(g)
        d = rng.randrange(8)
        m = Mem(rng.randrange(8), rng.choice([0, 1, 2, 3, 5, 6, 7]), rng.choice((1, 2, 4, 8)), rng.getrandbits(32), 4)
        g.emit(st, "lea16", [b"\x66\x8d" + modrm(d, m)], STATUS)


def lea_one(g, mod, dsz, base, index, scale, sib):
    rng = g.rng
    st = State(g)
    if dsz == 1:
        disp = rng.randrange(-128, 128) & 0xFFFFFFFF
    elif dsz == 4:
        disp = rng.getrandbits(32)
    else:
        disp = 0
    b = base
    if mod == 0 and base == EBP:
        b, disp, dsz = None, rng.getrandbits(32), 4  # no base, disp32
    if not sib and mod == 0 and base == EBP:
        m = Mem(None, None, 1, disp)
    else:
        m = Mem(b, None if index == 4 else index, scale, disp, dsz if b is not None else None, force_sib=sib)
    d = rng.randrange(8)
    name = "lea.mod%d.%s" % (mod, "sib" if sib else "rm%d" % base)
    g.emit(st, name, [b"\x8d" + modrm(d, m)], STATUS)


def gen_mov(g):
    rng = g.rng
    for w in (8, 16, 32):
        p = opsize(w)
        b8 = 0 if w == 8 else 1
        # 88/89 r/m, r and 8a/8b r, r/m
        for opc, kind, n in ((0x88, "r", 5), (0x88, "m", 4), (0x8A, "r", 3), (0x8A, "m", 4)):
            for _ in range(n):
                st = State(g)
                if kind == "m":
                    st.window()
                    rm = g.mem(st, data_target(g, w))
                else:
                    rm = g.reg(st, w)
                r = g.reg(st, w)
                g.emit(st, "mov%d.%02x.%s" % (w, opc + b8, kind), [p + bytes([opc + b8]) + modrm(r, rm)], STATUS)
        # c6/c7 r/m, imm
        for kind in ("r", "m"):
            for _ in range(3):
                st = State(g)
                if kind == "m":
                    st.window()
                    rm = g.mem(st, data_target(g, w))
                else:
                    rm = g.reg(st, w)
                g.emit(st, "mov%d.%02x.%s" % (w, 0xC6 + b8, kind), [p + bytes([0xC6 + b8]) + modrm(0, rm) + imm(g.val(w), w)], STATUS)
        # b0+r / b8+r
        for r in range(8):
            st = State(g)
            code = p + bytes([(0xB0 if w == 8 else 0xB8) + r]) + imm(g.val(w), w)
            g.emit(st, "mov%d.imm.%s" % (w, (REG8 if w == 8 else REG16 if w == 16 else REG32)[r]), [code], STATUS)
        # a0-a3 moffs
        for opc in (0xA0, 0xA2):
            for _ in range(3):
                st = State(g)
                st.window()
                t = data_target(g, w)
                g.emit(st, "mov%d.%02x" % (w, opc + b8), [p + bytes([opc + b8]) + le(t, 4)], STATUS)
    # 66-prefixed store of a 16-bit register into a structure field, then a 16-bit compare
    for _ in range(4):
        st = State(g)
        st.window()
        t = data_target(g, 16)
        m = g.mem(st, t)
        r = g.reg(st, 16)
        st.set(r, 16, g.val(16) if rng.random() < 0.5 else st.peek(t, 2))
        g.emit(st, "cmp16_mem", [b"\x66\x39" + modrm(r, m)], STATUS)


def stack_state(g, esp=None):
    st = State(g)
    st.window(STACK_WIN, 128)
    st.regs[ESP] = esp if esp is not None else 0x8000 + 4 * g.rng.randrange(-6, 7)
    st.used.add(ESP)
    return st


def gen_stack(g):
    rng = g.rng
    for r in range(8):
        for _ in range(2):
            st = stack_state(g)
            g.emit(st, "push.%s" % REG32[r], [bytes([0x50 + r])], STATUS)
            st = stack_state(g)
            g.emit(st, "pop.%s" % REG32[r], [bytes([0x58 + r])], STATUS)
    for _ in range(3):
        st = stack_state(g)
        g.emit(st, "push16.r", [bytes([0x66, 0x50 + rng.randrange(8)])], STATUS)
        st = stack_state(g)
        g.emit(st, "pop16.r", [bytes([0x66, 0x58 + rng.choice([0, 1, 2, 3, 5, 6, 7])])], STATUS)
    for _ in range(4):
        st = stack_state(g)
        g.emit(st, "push.imm32", [b"\x68" + imm(g.val(32), 32)], STATUS)
        st = stack_state(g)
        g.emit(st, "push.imm8", [b"\x6a" + imm(g.val(8), 8)], STATUS)
    # push m32 / pop m32, including ESP-based addresses (push: EA before the decrement,
    # pop: EA after the increment)
    for i in range(5):
        st = stack_state(g)
        st.window()
        m = g.mem(st, data_target(g, 32))
        g.emit(st, "push.m", [b"\xff" + modrm(6, m)], STATUS)
        st = stack_state(g)
        st.window()
        m = g.mem(st, data_target(g, 32))
        g.emit(st, "pop.m", [b"\x8f" + modrm(0, m)], STATUS)
    for d in (0, 4, 8, -4):
        st = stack_state(g)
        g.emit(st, "push.m_esp", [b"\xff" + modrm(6, Mem(ESP, None, 1, d & 0xFFFFFFFF, 1))], STATUS)
        st = stack_state(g)
        g.emit(st, "pop.m_esp", [b"\x8f" + modrm(0, Mem(ESP, None, 1, d & 0xFFFFFFFF, 1))], STATUS)
    # call / ret / jmp
    for _ in range(4):
        st = stack_state(g)
        d = rng.randrange(-0x0F00, 0xE000)
        g.emit(st, "call.rel32", [b"\xe8" + le(d, 4)], STATUS, count=1, control=True)
    for _ in range(3):
        st = stack_state(g)
        r = g.reg(st, 32)
        st.regs[r] = rng.randrange(0x100, 0xF000)
        g.emit(st, "call.r", [b"\xff" + modrm(2, r)], STATUS, count=1, control=True)
        st = stack_state(g)
        st.window()
        t = data_target(g, 32)
        m = g.mem(st, t)
        st.poke(t, rng.randrange(0x100, 0xF000), 4)
        g.emit(st, "call.m", [b"\xff" + modrm(2, m)], STATUS, count=1, control=True)
    for n in (0, 4, 8, 12):
        st = stack_state(g)
        st.poke(st.regs[ESP], rng.randrange(0x100, 0xF000), 4)
        if n == 0:
            g.emit(st, "ret", [b"\xc3"], STATUS, count=1, control=True)
        g.emit(st, "ret.imm16", [b"\xc2" + le(n, 2)], STATUS, count=1, control=True)
    for _ in range(3):
        st = stack_state(g)
        g.emit(st, "call_ret", [b"\xe8\x01\x00\x00\x00", b"\xcc", b"\xc3"], STATUS, count=2, control=True)
    for _ in range(3):
        st = State(g)
        g.emit(st, "jmp.rel8", [b"\xeb" + le(rng.randrange(-128, 128), 1)], STATUS, count=1, control=True)
        st = State(g)
        g.emit(st, "jmp.rel32", [b"\xe9" + le(rng.randrange(-0x0F00, 0xE000), 4)], STATUS, count=1, control=True)
    for _ in range(2):
        st = State(g)
        r = g.reg(st, 32)
        st.regs[r] = rng.randrange(0x100, 0xF000)
        g.emit(st, "jmp.r", [b"\xff" + modrm(4, r)], STATUS, count=1, control=True)
    # jump table: jmp [table + idx*4]
    for _ in range(4):
        st = State(g)
        st.window()
        for k in range(16):
            st.poke(DATA + 4 * k, rng.randrange(0x100, 0xF000), 4)
        idx = g.reg(st, 32, allow_esp=False)
        st.regs[idx] = rng.randrange(16)
        g.emit(st, "jmp.table", [b"\xff" + modrm(4, Mem(None, idx, 4, DATA))], STATUS, count=1, control=True)
    # pushfd / popfd / pushad / popad
    for _ in range(3):
        st = stack_state(g)
        g.emit(st, "pushfd", [b"\x9c"], STATUS)
        st = stack_state(g)
        st.poke(st.regs[ESP], 0x2 | (rng.getrandbits(12) & (STATUS | DF)), 4)
        g.emit(st, "popfd", [b"\x9d"], STATUS)
    for _ in range(2):
        st = stack_state(g, 0x8000 + 4 * rng.randrange(-4, 5))
        g.emit(st, "pushad", [b"\x60"], STATUS)
        st = stack_state(g, 0x7FE0 + 4 * rng.randrange(-4, 5))
        g.emit(st, "popad", [b"\x61"], STATUS)


def gen_string(g):
    rng = g.rng
    specs = [("movsb", b"\xa4", 1, True), ("movsw", b"\x66\xa5", 2, True), ("movsd", b"\xa5", 4, True),
             ("stosb", b"\xaa", 1, False), ("stosw", b"\x66\xab", 2, False), ("stosd", b"\xab", 4, False)]
    for name, opc, unit, src in specs:
        for df in (0, 0, 0, 0, 0, 1, 1):
            st = State(g)
            st.window(DATA, 128)
            st.eflags |= DF * df
            n = rng.randrange(0, 12 if unit == 1 else 9)
            if rng.random() < 0.15:
                n = 0
            st.regs[ECX] = n
            span = n * unit
            # source in the low half, destination in the high half (or the reverse for DF=1)
            s_lo, d_lo = (DATA, DATA + 64) if rng.random() < 0.5 else (DATA + 64, DATA)
            s_first = s_lo + rng.randrange(0, 64 - max(span, unit) + 1)
            d_first = d_lo + rng.randrange(0, 64 - max(span, unit) + 1)
            if df:  # registers point at the highest element, moving down
                s_first += max(span - unit, 0)
                d_first += max(span - unit, 0)
            st.regs[ESI] = s_first if src else st.regs[ESI]
            st.regs[EDI] = d_first
            if opc[0] == 0x66 and rng.random() < 0.5:
                code = b"\x66\xf3" + opc[1:]
            else:
                code = b"\xf3" + opc
            g.emit(st, "rep_%s.df%d" % (name, df), [code], STATUS, rep=True)
        for _ in range(2):
            st = State(g)
            st.window(DATA, 128)
            st.regs[ESI] = DATA + rng.randrange(0, 60)
            st.regs[EDI] = DATA + 64 + rng.randrange(0, 60)
            g.emit(st, name, [opc], STATUS)
    # overlapping forward byte copy: replicates a pattern, byte by byte
    for k in (1, 2, 3, 4):
        st = State(g)
        st.window(DATA, 128)
        st.regs[ESI] = DATA + 8
        st.regs[EDI] = DATA + 8 + k
        st.regs[ECX] = rng.randrange(8, 40)
        g.emit(st, "rep_movsb.overlap%d" % k, [b"\xf3\xa4"], STATUS, rep=True)
    for k in (4,):
        st = State(g)
        st.window(DATA, 128)
        st.regs[ESI] = DATA + 8
        st.regs[EDI] = DATA + 12
        st.regs[ECX] = rng.randrange(4, 12)
        g.emit(st, "rep_movsd.overlap%d" % k, [b"\xf3\xa5"], STATUS, rep=True)


# ---- chains: 2–4 register instructions, to exercise flag producers and consumers in sequence

def chain_pool(g, st):
    """One random register-only instruction: (bytes, flags read, flags written defined,
    flags made undefined)."""
    rng = g.rng
    k = rng.randrange(14)
    w = rng.choice((8, 16, 32, 32, 32))
    p = opsize(w)
    b8 = 0 if w == 8 else 1
    a, b = rng.randrange(8), rng.randrange(8)
    if k <= 3:
        opi = rng.randrange(8)
        op = ALU_OPS[opi]
        reads = CF if op in ("adc", "sbb") else 0
        und = AF if op in ("and", "or", "xor") else 0
        if rng.random() < 0.5:
            code = p + bytes([opi * 8 + 1 - (w == 8)]) + modrm(b, a)
        else:
            code = p + (b"\x83" + modrm(opi, a) + imm(g.val(8), 8) if w != 8 else b"\x80" + modrm(opi, a) + imm(g.val(8), 8))
        return code, reads, STATUS & ~und, und
    if k == 4:
        sub = rng.randrange(2)
        code = p + bytes([0xFE + b8]) + modrm(sub, a)
        return code, 0, STATUS & ~CF, 0
    if k == 5:
        sub = rng.choice((2, 3))
        return p + bytes([0xF6 + b8]) + modrm(sub, a), 0, (STATUS if sub == 3 else 0), 0
    if k == 6:
        op, sub = rng.choice(SHIFTS)
        c = rng.choice([0, 1, 1, 2, 3, 7, 8, 17, 31, 32])
        code = p + bytes([0xC0 + b8]) + modrm(sub, a) + bytes([c])
        m = shift_mask(op, w, c)
        c5 = c & 31
        if c5 == 0:
            return code, 0, 0, 0
        if op in ("rol", "ror", "rcl", "rcr"):
            written = CF | OF
        else:
            written = STATUS
        return code, (CF if op in ("rcl", "rcr") else 0), written & m, written & ~m
    if k == 7:
        cc = rng.randrange(16)
        return bytes([0x0F, 0x90 + cc]) + modrm(0, a), CC_READS[cc], 0, 0
    if k == 8:
        cc = rng.randrange(16)
        w = rng.choice((16, 32))
        return opsize(w) + bytes([0x0F, 0x40 + cc]) + modrm(a, b), CC_READS[cc], 0, 0
    if k == 9:
        return p + bytes([0x84 + b8]) + modrm(b, a), 0, STATUS & ~AF, AF
    if k == 10:
        w = rng.choice((16, 32))
        return opsize(w) + b"\x0f\xba" + modrm(rng.randrange(4, 8), a) + bytes([rng.randrange(64)]), 0, CF, OF | SF | AF | PF
    if k == 11:
        w = rng.choice((16, 32))
        return opsize(w) + b"\x0f\xaf" + modrm(a, b), 0, CF | OF, SF | ZF | AF | PF
    if k == 12:
        return b"\x8d" + modrm(a, Mem(b, None, 1, g.val(8), 1)), 0, 0, 0
    return p + bytes([0x88 + b8]) + modrm(b, a), 0, 0, 0


def gen_chain(g):
    rng = g.rng
    for _ in range(300):
        st = State(g)
        defined = STATUS
        instrs = []
        n = rng.randrange(2, 5)
        while len(instrs) < n:
            code, reads, wdef, wund = chain_pool(g, st)
            if reads & ~defined:
                continue
            defined = (defined | wdef) & ~wund
            instrs.append(code)
        g.emit(st, "seq%d" % n, instrs, defined)
    # the same, with a forward conditional branch in the middle
    for _ in range(60):
        st = State(g)
        defined = STATUS
        instrs = []
        while len(instrs) < 1:
            code, reads, wdef, wund = chain_pool(g, st)
            if reads & ~defined:
                continue
            defined = (defined | wdef) & ~wund
            instrs.append(code)
        while True:
            cc = rng.randrange(16)
            if not CC_READS[cc] & ~defined:
                break
        while True:
            code, reads, wdef, wund = chain_pool(g, st)
            if not reads & ~defined:
                break
        tail, treads, twdef, twund = b"\x40", 0, STATUS & ~CF, 0  # inc eax after the join
        # flags defined at the end: both paths must define them
        skipped = (defined | wdef) & ~wund
        d_taken = (defined | twdef) & ~twund
        d_fall = (skipped | twdef) & ~twund
        instrs += [bytes([0x70 + cc, len(code)]), code, tail]
        g.emit(st, "branch", instrs, d_taken & d_fall)


# ---- faults: #UD and #DE after other instructions; the state before the fault is kept


def gen_fault(g):
    rng = g.rng
    for pre in ([], [b"\x40"], [b"\x01\xc8", b"\x4b"]):
        st = State(g)
        g.emit(st, "ud2.after%d" % len(pre), pre + [b"\x0f\x0b"], STATUS, count=len(pre) + 1, exc=6, fixed_count=True)
    # lock on a register destination, and on instructions that cannot be locked
    for _ in range(6):
        st = State(g)
        opi = rng.choice([0, 1, 2, 3, 4, 5, 6])
        code = b"\xf0" + bytes([opi * 8 + 1]) + modrm(rng.randrange(8), rng.randrange(8))
        pre = [b"\x41"] if rng.random() < 0.5 else []
        g.emit(st, "lock_reg", pre + [code], STATUS, count=len(pre) + 1, exc=6, fixed_count=True)
    for _ in range(3):
        st = State(g)
        st.window()
        m = g.mem(st, data_target(g, 32))
        r = g.reg(st, 32)
        g.emit(st, "lock_cmp", [b"\x42", b"\xf0\x39" + modrm(r, m)], STATUS, count=2, exc=6, fixed_count=True)
    # divide error after flag-setting instructions (the flags of those must survive)
    for w in (8, 16, 32):
        for _ in range(3):
            st = State(g)
            a, b = g.reg(st, 32, avoid=(EAX, EDX)), g.reg(st, 32, avoid=(EAX, EDX))
            z = g.reg(st, w, avoid=(EAX, EDX))
            st.set(z, w, 0)
            pre = [bytes([0x01]) + modrm(b, a), b"\x0f\x9c" + modrm(0, rng.choice([EAX, EDX]))]
            g.emit(st, "div0_after%d" % w, pre + [opsize(w) + bytes([0xF6 + (w != 8)]) + modrm(6, z)],
                   STATUS, count=3, exc=0, fixed_count=True)


# ---- page-crossing memory accesses (data across 0x3000, stack across 0x8000)

CROSS_WIN = 0x2FC0


def cross_state(g):
    st = State(g)
    st.window(CROSS_WIN, 128)
    return st


def cross_target(g, size):
    return 0x3000 - g.rng.randrange(1, size)


def gen_cross(g):
    rng = g.rng
    for w in (16, 32):
        p = opsize(w)
        for name, mk in (("load", lambda r, m: b"\x8b" + modrm(r, m)),
                         ("store", lambda r, m: b"\x89" + modrm(r, m)),
                         ("add", lambda r, m: b"\x01" + modrm(r, m)),
                         ("adc_load", lambda r, m: b"\x13" + modrm(r, m)),
                         ("xchg", lambda r, m: b"\x87" + modrm(r, m)),
                         ("xadd", lambda r, m: b"\x0f\xc1" + modrm(r, m)),
                         ("lock_add", lambda r, m: b"\xf0\x01" + modrm(r, m)),
                         ("cmpxchg", lambda r, m: b"\x0f\xb1" + modrm(r, m)),
                         ("shl_imm", lambda r, m: b"\xc1" + modrm(4, m) + bytes([rng.randrange(1, 8)])),
                         ("inc", lambda r, m: b"\xff" + modrm(0, m)),
                         ("movzx8", lambda r, m: b"\x0f\xb6" + modrm(r, m)),
                         ("test", lambda r, m: b"\x85" + modrm(r, m))):
            for _ in range(3):
                st = cross_state(g)
                t = cross_target(g, w // 8)
                m = g.mem(st, t)
                r = g.reg(st, w, avoid=(EAX,))
                st.set(r, w, g.val(w))
                if name == "cmpxchg" and rng.random() < 0.5:
                    st.set(EAX, w, st.peek(t, w // 8))
                fm = STATUS & ~AF if name in ("shl_imm", "test") else STATUS
                if name == "shl_imm":
                    fm &= ~OF
                g.emit(st, "%s%d" % (name, w), [p + mk(r, m)], fm)
    for _ in range(4):
        st = cross_state(g)
        st.used |= {EAX, EDX, EBX, ECX}
        t = cross_target(g, 8)
        m = g.mem(st, t)
        cur = st.peek(t, 8)
        if rng.random() < 0.5:
            cur ^= 1 << rng.randrange(64)
        st.regs[EAX], st.regs[EDX] = cur & 0xFFFFFFFF, cur >> 32
        g.emit(st, "cmpxchg8b", [b"\x0f\xc7" + modrm(1, m)], STATUS)
    # bit-string offsets that land on the far page
    for _ in range(4):
        st = cross_state(g)
        m = g.mem(st, 0x2FF0)
        o = g.reg(st, 32)
        st.set(o, 32, rng.randrange(8 * 12, 8 * 40))
        g.emit(st, "bts_far", [b"\x0f\xab" + modrm(o, m)], CF | ZF)
    # string moves across the boundary
    for name, code, unit in (("rep_movsd", b"\xf3\xa5", 4), ("rep_movsb", b"\xf3\xa4", 1), ("rep_stosd", b"\xf3\xab", 4)):
        for _ in range(3):
            st = cross_state(g)
            n = rng.randrange(2, 8)
            st.regs[ECX] = n
            st.regs[ESI] = 0x3000 - rng.randrange(1, n * unit)  # source crosses going up
            st.regs[EDI] = CROSS_WIN + rng.randrange(0, 8) if name != "rep_stosd" else 0x3000 - rng.randrange(1, n * unit)
            if name == "rep_movsd" and rng.random() < 0.5:
                st.regs[ESI], st.regs[EDI] = CROSS_WIN + rng.randrange(0, 8), 0x3000 - rng.randrange(1, n * unit)
            g.emit(st, name, [code], STATUS, rep=True)
    # unaligned stack straddling 0x8000
    for off in (1, 2, 3):
        st = stack_state(g, 0x8000 + off)
        g.emit(st, "push_unaligned%d" % off, [b"\x50"], STATUS)
        st = stack_state(g, 0x8000 - off)
        g.emit(st, "pop_unaligned%d" % off, [b"\x5b"], STATUS)
        st = stack_state(g, 0x8000 + off)
        g.emit(st, "call_ret%d" % off, [b"\xe8\x01\x00\x00\x00", b"\xcc", b"\xc3"], STATUS, count=2, control=True)


# ---- self-modifying code: stores into instructions that have not run yet


def gen_smc(g):
    rng = g.rng
    for i in range(12):
        st = State(g)
        # mov byte [abs], imm8 patches the opcode of a later one-byte instruction
        dist = rng.randrange(0, 4)  # how many instructions between the store and the patched one
        store_len = 7
        filler = [bytes([0x40 + rng.randrange(8)]) for _ in range(dist)]
        target = CODE + store_len + dist
        new = 0x40 + rng.randrange(16)  # inc/dec reg
        if new in (0x44, 0x4C):
            new = 0x41
        old = bytes([0x48 + rng.randrange(4)])
        instrs = [b"\xc6\x05" + le(target, 4) + bytes([new])] + filler + [old, b"\x90"]
        code = b"".join(instrs)
        st.windows.append([CODE, bytearray(code)])
        g.emit(st, "patch_opcode.d%d" % dist, instrs, STATUS, fixed_count=True)
    for i in range(6):
        st = State(g)
        # mov dword [abs], imm32 rewrites the immediate of a later mov eax, imm32
        dist = rng.randrange(0, 3)
        filler = [b"\x90"] * dist
        target = CODE + 10 + dist + 1
        instrs = [b"\xc7\x05" + le(target, 4) + le(rng.getrandbits(32), 4)] + filler + [b"\xb8" + le(rng.getrandbits(32), 4)]
        code = b"".join(instrs)
        st.windows.append([CODE, bytearray(code)])
        g.emit(st, "patch_imm.d%d" % dist, instrs, STATUS, fixed_count=True)
    for i in range(4):
        st = State(g)
        # rep stosb overwrites the rest of the code with nops (0x90); then they run
        tail = [bytes([0x40 + rng.randrange(8)]) for _ in range(4)]
        head = [b"\xbf" + le(0, 4), b"\xb9\x04\x00\x00\x00", b"\xb0\x90", b"\xfc", b"\xf3\xaa"]
        hl = sum(len(x) for x in head)
        head[0] = b"\xbf" + le(CODE + hl, 4)
        instrs = head + tail
        code = b"".join(instrs)
        st.windows.append([CODE, bytearray(code)])
        st.eflags &= ~DF
        # rep=True: the harness steps it, counting a rep instruction once whatever the CPU's
        # convention for counting iterations.
        g.emit(st, "stos_over_code", instrs, STATUS, rep=True)


# ---- small loops (typical compiled C): backward branches, decode-cache reuse, flag chains


class Asm:
    """A two-pass assembler for short loops: byte strings, labels and rel8 jumps/calls."""

    def __init__(self):
        self.items = []

    def b(self, code):
        self.items.append(("b", code))
        return self

    def label(self, name):
        self.items.append(("l", name))
        return self

    def j(self, opcode, name):  # opcode 0x70+cc or 0xEB
        self.items.append(("j", opcode, name))
        return self

    def call(self, name):
        self.items.append(("c", name))
        return self

    def assemble(self):
        pos, labels = 0, {}
        for it in self.items:
            if it[0] == "l":
                labels[it[1]] = pos
            else:
                pos += len(it[1]) if it[0] == "b" else (2 if it[0] == "j" else 5)
        out, pos = [], 0
        for it in self.items:
            if it[0] == "b":
                out.append(it[1])
                pos += len(it[1])
            elif it[0] == "j":
                d = labels[it[2]] - (pos + 2)
                assert -128 <= d <= 127
                out.append(bytes([it[1]]) + le(d, 1))
                pos += 2
            elif it[0] == "c":
                out.append(b"\xe8" + le(labels[it[1]] - (pos + 5), 4))
                pos += 5
        return out


JNZ, JZ, JL, JMP = 0x75, 0x74, 0x7C, 0xEB


def gen_loop(g):
    rng = g.rng
    progs = []
    # sum of an array: xor eax,eax; L: add eax,[esi+ecx*4-4]; dec ecx; jnz L
    progs.append(("sum", lambda: Asm().b(b"\x31\xc0").label("L").b(b"\x03\x44\x8e\xfc").b(b"\x49").j(JNZ, "L"),
                  lambda st: st.regs.__setitem__(ESI, DATA) or st.regs.__setitem__(ECX, rng.randrange(1, 16))))
    # byte copy: L: mov al,[esi]; mov [edi],al; inc esi; inc edi; dec ecx; jnz L
    progs.append(("copy", lambda: Asm().label("L").b(b"\x8a\x06").b(b"\x88\x07").b(b"\x46\x47\x49").j(JNZ, "L"),
                  lambda st: (st.regs.__setitem__(ESI, DATA), st.regs.__setitem__(EDI, DATA + 32),
                              st.regs.__setitem__(ECX, rng.randrange(1, 32)))))
    # strlen: xor eax,eax; L: cmp byte [esi+eax],0; je E; inc eax; jmp L; E:
    progs.append(("strlen", lambda: Asm().b(b"\x31\xc0").label("L").b(b"\x80\x3c\x06\x00").j(JZ, "E").b(b"\x40").j(JMP, "L").label("E"),
                  lambda st: (st.regs.__setitem__(ESI, DATA), st.poke(DATA + rng.randrange(0, 40), 0, 1))))
    # popcount: xor eax,eax; L: test ecx,ecx; jz E; lea edx,[ecx-1]; and ecx,edx; inc eax; jmp L; E:
    progs.append(("popcount", lambda: Asm().b(b"\x31\xc0").label("L").b(b"\x85\xc9").j(JZ, "E").b(b"\x8d\x51\xff\x21\xd1\x40").j(JMP, "L").label("E"),
                  lambda st: None))
    # count elements below edx: xor eax,eax; L: cmp [esi],edx; setl bl; movzx ebx,bl; add eax,ebx; add esi,4; dec ecx; jnz L
    progs.append(("count_lt", lambda: Asm().b(b"\x31\xc0").label("L").b(b"\x39\x16\x0f\x9c\xc3\x0f\xb6\xdb\x01\xd8\x83\xc6\x04\x49").j(JNZ, "L"),
                  lambda st: (st.regs.__setitem__(ESI, DATA), st.regs.__setitem__(ECX, rng.randrange(1, 16)))))
    # bignum add with carry through dec/lea: L: mov eax,[esi]; adc [edi],eax; lea esi,[esi+4]; lea edi,[edi+4]; dec ecx; jnz L
    progs.append(("bignum_adc", lambda: Asm().label("L").b(b"\x8b\x06\x11\x07\x8d\x76\x04\x8d\x7f\x04\x49").j(JNZ, "L"),
                  lambda st: (st.regs.__setitem__(ESI, DATA), st.regs.__setitem__(EDI, DATA + 32),
                              st.regs.__setitem__(ECX, rng.randrange(1, 8)))))
    # max with cmov: mov eax,[esi]; L: mov edx,[esi+ecx*4]; cmp edx,eax; cmovg eax,edx; dec ecx; jnz L
    progs.append(("max_cmov", lambda: Asm().b(b"\x8b\x06").label("L").b(b"\x8b\x14\x8e\x39\xc2\x0f\x4f\xc2\x49").j(JNZ, "L"),
                  lambda st: (st.regs.__setitem__(ESI, DATA), st.regs.__setitem__(ECX, rng.randrange(1, 16)))))
    # hash: L: rol eax,5; movzx edx, byte [esi]; xor eax,edx; imul eax,eax,0x01000193; inc esi; dec ecx; jnz L
    progs.append(("hash", lambda: Asm().label("L").b(b"\xc1\xc0\x05\x0f\xb6\x16\x31\xd0\x69\xc0\x93\x01\x00\x01\x46\x49").j(JNZ, "L"),
                  lambda st: (st.regs.__setitem__(ESI, DATA), st.regs.__setitem__(ECX, rng.randrange(1, 40)))))
    # calls in a loop: L: call F; dec ecx; jnz L; jmp E; F: add eax,ecx; ret; E:
    progs.append(("call_loop", lambda: Asm().label("L").call("F").b(b"\x49").j(JNZ, "L").j(JMP, "E").label("F").b(b"\x01\xc8\xc3").label("E"),
                  lambda st: st.regs.__setitem__(ECX, rng.randrange(1, 12))))
    for name, mk, setup in progs:
        for _ in range(8):
            st = State(g)
            st.window(DATA, 64)
            if name == "call_loop":
                st.window(STACK_WIN, 128)
                st.regs[ESP] = 0x8000
            setup(st)
            instrs = mk().assemble()
            g.emit(st, name, instrs, STATUS & ~AF if name == "popcount" else STATUS)  # popcount ends on test


# ---- the rest of what the decoder accepts: lods/scas/cmps, loop family, xlat, enter/leave,
#      lahf/sahf, flag instructions, multi-byte nops


def gen_misc(g):
    rng = g.rng
    # lods
    for name, code, unit in (("lodsb", b"\xac", 1), ("lodsw", b"\x66\xad", 2), ("lodsd", b"\xad", 4)):
        for df in (0, 1):
            st = State(g)
            st.window(DATA, 64)
            st.eflags |= DF * df
            st.regs[ESI] = DATA + rng.randrange(0, 64 - unit + 1)
            g.emit(st, "%s.df%d" % (name, df), [code], STATUS)
    # scas / cmps, alone and with repe/repne (flags as for cmp; ZF may end the loop early)
    for name, code, unit, two in (("scasb", b"\xae", 1, False), ("scasd", b"\xaf", 4, False),
                                  ("cmpsb", b"\xa6", 1, True), ("cmpsd", b"\xa7", 4, True)):
        for prefix in (b"", b"\xf3", b"\xf2"):
            for df in ((0, 0, 0, 1) if prefix else (0, 1)):
                st = State(g)
                st.window(DATA, 128)
                st.eflags |= DF * df
                n = rng.randrange(0, 12)
                span = n * unit
                a = DATA + rng.randrange(0, 64 - max(span, unit) + 1)
                b = DATA + 64 + rng.randrange(0, 64 - max(span, unit) + 1)
                if df:
                    a += max(span - unit, 0)
                    b += max(span - unit, 0)
                step = -unit if df else unit
                if two:
                    # make the two buffers equal up to a random point (repe) or differ (repne)
                    stop = rng.randrange(0, n + 1)
                    for i in range(n):
                        if prefix == b"\xf2":
                            if i != stop:
                                st.poke(b + i * step, (st.peek(a + i * step, unit) + 1) & MASK[unit * 8], unit)
                        elif i < stop:
                            st.poke(b + i * step, st.peek(a + i * step, unit), unit)
                    st.regs[ESI], st.regs[EDI] = a, b
                else:
                    st.regs[EDI] = b
                    val = rng.getrandbits(unit * 8)
                    if prefix == b"\xf3":  # repe scas: a run of equal elements, then maybe a different one
                        stop = rng.randrange(0, n + 1)
                        for i in range(stop):
                            st.poke(b + i * step, val, unit)
                    elif n:
                        st.poke(b + rng.randrange(n) * step, val, unit)
                    st.set(EAX, unit * 8 if unit != 1 else 8, val)
                if prefix:
                    st.regs[ECX] = n
                g.emit(st, "%s%s.df%d" % ({b"": "", b"\xf3": "repe_", b"\xf2": "repne_"}[prefix], name, df),
                       [prefix + code], STATUS, rep=bool(prefix))
    # loop / loope / loopne / jecxz
    for opc, name in ((0xE2, "loop"), (0xE1, "loope"), (0xE0, "loopne"), (0xE3, "jecxz")):
        for ecx in (0, 1, 2, None, None, None):
            st = State(g)
            if ecx is not None:
                st.regs[ECX] = ecx
            g.emit(st, name, [bytes([opc]) + le(rng.randrange(-128, 128), 1)], STATUS, count=1, control=True)
    # xlat
    for _ in range(3):
        st = State(g)
        st.window(DATA, 256)
        st.regs[EBX] = DATA
        g.emit(st, "xlat", [b"\xd7"], STATUS)
    # enter / leave
    for level in (0, 0, 1, 2, 3):
        st = stack_state(g, 0x8000 + 4 * rng.randrange(0, 8))
        st.regs[EBP] = 0x8000 + 4 * rng.randrange(0, 15)
        size = rng.choice([0, 4, 8, 12])
        g.emit(st, "enter.l%d" % level, [b"\xc8" + le(size, 2) + bytes([level])], STATUS)
    for _ in range(3):
        st = stack_state(g)
        st.regs[EBP] = 0x8000 + 4 * rng.randrange(-6, 7)
        g.emit(st, "leave", [b"\xc9"], STATUS)
    # lahf / sahf
    for _ in range(4):
        st = State(g)
        g.emit(st, "lahf", [b"\x9f"], STATUS)
        st = State(g)
        g.emit(st, "sahf", [b"\x9e"], STATUS)
    # flag instructions
    for name, code in (("cmc", b"\xf5"), ("clc", b"\xf8"), ("stc", b"\xf9"), ("cli", b"\xfa"),
                       ("sti", b"\xfb"), ("cld", b"\xfc"), ("std", b"\xfd")):
        for _ in range(2):
            st = State(g)
            st.eflags |= rng.choice([0, DF])
            g.emit(st, name, [code], STATUS)
    # cmc/stc/clc feeding adc: the carry must reach the consumer
    for name, code in (("cmc", b"\xf5"), ("clc", b"\xf8"), ("stc", b"\xf9")):
        st = State(g)
        g.emit(st, name + "_adc", [b"\x01\xd8", code, b"\x11\xca"], STATUS)
    # multi-byte nops (0f 1f /0)
    for code in (b"\x0f\x1f\x00", b"\x0f\x1f\x40\x00", b"\x0f\x1f\x44\x00\x00", b"\x66\x0f\x1f\x44\x00\x00",
                 b"\x0f\x1f\x80\x00\x00\x00\x00", b"\x0f\x1f\x84\x00\x00\x00\x00\x00"):
        st = State(g)
        g.emit(st, "nopl", [code], STATUS)
    # into with OF=0 does nothing. (INT3 / INT n / INTO with OF=1 are not generated: with
    # exceptionsToHost our CPU delivers software interrupts through the (empty) IDT, while
    # Unicorn's hook reports the trap itself; the two answer different questions.)
    st = State(g)
    st.eflags &= ~OF
    g.emit(st, "into.of0", [b"\xce"], STATUS)


GROUPS = [
    ("alu", gen_alu),
    ("unary", gen_unary),
    ("test", gen_test),
    ("shift", gen_shift),
    ("muldiv", gen_muldiv),
    ("movx", gen_movx),
    ("bit", gen_bit),
    ("shld", gen_shld),
    ("atomic", lambda g: gen_atomic(g, False)),
    ("lock", lambda g: gen_atomic(g, True)),
    ("cond", gen_cond),
    ("lea", gen_lea),
    ("mov", gen_mov),
    ("stack", gen_stack),
    ("string", gen_string),
    ("chain", gen_chain),
    ("fault", gen_fault),
    ("cross", gen_cross),
    ("smc", gen_smc),
    ("loop", gen_loop),
    ("misc", gen_misc),
]


def render(group, vectors):
    lines = ['{"group":%s,"generator":"scripts/gen-vectors/gen_vectors.py","vectors":[' % json.dumps(group)]
    for i, v in enumerate(vectors):
        lines.append(json.dumps(v, separators=(",", ":")) + ("," if i + 1 < len(vectors) else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def generate():
    out = {}
    for name, fn in GROUPS:
        g = Group(name)
        fn(g)
        out[name + ".json"] = (render(name, g.vectors), len(g.vectors))
    return out


# --------------------------------------------------------------------------- replay


def verify(directory):
    """Replays every stored vector in Unicorn and compares with its stored expectations."""
    bad = total = 0
    for fn in sorted(os.listdir(directory)):
        if not fn.endswith(".json"):
            continue
        with open(os.path.join(directory, fn)) as f:
            doc = json.load(f)
        for v in doc["vectors"]:
            if "note" in v:
                continue  # not produced by the oracle
            total += 1
            code = bytes.fromhex(v.get("oracleCode", v["code"]))
            windows = [(m["addr"], bytes.fromhex(m["hex"])) for m in v.get("mem", [])]
            e = v["expect"]
            straight = (not v.get("rep")) and e["eip"] == CODE + len(code) and "exception" not in e
            res = run_unicorn(code, v["regs"], v["eflags"], windows, v["count"],
                              control=not straight and not v.get("rep"), rep=v.get("rep", False))
            rm = e.get("regsMask", 0xFF)
            ok = all(((rm >> i) & 1) == 0 or res["regs"][i] == e["regs"][i] for i in range(8))
            ok &= res["eip"] == e["eip"]
            ok &= ((res["eflags"] ^ e["eflags"]) & e["flagsMask"]) == 0
            ok &= [(a, d.hex()) for a, d in res["mem"]] == [(m["addr"], m["hex"]) for m in e.get("mem", [])]
            ok &= (res["exc"]) == e.get("exception")
            if not straight and not v.get("rep") and "exception" not in e:
                ok &= res["steps"] == v["count"]
            if not ok:
                bad += 1
                print("MISMATCH %s" % v["name"])
    print("verified %d vectors, %d mismatches" % (total, bad))
    return bad == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", help="write the JSON files into this directory")
    ap.add_argument("--check", help="regenerate and compare byte for byte with this directory")
    ap.add_argument("--verify", help="replay the stored vectors of this directory in Unicorn")
    args = ap.parse_args()
    if args.verify:
        sys.exit(0 if verify(args.verify) else 1)
    files = generate()
    total = 0
    for fn, (text, n) in files.items():
        total += n
        print("%-12s %5d vectors %8d bytes" % (fn, n, len(text)))
    print("total %d vectors, %d bytes" % (total, sum(len(t) for t, _ in files.values())))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        for old in os.listdir(args.out):
            if old.endswith(".json") and old not in files:
                os.remove(os.path.join(args.out, old))
        for fn, (text, _) in files.items():
            with open(os.path.join(args.out, fn), "w") as f:
                f.write(text)
    if args.check:
        same = True
        for fn, (text, _) in files.items():
            p = os.path.join(args.check, fn)
            if not os.path.exists(p) or open(p).read() != text:
                print("differs: %s" % p)
                same = False
        sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
