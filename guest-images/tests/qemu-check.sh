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

# the module loader: good modules, parameters, a symbol exported by a
# module, and bad modules that must be skipped with a clear message
mods="$build/modules" tmods="$build/testmods"
head -c 3000 "$mods/echo.ko" > "$tmp/truncated.ko"
cp "$mods/echo.ko" "$tmp/x86_64.ko"
printf '\x3e' | dd of="$tmp/x86_64.ko" bs=1 seek=18 conv=notrunc status=none
check loader 0 '^exporter: value=21 label=hello$' '^importer: exporter_twice\(1\) = 43$' \
	'^module: loaded exporter at 0x[0-9a-f]{8} size [0-9]+ isolated=0$' \
	'^module: a.bin: not an ELF file$' '^module: truncated: truncated' \
	'^module: x86_64: wrong machine' '^module: pic: unknown relocation type' \
	'^module: unresolved: unresolved symbol no_such_kernel_function$' \
	'^module: initfail: init failed \(-19\)$' '^module: 3 of 9 boot module\(s\) loaded$' \
	'^workload: chr rounds=3 ok=3$' '^workload: PASS$' '^importer: exit$' -- \
	--module "$tmp/a.bin" --module "$tmp/truncated.ko" --module "$tmp/x86_64.ko" \
	--module "$tmods/pic.ko" --module "$tmods/unresolved.ko" --module "$tmods/initfail.ko" \
	--module "$tmods/exporter.ko value=21 label=hello" --module "$tmods/importer.ko" \
	--module "$mods/echo.ko size=100" "$build/kernel.elf" selftest=0 workload=chr count=3
check reload 0 '^module: reloaded 1 module\(s\)$' '^workload: chr rounds=4 ok=4$' -- \
	--module "$mods/echo.ko" "$build/kernel.elf" selftest=0 reload=2 workload=chr count=4
buggy=()
for b in uaf double_free null wild loop; do buggy+=(--module "$mods/buggy_$b.ko"); done
check buggy_untriggered 0 '^workload: buggy buggy_uaf rounds=3 ok=3 failed=0$' \
	'^workload: PASS$' -- "${buggy[@]}" "$build/kernel.elf" selftest=0 workload=buggy \
	count=3 trigger=0
check buggy_null_native 255 '^buggy_null: updating stats' '^Oops: page fault' -- \
	--module "$mods/buggy_null.ko" "$build/kernel.elf" selftest=0 workload=buggy
check buggy_df_native 255 'Kernel panic - not syncing: kfree: double free' -- \
	--module "$mods/buggy_double_free.ko" "$build/kernel.elf" selftest=0 workload=buggy

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
