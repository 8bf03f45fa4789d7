#!/usr/bin/env bash
# scripts/qemu-run.sh - boot a guest image under qemu-system-i386 (the
# reference machine) and pass its exit status through.
#
# usage: scripts/qemu-run.sh [options] IMAGE [KERNEL CMDLINE WORDS...]
#   --timeout SECS      kill QEMU after SECS seconds (default 120): status 124
#   --module 'FILE ARGS' add a Multiboot module (repeatable; -initrd)
#   --mem MB            guest RAM (default 128)
#   --icount            run with -icount shift=0: virtual time = instruction
#                       count (1 ns each), for counting guest instructions
#   --check-selftest    also require the line "selftest: N passed, 0 failed"
#   --log FILE          keep the serial output in FILE
#   --qemu ARG          pass ARG to QEMU (repeatable)
#
# Exit status:
#   0        the guest powered off through ACPI after printing "reboot: Power down"
#   2*v+1    the guest wrote v to the ISA debug-exit port 0xf4 (v=0x7f: oops/panic)
#   2        QEMU exited 0 without the power-down line (a reset or triple fault:
#            -no-reboot turns those into a clean QEMU exit)
#   4        --check-selftest and the self-test summary is missing or shows failures
#   124      timeout
set -u

timeout_s=120
mem=128
modules=()
extra=()
check_selftest=0
log=""
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout_s=$2; shift 2 ;;
	--module) modules+=("$2"); shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--icount) extra+=(-icount shift=0); shift ;;
	--check-selftest) check_selftest=1; shift ;;
	--log) log=$2; shift 2 ;;
	--qemu) extra+=("$2"); shift 2 ;;
	-h|--help) sed -n '2,25p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) echo "qemu-run: unknown option $1" >&2; exit 64 ;;
	*) break ;;
	esac
done
if [ $# -lt 1 ]; then
	echo "usage: $0 [options] IMAGE [CMDLINE...]" >&2
	exit 64
fi
image=$1
shift
append="$*"

qemu=${QEMU:-qemu-system-i386}
args=(-kernel "$image" -serial stdio -display none -monitor none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m "$mem")
[ -n "$append" ] && args+=(-append "$append")
if [ ${#modules[@]} -gt 0 ]; then
	initrd=""
	for m in "${modules[@]}"; do
		initrd+="${initrd:+,}${m//,/,,}"
	done
	args+=(-initrd "$initrd")
fi
args+=("${extra[@]}")

out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout "$timeout_s" "$qemu" "${args[@]}" | tee "$out"
status=${PIPESTATUS[0]}
[ -n "$log" ] && cp "$out" "$log"

if [ "$status" -eq 124 ]; then
	echo "qemu-run: timeout after ${timeout_s}s" >&2
elif [ "$status" -eq 0 ] && ! grep -q '^reboot: Power down' "$out"; then
	echo "qemu-run: QEMU exited without a guest power-down (reset or triple fault?)" >&2
	status=2
fi
if [ "$check_selftest" -eq 1 ] && [ "$status" -eq 0 ] &&
   ! grep -Eq '^selftest: [0-9]+ passed, 0 failed' "$out"; then
	echo "qemu-run: self-test summary missing or failing" >&2
	status=4
fi
exit "$status"
