/*
 * linux/reboot.h - leaving the machine (kernel/reboot.c).
 *
 * Exit protocol (the same under QEMU and nooks-emu):
 *   - success (status 0): ACPI power-off, outw(0x2000, 0x604): QEMU's PIIX4
 *     PM1a control with SLP_EN set and SLP_TYP 0.  QEMU exits with status 0.
 *     If the machine is still running after that, debug-exit 0 (status 1).
 *   - failure (status v != 0), or "exit=debug" on the command line:
 *     outb(v, 0xf4) to the ISA debug-exit device; QEMU exits with (v << 1) | 1.
 *     With exit=debug, success also writes 0 there (status 1).
 *   - oops and panic: EXIT_PANIC (QEMU status 0xff).
 *   - self-test failures: the number of failed checks, capped at EXIT_MAX_FAILS.
 */
#ifndef _LINUX_REBOOT_H
#define _LINUX_REBOOT_H

#include <linux/compiler.h>

#define DEBUG_EXIT_PORT 0xf4
#define ACPI_PM1A_CNT 0x604
#define ACPI_SLP_EN 0x2000

#define EXIT_PANIC 0x7f
#define EXIT_MAX_FAILS 0x7e

/* machine_exit - leave the machine with status (see above).  Never returns. */
__noreturn void machine_exit(int status);

/* machine_poweroff - ACPI power-off ("reboot: Power down").  Never returns. */
__noreturn void machine_poweroff(void);

/* machine_debug_exit - write value to the debug-exit port.  Never returns. */
__noreturn void machine_debug_exit(int value);

/* machine_halt - stop with interrupts off, forever. */
__noreturn void machine_halt(void);

/* exit_use_debug_port - make success exit via 0xf4 too (exit=debug). */
void exit_use_debug_port(bool on);

#endif
