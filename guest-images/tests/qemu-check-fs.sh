#!/usr/bin/env bash
# guest-images/tests/qemu-check-fs.sh - the disk stack under QEMU: ide.ko +
# vfat.ko on a QEMU IDE disk (tests/mkdisk.sh images), workload=fs, then
# the host checks the image with fsck.vfat and mtools (FAT32, FAT16, FAT12) (what the guest
# wrote is there, byte for byte).  Also: no disk at all, a bad BPB, a FAT
# loop and randomly corrupted FAT/directory sectors, each of which must end
# in a clean FAIL (status 3) or PASS, never an oops or a hang.
#
# usage: tests/qemu-check-fs.sh [BUILD_DIR]     (default: guest-images/build)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
run="$here/../../scripts/qemu-run.sh"
tmp=$(mktemp -d "$build/check-fs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1 PATH=$PATH:/usr/sbin
fails=0
ideargs=""

fail() {
	echo "FAIL $1"
	fails=$((fails + 1))
}

# boot NAME IMAGE|- CMDLINE...: run the guest; status in $status, log in $tmp/NAME.log
boot() {
	local name=$1 img=$2 disk=()
	shift 2
	[ "$img" != - ] && disk=(--qemu -drive --qemu "file=$img,format=raw,if=ide")
	"$run" --timeout 240 --log "$tmp/$name.log" --module "$build/modules/ide.ko$ideargs" \
		--module "$build/modules/vfat.ko" "${disk[@]}" \
		"$build/kernel.elf" selftest=0 "$@" > /dev/null 2>&1 < /dev/null
	status=$?
	if grep -Eq 'Oops|Kernel panic' "$tmp/$name.log"; then
		fail "$name: oops or panic (status $status)"
		grep -E -A3 'Oops|panic' "$tmp/$name.log" | head -8
		return 1
	fi
	return 0
}

# good FAT [TAG IDEARGS]: workload=fs PASS, then the host-side checks
good() {
	local fat=$1 img="$tmp/fat$1.img" line
	local n=fs$fat${2:-}
	"$here/mkdisk.sh" "$img" "$fat" > /dev/null || { fail "mkdisk FAT$fat"; return; }
	ideargs=${3:-}
	boot "$n" "$img" workload=fs || { ideargs=""; return; }
	ideargs=
	if [ "$status" -ne 0 ] || ! grep -q '^workload: fs files=.* PASS$' "$tmp/$n.log"; then
		fail "$n: status $status"
		grep -E '^workload: (fs|PASS|FAIL)' "$tmp/$n.log" | grep -v ' ok$' | head -8
		return
	fi
	if ! fsck.vfat -n "$img" > "$tmp/fsck$fat.txt" 2>&1; then
		fail "$n: fsck.vfat reports errors"
		cat "$tmp/fsck$fat.txt"
		return
	fi
	line="fs workload $(sed -n 's/^workload: fs \(files=.*\) PASS$/\1/p' "$tmp/$n.log")"
	if [ "$(mtype -i "$img" ::/out/RESULT.TXT)" != "$line" ]; then
		fail "$n: RESULT.TXT is '$(mtype -i "$img" ::/out/RESULT.TXT)', want '$line'"
		return
	fi
	if [ "$(mtype -i "$img" '::/out/Long File Name Written By Guest.txt')" != \
	     "nooks-emu wrote this through vfat.ko and ide.ko" ]; then
		fail "$n: long-name file missing or wrong"
		return
	fi
	if [ "$(mtype -i "$img" ::/out/abort.txt)" != "written before the abort" ]; then
		fail "$n: /out/abort.txt (written before vfs_abort) missing or wrong"
		return
	fi
	mcopy -n -i "$img" ::/out/pattern.bin "$tmp/pattern.bin" &&
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(d != bytes(((k*7+3)&255) for k in range(100000)))' \
		"$tmp/pattern.bin" || { fail "$n: pattern.bin differs"; return; }
	mdir -i "$img" '::/bin/moved directory' > /dev/null 2>&1 && { fail "$n: removed dir still there"; return; }
	mdir -i "$img" ::/src/lib > /dev/null 2>&1 && { fail "$n: /src/lib still there"; return; }
	mdir -b -i "$img" '::/src/kernel core' | grep -q '/SRC_4.c$' || { fail "$n: /src/kernel core lacks SRC_4.c"; return; }
	mdir -b -i "$img" ::/bin | grep -q '/Linked Object Number 25.elf$' || { fail "$n: /bin lacks renamed objects"; return; }
	echo "ok   $n: $(grep '^workload: fs files=' "$tmp/$n.log"); fsck clean; mtools sees RESULT.TXT, abort.txt, long names, pattern.bin, renames"
}

# bad NAME IMAGE PATTERN: the guest must not oops or hang, and print PATTERN
bad() {
	local name=$1 img=$2 pat=$3
	boot "$name" "$img" workload=fs || return
	if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
		fail "$name: status $status"
		return
	fi
	if ! grep -Eq -- "$pat" "$tmp/$name.log"; then
		fail "$name: no line matching '$pat'"
		grep -E '^(workload|vfat|ide):' "$tmp/$name.log" | grep -v ' ok$' | head -6
		return
	fi
	echo "ok   $name: $(grep -E -- "$pat" "$tmp/$name.log" | head -1) $(grep -m1 -E '^workload: fs round [0-9]+ FAIL' "$tmp/$name.log")"
}

good 32
good 16
good 12
good 32 _irq ' irq=1'     # interrupt-driven ide.ko

# no disk: ide.ko refuses to load, the mount fails, no hang
bad nodisk - '^workload: fs mount vfat on 0300: -19$'

# a bad BPB (bytes per sector 1000)
"$here/mkdisk.sh" "$tmp/bpb.img" 16 > /dev/null
printf '\xe8\x03' | dd of="$tmp/bpb.img" bs=1 seek=11 conv=notrunc status=none
bad bad_bpb "$tmp/bpb.img" '^workload: fs mount vfat on 0300: -22$'

# a FAT loop inside /big.bin's chain: reading it fails with -EIO
"$here/mkdisk.sh" "$tmp/loop.img" 32 > /dev/null
python3 - "$tmp/loop.img" <<'EOF'
import struct, sys
f = open(sys.argv[1], "r+b"); b = f.read(512)
rsvd, nfats = struct.unpack_from("<H", b, 14)[0], b[16]
fatsz, root = struct.unpack_from("<I", b, 36)[0], struct.unpack_from("<I", b, 44)[0]
spc = b[13]; data = rsvd + nfats * fatsz
f.seek((data + (root - 2) * spc) * 512); d = f.read(spc * 512)
for i in range(0, len(d), 32):
    if d[i:i+11] == b"BIG     BIN":
        start = struct.unpack_from("<H", d, i + 26)[0] | struct.unpack_from("<H", d, i + 20)[0] << 16
for k in range(nfats):
    f.seek((rsvd + k * fatsz) * 512 + (start + 40) * 4)
    f.write(struct.pack("<I", start + 3))
EOF
bad fat_loop "$tmp/loop.img" '^workload: fs round 2 FAIL -5$'

# random corruption of FAT and directory sectors, a few seeds
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
	fats=(32 16 12)
	"$here/mkdisk.sh" "$tmp/rnd.img" "${fats[$((seed % 3))]}" > /dev/null
	python3 - "$tmp/rnd.img" "$seed" <<'EOF'
import random, struct, sys
f = open(sys.argv[1], "r+b"); r = random.Random(int(sys.argv[2])); b = f.read(512)
rsvd, nfats = struct.unpack_from("<H", b, 14)[0], b[16]
fatsz = struct.unpack_from("<H", b, 22)[0] or struct.unpack_from("<I", b, 36)[0]
rootents = struct.unpack_from("<H", b, 17)[0]
meta_end = rsvd + nfats * fatsz + (rootents * 32 + 511) // 512 + 64
for _ in range(24):           # bytes in the FATs, root and first directories
    f.seek(r.randrange(rsvd * 512, meta_end * 512)); f.write(bytes([r.randrange(256)]))
EOF
	bad "corrupt$seed" "$tmp/rnd.img" '^workload: fs files=.* (PASS|FAIL)$|^workload: fs mount vfat on 0300: -'
done

# corrupt directory entries of "/" (names, attributes, start clusters, sizes)
for seed in 21 22 23 24 25 26; do
	fats=(32 16 12)
	"$here/mkdisk.sh" "$tmp/dir.img" "${fats[$((seed % 3))]}" > /dev/null
	python3 - "$tmp/dir.img" "$seed" <<'EOF'
import random, struct, sys
f = open(sys.argv[1], "r+b"); r = random.Random(int(sys.argv[2])); b = f.read(512)
rsvd, nfats, spc = struct.unpack_from("<H", b, 14)[0], b[16], b[13]
fatsz = struct.unpack_from("<H", b, 22)[0] or struct.unpack_from("<I", b, 36)[0]
rootents = struct.unpack_from("<H", b, 17)[0]
root = rsvd + nfats * fatsz
if not rootents:
    root += (struct.unpack_from("<I", b, 44)[0] - 2) * spc
for _ in range(8):            # within the first 8 entries (volume label, LFNs, files)
    f.seek(root * 512 + r.randrange(256)); f.write(bytes([r.randrange(256)]))
EOF
	bad "dirent$seed" "$tmp/dir.img" '^workload: fs files=.* (PASS|FAIL)$|^workload: fs mount vfat on 0300: -'
done

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
