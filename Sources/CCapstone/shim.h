// Shim header: exposes the capstone disassembler to Swift.
#include <capstone/capstone.h>
