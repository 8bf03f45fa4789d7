#!/usr/bin/env bash
# scripts/setup.sh - install what nooks-emu needs on a Debian machine and build
# the guest images from source. Safe to run again: it only installs what is missing.
#
#   Debian packages: libelf-dev libcapstone-dev pkg-config libslirp-dev (build),
#                    qemu-system-x86 (reference machine for tests and benchmarks),
#                    gdb (GDB-stub tests), make, mtools dosfstools (disk images),
#                    tshark (reading --pcap captures), curl (hostfwd tests)
#   Guest images:    make -C guest-images (clang + ld.lld from the Swift toolchain)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for p in libelf-dev libcapstone-dev pkg-config libslirp-dev qemu-system-x86 gdb make mtools dosfstools tshark curl; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "setup: building guest images" >&2
make -s -C guest-images
