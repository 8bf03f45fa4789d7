#!/usr/bin/env bash
# guest-images/tests/qemu-check-web.sh - kHTTPd under QEMU: ide.ko, vfat.ko,
# e1000.ko and khttpd.ko with workload=web on a tests/mkdisk.sh image and
# QEMU user networking forwarding 127.0.0.1:PORT to the guest's port 80.
# From the host: curl GET/HEAD (200, 404, 405, a 1 MiB file compared byte
# for byte, %-escaped long names, keep-alive, 8 clients at once) and raw
# malformed requests (400, 414, "..") over a socket.  The guest stops
# after N requests (the script tops up with GETs after a fuzz round of
# random requests and a client leaving mid-file) and must say "workload:
# web requests=N PASS" and power off.
#
# usage: tests/qemu-check-web.sh [BUILD_DIR]     (default: guest-images/build)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
run="$here/../../scripts/qemu-run.sh"
tmp=$(mktemp -d "$build/check-web.XXXXXX")
qpid=""
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
export MTOOLS_SKIP_CHECK=1
nreq=80

fail() {
	echo "FAIL $1"
	fails=$((fails + 1))
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$here/mkdisk.sh" "$tmp/web.img" 32 > /dev/null || { echo "FAIL mkdisk"; exit 1; }
M=$build/modules
"$run" --timeout 300 --log "$tmp/web.log" --module "$M/ide.ko" --module "$M/vfat.ko" \
	--module "$M/e1000.ko" --module "$M/khttpd.ko" \
	--qemu -drive --qemu "file=$tmp/web.img,format=raw,if=ide" \
	--qemu -netdev --qemu "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:80" \
	--qemu -device --qemu e1000,netdev=n0 \
	"$build/kernel.elf" selftest=0 workload=web requests=$nreq > "$tmp/live.log" 2>&1 < /dev/null &
qpid=$!
for _ in $(seq 1 300); do
	grep -q "^workload: web serving" "$tmp/live.log" 2> /dev/null && break
	sleep 0.2
done
url=http://127.0.0.1:$port

# expect NAME WANT GOT
expect() {
	if [ "$2" = "$3" ]; then echo "ok   $1"; else fail "$1: got '$3', want '$2'"; fi
}

c() { curl -s -m 30 "$@"; }
expect "GET / (index.html)" "$(mtype -i "$tmp/web.img" ::/index.html 2>/dev/null || true)" \
	"$(c "$url/")"
expect "HEAD /index.html" "200 174" "$(c -I -o /dev/null -w '%{http_code} ' "$url/index.html")$(c -I "$url/index.html" | tr -d '\r' | sed -n 's/^Content-Length: //p')"
c -o "$tmp/big.out" "$url/big.bin"
expect "GET /big.bin (1 MiB, compared)" "ok" "$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print("ok" if d==bytes(k%251 for k in range(1<<20)) else "differs len %d" % len(d))' "$tmp/big.out")"
expect "GET /nothere -> 404" "404" "$(c -o /dev/null -w '%{http_code}' "$url/nothere")"
expect "GET long %-escaped name" "hello from the host" \
	"$(c "$url/docs/A%20Long%20Directory%20Name/Nested%20File%20With%20A%20Long%20Name.txt")"
expect "POST -> 405" "405" "$(c -o /dev/null -w '%{http_code}' -X POST -d x=1 "$url/")"
expect "GET /www/ -> index.html 404" "404" "$(c -o /dev/null -w '%{http_code}' "$url/www/")"
expect "keep-alive: 2 requests, 1 connection" "200 200 1" \
	"$(c -w '%{http_code} ' -o /dev/null -o /dev/null "$url/index.html" "$url/www/about.html")$(c -v -o /dev/null -o /dev/null "$url/index.html" "$url/www/about.html" 2>&1 | grep -c 'Connected to')"

# raw requests: the status line of the answer
raw() {
	python3 - "$port" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
data = b""
try:
    while not data.endswith(b"\n") or b"\r\n" not in data:
        d = s.recv(4096)
        if not d: break
        data += d
except OSError:
    pass
print(data.split(b"\r\n")[0].decode(errors="replace"))
EOF
}
expect "garbage -> 400" "HTTP/1.1 400 Bad Request" "$(raw 'GARBAGE\r\n\r\n')"
expect "no version -> 400" "HTTP/1.1 400 Bad Request" "$(raw 'GET /\r\n\r\n')"
expect "/../ -> 400" "HTTP/1.1 400 Bad Request" "$(raw 'GET /docs/../index.html HTTP/1.1\r\n\r\n')"
expect "3000-byte URI -> 414" "HTTP/1.1 414 URI Too Long" "$(raw "GET /$(head -c 3000 /dev/zero | tr '\0' a) HTTP/1.1\r\n\r\n")"
expect "HTTP/1.0 GET" "HTTP/1.1 200 OK" "$(raw 'GET /index.html HTTP/1.0\r\n\r\n')"
# 8 clients at once
for i in 1 2 3 4 5 6 7 8; do
	c -o "$tmp/par$i" -w '%{http_code}\n' "$url/www/about.html" > "$tmp/code$i" &
done
wait $(jobs -p | grep -v "^$qpid$") 2> /dev/null
expect "8 parallel GETs" "200 200 200 200 200 200 200 200" "$(cat "$tmp"/code? | tr '\n' ' ' | sed 's/ $//')"


# a client that asks for /big.bin and does not read: others still get served
python3 - "$port" "$url" > "$tmp/slow.txt" <<'EOF'
import socket, subprocess, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b"GET /big.bin HTTP/1.1\r\n\r\n"); time.sleep(1)
t = time.time()
r = subprocess.run(["curl", "-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", sys.argv[2] + "/index.html"],
                   capture_output=True, text=True)
