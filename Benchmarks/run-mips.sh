#!/usr/bin/env bash
# Benchmarks/run-mips.sh - emulator speed: guest MIPS on the compute-bound bench
# image (release build), and the same image under qemu-system-i386 (TCG) in the
# same run, reported as a ratio. Fails if nooks-emu is below the target.
#
#   Benchmarks/run-mips.sh [--repeat N] [--min-mips M] [--json FILE]
#
# QEMU's time includes its start-up; it is measured separately (the bench image
# with scale=0 does no work) and subtracted, so the ratio compares the work only.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=3
min_mips=100
json=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat=$2; shift 2 ;;
    --min-mips) min_mips=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    *) echo "usage: $0 [--repeat N] [--min-mips M] [--json FILE]" >&2; exit 64 ;;
  esac
done

swift build -c release --product nooks-emu >&2
make -s -C guest-images >&2
emu=.build/release/nooks-emu
image=guest-images/build/bench.elf

best=""
for _ in $(seq "$repeat"); do
  out=$("$emu" bench mips "$image" --json)
  mips=$(echo "$out" | sed -n 's/.*"mips": \([0-9.]*\).*/\1/p')
  secs=$(echo "$out" | sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p')
  insns=$(echo "$out" | sed -n 's/.*"instructions": \([0-9]*\).*/\1/p')
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_mips=$mips; fi
done

time_qemu() {  # $1 = kernel command line
  local t0 t1
  t0=$(date +%s.%N)
  qemu-system-i386 -kernel "$image" -append "$1" -m 128 -display none -serial null -monitor none \
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk "BEGIN{print $t1 - $t0}"
}
qbest=""; qbase=""
if command -v qemu-system-i386 >/dev/null; then
  for _ in $(seq "$repeat"); do
    q=$(time_qemu "")
    b=$(time_qemu "scale=0")
    if [ -z "$qbest" ] || awk "BEGIN{exit !($q < $qbest)}"; then qbest=$q; fi
    if [ -z "$qbase" ] || awk "BEGIN{exit !($b < $qbase)}"; then qbase=$b; fi
  done
fi

echo "bench image:        $image ($insns guest instructions)"
echo "nooks-emu:          ${best} s  ->  ${best_mips} guest MIPS (best of $repeat)"
if [ -n "$qbest" ]; then
  work=$(awk "BEGIN{w=$qbest-$qbase; if (w<0.001) w=0.001; print w}")
  ratio=$(awk "BEGIN{printf \"%.2f\", $work / $best}")
  qmips=$(awk "BEGIN{printf \"%.0f\", $insns / $work / 1e6}")
  echo "qemu-system-i386:   ${qbest} s total, ${qbase} s start-up -> ${work} s of work (~${qmips} MIPS)"
  echo "ratio:              nooks-emu runs the work at ${ratio}x QEMU TCG's speed"
fi
if [ -n "$json" ]; then
  printf '{"instructions": %s, "seconds": %s, "mips": %s, "qemu_seconds": "%s", "qemu_startup_seconds": "%s"}\n' \
    "$insns" "$best" "$best_mips" "$qbest" "$qbase" > "$json"
fi
awk "BEGIN{exit !($best_mips >= $min_mips)}" || { echo "FAIL: ${best_mips} MIPS is below the target of ${min_mips}" >&2; exit 1; }
echo "target:             >= ${min_mips} guest MIPS per host core: met"
