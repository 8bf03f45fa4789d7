// Shim header: exposes libslirp (user-mode NAT networking) to Swift.
// No pkg-config: libslirp-dev 4.7.0's slirp.pc requires glib-2.0, which the
// header itself does not need (see /work/shared/toolchain-notes.md).
#include <slirp/libslirp.h>
