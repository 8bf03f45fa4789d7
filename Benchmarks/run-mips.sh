#!/usr/bin/env bash
# Benchmarks/run-mips.sh - emulator speed: guest MIPS on the compute-bound bench
# image (release build), and the same image under qemu-system-i386 (TCG) in the
# same run, reported as a ratio. Fails if nooks-emu is below the target.
#
#   Benchmarks/run-mips.sh [--repeat N] [--min-mips M] [--scale S] [--json FILE]
#
# QEMU's wall time includes its start-up (firmware, option ROM). To compare the
# work only, QEMU runs the image twice, at scale=S and at scale=1, and its speed
# is (instructions(S) - instructions(1)) / (time(S) - time(1)), with the
# instruction counts taken from nooks-emu (the guest is deterministic).
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=3; min_mips=100; scale=100; json=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat=$2; shift 2 ;;
    --min-mips) min_mips=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    *) echo "usage: $0 [--repeat N] [--min-mips M] [--scale S] [--json FILE]" >&2; exit 64 ;;
  esac
done

swift build -c release --product nooks-emu >&2
make -s -C guest-images >&2
emu=.build/release/nooks-emu
image=guest-images/build/bench.elf
field() { echo "$1" | sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p"; }

best=""
for _ in $(seq "$repeat"); do
  out=$("$emu" bench mips "$image" --append "scale=$scale" --json)
  secs=$(field "$out" seconds); insns=$(field "$out" instructions)
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_mips=$(field "$out" mips); fi
done
small=$(field "$("$emu" bench mips "$image" --append "scale=1" --json)" instructions)

time_qemu() {  # $1 = kernel command line; prints wall seconds
  local t0 t1
  t0=$(date +%s.%N)
  qemu-system-i386 -kernel "$image" -append "$1" -m 128 -display none -serial null -monitor none \
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk "BEGIN{print $t1 - $t0}"
}

echo "bench image:        $image scale=$scale ($insns guest instructions)"
echo "nooks-emu:          ${best} s  ->  ${best_mips} guest MIPS (release build, best of $repeat)"
qmips=""
if command -v qemu-system-i386 >/dev/null; then
  qbig=""; qsmall=""
  for _ in $(seq "$repeat"); do
    b=$(time_qemu "scale=$scale"); s=$(time_qemu "scale=1")
    if [ -z "$qbig" ] || awk "BEGIN{exit !($b < $qbig)}"; then qbig=$b; fi
    if [ -z "$qsmall" ] || awk "BEGIN{exit !($s < $qsmall)}"; then qsmall=$s; fi
  done
  qmips=$(awk "BEGIN{d=$qbig-$qsmall; if (d<0.001) d=0.001; printf \"%.1f\", ($insns-$small)/d/1e6}")
  ratio=$(awk "BEGIN{printf \"%.2f\", $best_mips / $qmips}")
  echo "qemu-system-i386:   ${qbig} s at scale=$scale, ${qsmall} s at scale=1 -> ${qmips} guest MIPS (TCG)"
  echo "ratio:              nooks-emu / QEMU TCG = ${ratio}"
fi
if [ -n "$json" ]; then
  printf '{"instructions": %s, "seconds": %s, "mips": %s, "qemu_mips": "%s"}\n' "$insns" "$best" "$best_mips" "$qmips" > "$json"
fi
if awk "BEGIN{exit !($best_mips >= $min_mips)}"; then
  echo "target:             >= ${min_mips} guest MIPS per host core: met"
else
  echo "FAIL: ${best_mips} guest MIPS is below the target of ${min_mips}" >&2; exit 1
fi
