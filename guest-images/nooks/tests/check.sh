#!/usr/bin/env bash
# guest-images/nooks/tests/check.sh - the Nooks scenarios, on QEMU and/or
# nooks-emu, each checked for its expected serial lines:
#
#   selftest      selftest=nooks: the mechanisms with a synthetic extension
#   echo          echo.ko isolated, workload=chr
#   buggy_*       each buggy driver isolated, workload=buggy: the trigger
#                 round fails, the driver is recovered, later rounds pass
#   e1000         e1000.ko isolated, workload=net ping=20
#   e1000_fail    the same with a signalled failure (nooks_fail=e1000@40):
#                 the driver is recovered and pings flow again
#
# usage: nooks/tests/check.sh [qemu|emu|both] [BUILD_DIR]   (default: both)
# Run from anywhere; builds nothing (make -C guest-images first).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
which=${1:-both}
build=${2:-$root/guest-images/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
emu="$root/.build/release/nooks-emu"

# run MACHINE NAME MODULE CMDLINE -> log in $tmp/MACHINE-NAME.log
run() {
	local m=$1 name=$2 mod=$3 cmdline=$4 log="$tmp/$1-$2.log"
	if [ "$m" = qemu ]; then
		local args=(--timeout 120 --log "$log")
		[ -n "$mod" ] && args+=(--module "$build/modules/$mod")
		case "$mod" in e1000.ko) args+=(--qemu -netdev --qemu user,id=n0 --qemu -device
					      --qemu e1000,netdev=n0) ;; esac
		"$root/scripts/qemu-run.sh" "${args[@]}" "$build/kernel.elf" $cmdline \
			> /dev/null 2>&1 < /dev/null
	else
		local args=(--no-stdin --append "$cmdline")
		[ -n "$mod" ] && args+=(--module "$build/modules/$mod")
		timeout 300 "$emu" boot "$build/kernel.elf" "${args[@]}" > "$log" 2>&1 < /dev/null
	fi
}

# check MACHINE NAME MODULE CMDLINE -- PATTERN...
check() {
	local m=$1 name=$2 mod=$3 cmdline=$4 p
	shift 5
	run "$m" "$name" "$mod" "$cmdline"
	for p in "$@"; do
		if ! grep -Eq -- "$p" "$tmp/$m-$name.log"; then
			echo "FAIL $m $name: no line matching '$p'"
			grep -E 'nooks:|workload|Oops|panic|selftest: [0-9]' "$tmp/$m-$name.log" | tail -8
			fails=$((fails + 1))
			return
		fi
	done
	echo "ok   $m $name: $(grep -E '^nooks: (recovered|module .* unloaded)|^selftest: [0-9]+ passed' \
		"$tmp/$m-$name.log" | tail -1)"
}

machines=()
case "$which" in qemu) machines=(qemu) ;; emu) machines=(emu) ;; *) machines=(qemu emu) ;; esac
for m in "${machines[@]}"; do
	check "$m" selftest "" "selftest=nooks" -- '^selftest: [0-9]+ passed, 0 failed$' \
		'^nooks: recovered domain=synth restarts=1$' '^nooks: disabled domain=synth'
	check "$m" echo echo.ko "selftest=0 workload=chr nooks=echo" -- '^workload: PASS$' \
		'^nooks: module echo unloaded .* faults=0 .*leftover=0$'
	for b in uaf double_free null wild loop; do
		check "$m" "buggy_$b" "buggy_$b.ko" "selftest=0 workload=buggy nooks=all" -- \
			'^nooks: fault domain=buggy_' '^nooks: unwind domain=buggy_' \
			'^nooks: reload domain=buggy_[a-z_]+ ok$' '^nooks: recovered domain=buggy_' \
			'^workload: PASS$'
	done
	check "$m" e1000 e1000.ko "selftest=0 workload=net ping=20 udp=0 nooks=e1000" -- \
		'^workload: ping sent=20 received=20$' '^workload: PASS$' \
		'^nooks: module e1000 unloaded .* faults=0 '
	check "$m" e1000_fail e1000.ko \
		"selftest=0 workload=net ping=20 udp=0 nooks=e1000 nooks_fail=e1000@40" -- \
		'^nooks: fault domain=e1000 vector=258' '^nooks: reload domain=e1000 ok$' \
		'^nooks: recovered domain=e1000 restarts=1$' 'ping round 20 ok' \
		'stats: after unload skb_alive=0'
done
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
