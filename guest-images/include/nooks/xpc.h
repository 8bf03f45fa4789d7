/*
 * nooks/xpc.h - extension procedure calls (nooks/xpc.c, nooks/xpc.S).
 *
 * nooks_driver_call  kernel -> extension: run fn(args) inside a domain.
 * nooks_kernel_call  extension -> kernel: run fn(args) in the kernel domain.
 *
 * A crossing has these phases; each is a separate function or a labelled
 * asm block so the emulator can attribute cycles to them by symbol:
 *
 *   phase          kernel -> extension            extension -> kernel
 *   -------------  -----------------------------  -------------------------------
 *   entry CR3      -                              nooks_kcall_cr3_kernel (xpc.S)
 *   stack choice   pick_domain_stack              pick_kernel_stack, then
 *                                                 nooks_kcall_stack_swap (xpc.S)
 *   checks         xpc_check_driver_call          xpc_check_kernel_call
 *   frame          xpc_push_frame                 xpc_push_frame
 *   copy in        xpc_copy_in                    -
 *   deferred       xpc_drain_to_ext (batched into the same crossing)
 *   switch         nooks_xpc_switch: nooks_xpc_cr3_load, nooks_xpc_stack_swap,
 *                  nooks_xpc_call, nooks_xpc_stack_back, nooks_xpc_cr3_back
 *   copy out       xpc_copy_out                   -
 *   return         xpc_pop_frame, xpc_drain_to_kernel
 *   exit           -                              nooks_kcall_stack_back,
 *                                                 nooks_kcall_cr3_domain (xpc.S)
 *
 * Interrupts are off from the CR3 load to the stack swap (and back), so a
 * trap frame is never pushed on a stack that is read-only in the current
 * address space; the callee runs with the caller's IF.
 *
 * Every crossing pushes a struct nooks_xpc_frame on the current task's
 * chain (nooks_current_task->top), always on a kernel stack (read-only in
 * the domain) unless the kernel itself runs on a domain stack (an IRQ taken
 * inside a domain).  The frame of a kernel -> extension call
 * holds a setjmp context: recovery restores it, and nooks_driver_call then
 * returns -EFAULT (exception or failed check) or -ETIMEDOUT (livelock).
 *
 * Stacks: a call into domain D continues on D's stack where this task left
 * it if the task is already inside D (kernel -> D -> kernel -> D), else takes
 * a free stack of D's pool; a call into the kernel continues on the kernel
 * stack where the task left it when it entered the domain.
 */
#ifndef _NOOKS_XPC_H
#define _NOOKS_XPC_H

#include <linux/types.h>

#define NOOKS_XPC_MAX_ARGS 8
#define NOOKS_XPC_MAX_OBJS 4
#define NOOKS_DEFER_SLOTS 32

struct nooks_domain;

/* setjmp context: callee-saved registers, stack, resume point, flags, CR3. */
struct nooks_jmpbuf {
	u32 ebx, esi, edi, ebp, esp, eip, eflags, cr3;
};

/* nooks_setjmp / nooks_longjmp - xpc.S; longjmp makes setjmp return val. */
int nooks_setjmp(struct nooks_jmpbuf *jb) __attribute__((returns_twice));
void nooks_longjmp(struct nooks_jmpbuf *jb, int val) __attribute__((noreturn));

/*
 * An object passed with one kernel -> extension call (the per-call table):
 *   NOOKS_OBJ_GRANT   map the pages of [ptr, ptr+size) writable into the
 *                     domain for this call only (page tracker)
 *   NOOKS_OBJ_COPY    call by value-result: copy to a shadow in domain memory
 *                     (its stack up to 1 KiB, else its heap), pass the shadow
 *                     as argument argno, copy back after the call
 *                     (NOOKS_OBJ_IN / NOOKS_OBJ_OUT); with NOOKS_OBJ_ARG2,
 *                     argument argno2 becomes shadow + off2 (a pointer into
 *                     the object, e.g. &file->f_pos)
 * Prefer COPY for small kernel objects and buffers: a granted page also
 * exposes whatever else the kernel keeps on it.
 */
struct nooks_xpc_obj {
	void *ptr;
	u32 size;
	u16 flags;
	s16 argno;
	s16 argno2;
	u16 off2;
	void *shadow;			/* set by xpc_copy_in */
	bool heap;			/* the shadow is a domain heap block */
};
#define NOOKS_OBJ_GRANT 0x1
#define NOOKS_OBJ_COPY 0x2
#define NOOKS_OBJ_IN 0x4
#define NOOKS_OBJ_OUT 0x8
#define NOOKS_OBJ_ARG2 0x10

