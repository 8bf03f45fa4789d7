#!/usr/bin/env bash
# guest-images/tests/qemu-check-net.sh - boot kernel.elf under QEMU with an
# e1000 NIC on QEMU's user network and the e1000.ko module, run
# workload=net (ARP, 20 pings to 10.0.2.2; udp=0 because slirp has no UDP
# echo) and require "workload: PASS".  Also once more after reloading the
# driver twice (reload=2), which must find the NIC again, and once with UDP
# to a host-side echo server (python3 on 127.0.0.1:P, which slirp makes
# reachable as 10.0.2.2:P).
#
# usage: tests/qemu-check-net.sh [BUILD_DIR]     (default: guest-images/build)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
run="$here/../../scripts/qemu-run.sh"
tmp=$(mktemp -d)
echo_pid=""
trap 'rm -rf "$tmp"; [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null' EXIT
fails=0
nic=(--qemu -netdev --qemu user,id=n0 --qemu -device --qemu e1000,netdev=n0)

# check NAME GREP_PATTERN... -- KERNEL CMDLINE WORDS...
check() {
	local name=$1 pats=() status
	shift
	while [ "$1" != "--" ]; do pats+=("$1"); shift; done
	shift
	"$run" --timeout 120 --log "$tmp/$name.log" --module "$build/modules/e1000.ko" \
		"${nic[@]}" "$build/kernel.elf" "$@" > /dev/null 2>&1 < /dev/null
	status=$?
	for p in "${pats[@]}"; do
		if ! grep -Eq -- "$p" "$tmp/$name.log"; then
			echo "FAIL $name: no line matching '$p' (status $status)"
			grep -E 'workload|Oops|panic|module:' "$tmp/$name.log" | head -8
			fails=$((fails + 1))
			return
		fi
	done
	if [ "$status" -ne 0 ]; then
		echo "FAIL $name: exit status $status"
		fails=$((fails + 1))
		return
	fi
	echo "ok   $name: $(grep -E '^workload: ping sent' "$tmp/$name.log")"
}

check net '^module: loaded e1000 at 0x[0-9a-f]{8} size [0-9]+ isolated=0$' \
	'^workload: arp 10\.0\.2\.2 is ' '^workload: ping sent=20 received=20$' \
	'^workload: PASS$' -- selftest=0 workload=net ping=20 udp=0
check net_reload '^module: reloaded 1 module\(s\)$' '^workload: net eth0 ' \
	'^workload: ping sent=5 received=5$' '^workload: PASS$' -- \
	selftest=0 workload=net ping=5 reload=2

if command -v python3 > /dev/null; then
	python3 -u -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
while True:
    d, a = s.recvfrom(4096)
    s.sendto(d, a)' > "$tmp/port" &
	echo_pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/port" ] && break; sleep 0.2; done
	check net_udp '^workload: udp sent=10 echoed=10$' '^workload: PASS$' -- \
		selftest=0 workload=net ping=2 udp=10 udpport="$(cat "$tmp/port")"
else
	echo "skip net_udp: no python3 for the host-side UDP echo server"
fi

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
