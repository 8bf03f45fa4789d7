#!/usr/bin/env bash
# guest-images/tests/qemu-check.sh - boot the images under QEMU (the
# reference machine) and check their behaviour end to end: the self-test,
# Multiboot modules and command line, the exit protocol, the oops and panic
# paths, console input, and the benchmark's checksum.
#
# usage: tests/qemu-check.sh [BUILD_DIR]     (default: guest-images/build)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
run="$here/../../scripts/qemu-run.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# check NAME WANT_STATUS GREP_PATTERN... -- RUN_ARGS...
check() {
	local name=$1 want=$2 pats=() status
	shift 2
	while [ "$1" != "--" ]; do pats+=("$1"); shift; done
	shift
	"$run" --timeout 120 --log "$tmp/$name.log" "$@" > /dev/null 2>&1 < /dev/null
	status=$?
	for p in "${pats[@]}"; do
		if ! grep -Eq -- "$p" "$tmp/$name.log"; then
			echo "FAIL $name: no line matching '$p' (status $status)"
			fails=$((fails + 1))
			return
		fi
	done
	if [ "$status" -ne "$want" ]; then
		echo "FAIL $name: exit status $status, want $want"
		grep -E 'FAIL|Oops|panic' "$tmp/$name.log" | head -5
		fails=$((fails + 1))
		return
	fi
	echo "ok   $name"
}

printf 'first module' > "$tmp/a.bin"
head -c 5000 /dev/zero > "$tmp/b.bin"

check selftest 0 '^selftest: [0-9]+ passed, 0 failed$' '^reboot: Power down$' -- \
	--check-selftest "$build/kernel.elf"
check modules 0 "cmdline '.*kernel.elf selftest=boot hello=world'" \
	"module 0: addr 0x[0-9a-f]{8} size 12 '$tmp/a.bin one two'" \
	"module 1: addr 0x[0-9a-f]{8} size 5000 '$tmp/b.bin'" 'boot.modules ok' -- \
	--module "$tmp/a.bin one two" --module "$tmp/b.bin" "$build/kernel.elf" \
	selftest=boot hello=world
check no_selftest 0 'reboot: Power down' -- "$build/kernel.elf" selftest=0
check exit_debug 1 'reboot: debug-exit 0' -- "$build/kernel.elf" selftest=0 exit=debug
check oops 255 '^Oops: page fault \(vector 14\) err=00000002 at EIP [0-9a-f]{8}$' \
	'^CR0: [0-9a-f]{8} CR2: 00000008' 'Kernel panic - not syncing: Fatal exception' -- \
	"$build/kernel.elf" selftest=0 crash=pf
check panic 255 'Kernel panic - not syncing: crash=panic requested' -- \
	"$build/kernel.elf" selftest=0 crash=panic
check bench 0 'bench: total scale=1 checksum=0xbd917c84' -- \
	"$build/bench.elf" scale=1 expect=0xbd917c84

# console input arrives by IRQ 4
(sleep 1; printf 'typed line\r') | "$run" --timeout 30 --log "$tmp/input.log" \
	"$build/kernel.elf" selftest=0 readline=1 > /dev/null 2>&1
if grep -q "console: read 'typed line'" "$tmp/input.log"; then
	echo "ok   console_input"
else
	echo "FAIL console_input"
	fails=$((fails + 1))
fi

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
