#!/usr/bin/env bash
# guest-images/tests/qemu-check-stream.sh - workload=netstream under QEMU
# (e1000.ko, QEMU user networking; host sides on 127.0.0.1 only):
#   tcpsend  the guest connects to 10.0.2.2:P (slirp: the host's 127.0.0.1:P)
#            and sends 2 MiB; a python sink checks the byte pattern
#   tcprecv  the host connects to 127.0.0.1:F, forwarded to the guest's
#            port 5001, and sends 2 MiB; the guest checks the pattern
#   udpsend  the guest sends 500 datagrams of 1024 bytes to a python sink
#            (slirp delivers only part of a burst: the host count is shown,
#            the guest's e1000 must send all 500)
#   *_lossy  512 KiB each way with tcpdrop=40 (every 40th segment lost in
#            each direction inside the guest's TCP)
#   tcprecv_stall  the guest reads nothing for 3 s (zero window), then 1 MiB
#
# usage: tests/qemu-check-stream.sh [BUILD_DIR]   (default: guest-images/build)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
run="$here/../../scripts/qemu-run.sh"
tmp=$(mktemp -d "$build/check-stream.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
fails=0
bytes=$((2 << 20))

freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# guest NAME NETDEV_EXTRA CMDLINE...: boot with e1000.ko; live output in $tmp/NAME.out
guest() {
	local name=$1 fwd=$2
	shift 2
	"$run" --timeout 180 --module "$build/modules/e1000.ko" \
		--qemu -netdev --qemu "user,id=n0$fwd" --qemu -device --qemu e1000,netdev=n0 \
		"$build/kernel.elf" selftest=0 "$@" > "$tmp/$name.out" 2>&1 < /dev/null
}

result() {
	local name=$1 status=$2 want=$3
	if [ "$status" -eq 0 ] && grep -Eq -- "$want" "$tmp/$name.out"; then
		echo "ok   $name: $(grep '^workload: netstream .* PASS' "$tmp/$name.out") $(cat "$tmp/$name.host" 2>/dev/null)"
		grep '^stats: tcp rx' "$tmp/$name.out" | sed 's/^/     /'
	else
		echo "FAIL $name: status $status $(cat "$tmp/$name.host" 2>/dev/null)"
		grep -E '^workload|Oops|panic' "$tmp/$name.out" | head -5
		fails=$((fails + 1))
	fi
}

# tcpsend NAME BYTES [CMDLINE...]: a host sink
tcpsend() {
	local name=$1 bytes=$2 p st gpid
	shift 2
	p=$(freeport)
	python3 - "$p" "$bytes" > "$tmp/$name.host" <<'EOF' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(120)
c, _ = s.accept(); c.settimeout(60); n = bad = 0
while True:
    d = c.recv(65536)
    if not d: break
    bad += sum(1 for i, b in enumerate(d) if b != ((n + i) * 7 + 3) & 255)
    n += len(d)
print("host received=%d bad=%d" % (n, bad))
EOF
	pids+=($!)
	sleep 0.3
	guest $name "" workload=netstream mode=tcpsend bytes=$bytes port="$p" "$@"
	st=$?
	wait "${pids[-1]}"
	grep -q "received=$bytes bad=0" "$tmp/$name.host" || st=99
	result $name $st "^workload: netstream tcpsend bytes=$bytes .* PASS$"
}

# tcprecv NAME BYTES [CMDLINE...]: the host sends through the forward once the guest listens
tcprecv() {
	local name=$1 bytes=$2 p gpid
	shift 2
	p=$(freeport)
	guest $name ",hostfwd=tcp:127.0.0.1:$p-:5001" workload=netstream mode=tcprecv bytes=$bytes port=5001 "$@" &
	gpid=$!
	pids+=($gpid)
	for _ in $(seq 1 300); do
		grep -q 'netstream listening' "$tmp/$name.out" 2> /dev/null && break
		sleep 0.2
	done
	python3 - "$p" "$bytes" > "$tmp/$name.host" <<'EOF'
import socket, sys
n = int(sys.argv[2]); c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
data = bytes(((k * 7 + 3) & 255) for k in range(n)); c.sendall(data); c.shutdown(socket.SHUT_WR)
c.recv(1); print("host sent=%d" % n)
EOF
	wait $gpid
	result $name $? "^workload: netstream tcprecv bytes=$bytes .* PASS$"
}

tcpsend tcpsend $bytes
tcprecv tcprecv $bytes
# every 40th segment lost each way: retransmissions, out-of-order input
tcpsend tcpsend_lossy $((512 << 10)) tcpdrop=40
tcprecv tcprecv_lossy $((512 << 10)) tcpdrop=40
# the guest reads nothing for 3 s: its window closes, then reopens
tcprecv tcprecv_stall $((1 << 20)) stall=3

# udpsend: a host sink counting datagrams
p=$(freeport)
python3 - "$p" > "$tmp/udpsend.host" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5); n = b = 0
try:
    while True:
        d = s.recv(65536); n += 1; b += len(d)
except socket.timeout:
    pass
print("host datagrams=%d bytes=%d" % (n, b))
EOF
pids+=($!)
sleep 0.3
guest udpsend "" workload=netstream mode=udpsend count=500 size=1024 port="$p"
st=$?
wait "${pids[-1]}"
result udpsend $st '^workload: netstream udpsend bytes=512000 packets=500 .* PASS$'

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
