#!/usr/bin/env python3
"""guest-images/nooks/tests/text-flips.py - a quick robustness run for the
isolation manager (not the project's injector, see `nooks-emu inject`):
flip 5 random bits in the .text of a driver module per trial, boot it under
nooks-emu with and without isolation, and count the outcomes.

usage: text-flips.py MODULE.ko TRIALS SEED NOOKS WORKLOAD...
  e.g. text-flips.py e1000.ko 60 2000 all workload=net ping=10 udp=0
       text-flips.py e1000.ko 60 2000 none workload=net ping=10 udp=0
Outcomes: crash (oops/panic), triple (triple fault), hang, recovered (Nooks
recovered or disabled the driver), ok (workload PASS), fail (the workload
failed, the kernel survived).  The patched module is renamed mN.ko, so use
NOOKS=all (or none).
"""
import os, random, re, subprocess, sys, tempfile

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
mod, n, seed0, iso = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
workload = " ".join(sys.argv[5:])
src = os.path.join(root, "guest-images/build/modules", mod)
data = open(src, "rb").read()
sect = subprocess.run(["readelf", "-SW", src], capture_output=True, text=True).stdout
m = re.search(r"\]\s+\.text\s+PROGBITS\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)", sect)
off, size = int(m.group(1), 16), int(m.group(2), 16)
tmp = tempfile.mkdtemp()
res = {}
for t in range(n):
    r = random.Random(seed0 + t)
    b = bytearray(data)
    for _ in range(5):
        b[off + r.randrange(size)] ^= 1 << r.randrange(8)
    fn = os.path.join(tmp, "m%d.ko" % t)
    open(fn, "wb").write(b)
    p = subprocess.run(["timeout", "60", os.path.join(root, ".build/release/nooks-emu"), "boot",
                        os.path.join(root, "guest-images/build/kernel.elf"), "--no-stdin",
                        "--max-instructions", "400000000", "--module", fn,
                        "--append", "selftest=0 %s nooks=%s" % (workload, iso)],
                       capture_output=True, text=True)
    o = p.stdout + p.stderr
    if "Kernel panic" in o or "Oops" in o: k = "crash"
    elif p.returncode == 80: k = "triple"
    elif p.returncode in (82, 84, 124): k = "hang"
    elif "nooks: recovered" in o or "nooks: disabled" in o: k = "recovered"
    elif "workload: PASS" in o: k = "ok"
    else: k = "fail"
    res[k] = res.get(k, 0) + 1
    os.remove(fn)
print(res)
