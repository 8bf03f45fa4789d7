#!/usr/bin/env bash
# guest-images/tests/mkdisk.sh - make a FAT12, FAT16 or FAT32 disk image for the
# IDE disk (no partition table: the volume starts at sector 0) and put the
# files the fs and web workloads expect on it:
#
#   /index.html                      a small page
#   /big.bin                         1 MiB, byte k = k % 251
#   /docs/A Long Directory Name/Nested File With A Long Name.txt
#                                    "hello from the host\n"
#   /docs/readme.txt, /www/about.html
#
# usage: tests/mkdisk.sh IMAGE [12|16|32] [SIZE_MIB]   (default 32: 64 MiB;
#        16: 32 MiB; 12: 8 MiB).  Needs mkfs.vfat (dosfstools) and
#        mtools.  The image is reproducible: mkfs.vfat --invariant (fixed
#        volume ID and dates) and mtools with SOURCE_DATE_EPOCH, so the same
#        arguments give the same bytes on every run.
set -eu
img=${1:?usage: mkdisk.sh IMAGE [12|16|32] [SIZE_MIB]}
fat=${2:-32}
size=${3:-}
for t in mkfs.vfat mcopy mmd; do
	if ! command -v "$t" > /dev/null && [ ! -x "/usr/sbin/$t" ]; then
		echo "mkdisk: $t missing (apt-get install dosfstools mtools)" >&2
		exit 1
	fi
done
PATH=$PATH:/usr/sbin
if [ -z "$size" ]; then
	case $fat in 32) size=64 ;; 12) size=8 ;; *) size=32 ;; esac
fi
rm -f "$img"
dd if=/dev/zero of="$img" bs=1M count="$size" status=none
if [ "$fat" = 32 ]; then
	mkfs.vfat --invariant -F 32 -s 1 -n NOOKSFAT32 "$img" > /dev/null
elif [ "$fat" = 12 ]; then
	mkfs.vfat --invariant -F 12 -n NOOKSFAT12 "$img" > /dev/null
else
	mkfs.vfat --invariant -F 16 -n NOOKSFAT16 "$img" > /dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>nooks-emu kHTTPd</title></head>
<body><h1>Hello from kHTTPd</h1><p>Served from a VFAT volume by an in-kernel web server.</p></body></html>
HTML
python3 -c 'import sys; sys.stdout.buffer.write(bytes(k % 251 for k in range(1 << 20)))' > "$tmp/big.bin"
printf 'hello from the host\n' > "$tmp/nested.txt"
printf 'readme\n' > "$tmp/readme.txt"
printf '<html><body>about</body></html>\n' > "$tmp/about.html"
export MTOOLS_SKIP_CHECK=1 SOURCE_DATE_EPOCH=1700000000 TZ=UTC
mcopy -i "$img" "$tmp/index.html" ::/index.html
mcopy -i "$img" "$tmp/big.bin" ::/big.bin
mmd -i "$img" ::/docs "::/docs/A Long Directory Name" ::/www
mcopy -i "$img" "$tmp/nested.txt" "::/docs/A Long Directory Name/Nested File With A Long Name.txt"
mcopy -i "$img" "$tmp/readme.txt" ::/docs/readme.txt
mcopy -i "$img" "$tmp/about.html" ::/www/about.html
echo "mkdisk: $img FAT$fat ${size} MiB"
