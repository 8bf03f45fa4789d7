/*
 * nooks/recovery.h - failure detection and recovery (nooks/recovery.c).
 *
 * Detection:
 *   - a processor exception while a domain's CR3 is loaded (trap hook);
 *   - a failed wrapper check: nooks_check_failed(d, why);
 *   - livelock: the timer tick finds the same call inside a domain for more
 *     than d->timeout_ticks ticks.
 * Then, each step printed on COM1 as one line:
 *   nooks: fault domain=NAME vector=V eip=X cr2=X why=WHY
 *   nooks: disable domain=NAME objects=N          (device IRQs masked)
 *   nooks: unwind domain=NAME tasks=N             (to the XPC that entered it)
 *   nooks: release domain=NAME objects=N          (all but IRQ lines and DMA)
 *   nooks: reload domain=NAME ok|failed err=E     (fresh domain, re-init)
 *   nooks: release-late domain=NAME objects=N     (IRQ lines, DMA memory)
 *   nooks: recovered domain=NAME restarts=N
 *   nooks: disabled domain=NAME restarts=N        (restart policy exceeded)
 */
#ifndef _NOOKS_RECOVERY_H
#define _NOOKS_RECOVERY_H

#include <asm/ptrace.h>
#include <linux/types.h>

struct nooks_domain;

/* Pseudo vectors for failures that are not processor exceptions. */
#define NOOKS_VEC_CHECK 256
#define NOOKS_VEC_TIMEOUT 257
#define NOOKS_VEC_SIGNAL 258		/* explicit signal (nooks_fail=NAME@N) */

/* nooks_check_failed - a wrapper found bad input from d: fail d and unwind
 * the current task out of it.  Does not return when the task is inside d;
 * otherwise marks d failed and returns. */
void nooks_check_failed(struct nooks_domain *d, const char *why);

/* Trap hooks called by kernel/traps.c trap() (weak there).
 * nooks_trap_enter: if a domain's CR3 is loaded, switch to the kernel's and
 * note the domain in *state; handle a domain exception (returns true: skip
 * the normal dispatch) and the livelock check on the timer tick.
 * nooks_trap_exit: undo it, or send the interrupted code to the unwinder. */
bool nooks_trap_enter(struct pt_regs *regs, unsigned long *state);
void nooks_trap_exit(struct pt_regs *regs, unsigned long state);

/* nooks_fail_domain - mark d failed (first failure wins), count, print the
 * fault line. */
void nooks_fail_domain(struct nooks_domain *d, u32 vector, u32 eip, u32 cr2, const char *why);

/* nooks_recover - run the recovery steps after the last task left d. */
void nooks_recover(struct nooks_domain *d);
/* nooks_recover_later - nooks_recover now, or from the task queue
 * (process context) when called in interrupt context. */
void nooks_recover_later(struct nooks_domain *d);

/* nooks_signal_failure - the explicit signal: fail d as if it had
 * crashed (unwinding the task if it is inside d), then recover it. */
void nooks_signal_failure(struct nooks_domain *d, const char *why);

/* nooks_unwind_trampoline - xpc.S: where a failed domain's code resumes
 * after the trap; it calls nooks_unwind_current(). */
void nooks_unwind_trampoline(void);
void nooks_unwind_current(void) __attribute__((noreturn));

#endif