print(r.stdout, "%.1fs" % (time.time() - t)); s.close()
EOF
expect "a stalled reader does not block others" "200" "$(cut -d' ' -f1 "$tmp/slow.txt")"

# a client that leaves in the middle of /big.bin, then 40 random requests
# (random bytes, random methods and paths, truncated lines): every one must
# get an answer or a close, and the server must keep going
python3 - "$port" > "$tmp/fuzz.txt" <<'EOF'
import random, socket, sys
port = int(sys.argv[1]); r = random.Random(5)
c = socket.create_connection(("127.0.0.1", port), timeout=30)
c.sendall(b"GET /big.bin HTTP/1.1\r\n\r\n"); c.recv(1000); c.close()
answers = {}
for i in range(40):
    k = r.randrange(5)
    if k == 0:
        req = bytes(r.randrange(256) for _ in range(r.randrange(1, 300))) + b"\r\n\r\n"
    elif k == 1:
        req = (r.choice(["GET", "HEAD", "PUT", "get", "G ET", "OPTIONS"]) + " " +
               "".join(r.choice("/%.aZ09?#~ \t") for _ in range(r.randrange(0, 40))) +
               " HTTP/1." + r.choice("01x") + "\r\n\r\n").encode()
    elif k == 2:
        req = b"GET /index.html HTTP/1.1\r\nHost: x\r\n" + b"X: " + b"y" * r.randrange(3000) + b"\r\n\r\n"
    elif k == 3:
        req = b"GET /%zz HTTP/1.1\r\n\r\n"
    else:
        req = b"\r\n\r\n"
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(req)
        s.shutdown(socket.SHUT_WR)
        d = s.recv(64).split(b"\r\n")[0]
        s.close()
    except OSError as e:
        d = b"(" + type(e).__name__.encode() + b")"
    answers[d] = answers.get(d, 0) + 1
print(" ".join("%s:%d" % (k.decode(errors="replace") or "(closed)", v) for k, v in sorted(answers.items())))
EOF
echo "ok   fuzz: $(cat "$tmp/fuzz.txt")"
# top up to exactly $nreq requests with plain GETs until the guest stops
for _ in $(seq 1 $nreq); do
	kill -0 "$qpid" 2> /dev/null || break
	grep -q "^workload: web requests=" "$tmp/live.log" && break
	c -o /dev/null -m 5 "$url/index.html" || true
done
wait "$qpid"
status=$?
qpid=""
got=$(sed -n 's/^workload: web requests=\([0-9]*\) PASS$/\1/p' "$tmp/web.log")
if [ "$status" -ne 0 ] || [ -z "$got" ] || [ "$got" -lt "$nreq" ] ||
   grep -Eq 'Oops|panic' "$tmp/web.log"; then
	fail "guest: status $status, $(grep '^workload: web requests' "$tmp/web.log")"
	grep -E 'Oops|panic|FAIL' "$tmp/web.log" | head -5
else
	echo "ok   guest: $(grep -c '^khttpd: 10\.' "$tmp/web.log") request lines, workload: web requests=$got PASS (>= $nreq), status 0, no oops"
fi
grep '^stats: tcp rx' "$tmp/web.log"
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