/* One crossing, on the caller's stack.  Layout known to xpc.S (offsets). */
struct nooks_xpc_frame {
	/* read by nooks_xpc_switch: keep in sync with XF_* in xpc.S */
	u32 to_cr3;			/* 0x00 */
	u32 to_esp;			/* 0x04 */
	u32 from_cr3;			/* 0x08 */
	u32 from_esp;			/* 0x0c  saved by nooks_xpc_switch */
	void *fn;			/* 0x10 */
	u32 nargs;			/* 0x14 */
	u32 args[NOOKS_XPC_MAX_ARGS];	/* 0x18 */
	u32 eflags;			/* 0x38  caller's, saved by the switch */
	/* C only */
	struct nooks_xpc_frame *prev;	/* the task's chain */
	u32 magic;			/* NOOKS_FRAME_MAGIC while on the chain */
	void *real_fn;			/* when fn is the deferred-call batcher */
	u32 domain_esp;			/* extension -> kernel: the domain's ESP */
	bool irq;			/* an interrupt taken inside `from` (not a call) */
	struct nooks_domain *from, *to;	/* NULL = the kernel */
	unsigned long start_jiffies;
	unsigned int trap_depth;
	bool fresh_stack;		/* took a pool stack (give it back) */
	int stack_slot;
	struct nooks_xpc_obj *objs;
	unsigned int nobjs;
	int error;			/* set by recovery before the longjmp */
	struct nooks_jmpbuf jb;		/* kernel -> extension only */
};

#define NOOKS_FRAME_MAGIC 0x78706366u	/* "fcpx" */

/* The current task: the kernel keeps it in a global, not on the stack. */
struct nooks_task {
	struct nooks_xpc_frame *top;
	unsigned int depth;
	const char *name;
};
extern struct nooks_task *nooks_current_task;

/* Counters, also read by the emulator (symbol nooks_stats). */
struct nooks_stats {
	u32 xpc_to_ext;			/* 0x00 kernel -> extension crossings */
	u32 xpc_to_kernel;		/* 0x04 extension -> kernel crossings */
	u32 cr3_loads;			/* 0x08 domain switches (CR3 writes) */
	u32 deferred_to_ext;		/* 0x0c deferred calls run in a domain */
	u32 deferred_to_kernel;		/* 0x10 deferred calls run in the kernel */
	u32 faults;			/* 0x14 domain failures detected */
	u32 recoveries;			/* 0x18 successful recoveries */
	u32 unwinds;			/* 0x1c tasks unwound */
	u32 checks_failed;		/* 0x20 wrapper checks that failed */
	u32 native_calls;		/* 0x24 calls made with isolation off */
};
extern struct nooks_stats nooks_stats;

/* nooks_fail=NAME@N boot option: the explicit failure signal (testing). */
extern char nooks_fail_name[];
extern u32 nooks_fail_at;

/* nooks_isolation - false with nooks=off: driver calls are plain calls. */
extern bool nooks_isolation;

/* nooks_driver_call - fn(args...) inside d; fn's result, or -EFAULT /
 * -ETIMEDOUT after a failure (unwound), or -ENODEV if d is not running. */
int nooks_driver_call(struct nooks_domain *d, void *fn, int nargs, ...);
int nooks_driver_callv(struct nooks_domain *d, void *fn, int nargs, const u32 *args);
/* ... with a per-call object table (see struct nooks_xpc_obj). */
int nooks_driver_call_objs(struct nooks_domain *d, void *fn, int nargs, const u32 *args,
			   struct nooks_xpc_obj *objs, unsigned int nobjs);

/* nooks_kernel_call - from inside a domain: fn(args...) in the kernel.
 * Outside any domain it is a plain call.  (xpc.S entry) */
int nooks_kernel_call(void *fn, int nargs, ...);

/* Deferred calls, run at a later crossing:
 *   to_ext: queued by the kernel, run inside d at the next driver call,
 *           before its function, in the same crossing;
 *   to_kernel: queued from inside d (no crossing needed: the queue is in a
 *           domain-writable page), run in the kernel when the current
 *           driver call returns.
 * 0, or -ENOSPC when the queue is full. */
int nooks_defer_driver_call(struct nooks_domain *d, void *fn, int nargs, ...);
int nooks_defer_kernel_call(void *fn, int nargs, ...);

/* nooks_caller_domain - in a kernel function reached by nooks_kernel_call:
 * the domain that called it (NULL if called by the kernel). */
struct nooks_domain *nooks_caller_domain(void);

/* nooks_xpc_switch - xpc.S: the CR3 load, stack swap, call and return of
 * one crossing, described by f; returns fn's result. */
u32 nooks_xpc_switch(struct nooks_xpc_frame *f);

/* nooks_trap_depth - traps (exceptions, IRQs) being handled right now. */
extern unsigned int nooks_trap_depth;

#endif
