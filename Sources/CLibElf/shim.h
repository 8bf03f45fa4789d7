// Shim header: exposes libelf and gelf to Swift.
#include <libelf.h>
#include <gelf.h>
