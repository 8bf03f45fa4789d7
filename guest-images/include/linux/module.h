/*
 * linux/module.h - loadable modules: what a driver writes (module_init,
 * EXPORT_SYMBOL, MODULE_PARM, THIS_MODULE) and what the loader
 * (kernel/module.c) and the Nooks isolation manager share (struct module
 * and the loader's hooks).
 *
 * A module is an ELF32 relocatable object (a .ko, built with -c) handed to
 * the kernel as a Multiboot module whose command line is "path args".  The
 * loader copies its SHF_ALLOC sections into four regions, one per kind,
 * applies the REL relocations (R_386_32, R_386_PC32), binds undefined
 * symbols to exported kernel (and other modules') symbols, and calls
 * init_module().  The original Multiboot bytes are never written, so a
 * module can be loaded again from them (module_reload) after a crash.
 *
 * Loading, in order:
 *   1. parse and check the ELF image (errors: printk, module skipped)
 *   2. mod->isolated = module_wants_isolation(name)   (nooks= option)
 *   3. each region: module_section_alloc_hook(mod, size, flags) if set,
 *      else whole zeroed pages from the page allocator; copy; zero bss
 *   4. relocate; an undefined symbol S resolves to the exported kernel
 *      address A, then, if mod->isolated and module_import_hook is set,
 *      to module_import_hook(mod, S, A) (a wrapper, or A itself)
 *   5. set MODULE_PARM variables from the args; record init/exit, exports
 *   6. nooks_module_loaded(mod)      (weak: only if Nooks is linked in)
 *   7. init: module_call_init_hook(mod) if set and mod->isolated, else
 *      mod->init(); a nonzero result unloads the module again
 *   8. print "module: loaded <name> at <text addr> size <n> isolated=<0|1>"
 * Unloading: exit (module_call_exit_hook(mod) if set and isolated, else
 * mod->exit()), nooks_module_unloaded(mod), free the regions
 * (module_section_free_hook if set), unlink.
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/types.h>

/* Region kinds; also the flags word passed to module_section_alloc_hook. */
enum module_sect_kind {
	MOD_SECT_TEXT,		/* SHF_EXECINSTR: code */
	MOD_SECT_RODATA,	/* SHF_ALLOC without SHF_WRITE: constants, ops tables */
	MOD_SECT_DATA,		/* SHF_WRITE, PROGBITS: initialised data */
	MOD_SECT_BSS,		/* SHF_WRITE, NOBITS: zeroed data */
	MOD_NR_SECTS
};
#define MOD_SECT_FLAG_EXEC 0x1u		/* flags: code */
#define MOD_SECT_FLAG_WRITE 0x2u	/* flags: the module writes it */
#define MOD_SECT_FLAG_ZERO 0x4u		/* flags: bss */
#define MOD_SECT_KIND(flags) ((flags) >> 8)	/* flags bits 15..8: the kind */

struct module_section {
	unsigned long addr;	/* where the region was placed (0: empty) */
	size_t size;		/* bytes used */
	unsigned int flags;	/* MOD_SECT_FLAG_* | kind << 8 */
};

/* An exported symbol: kernel ones in __ksymtab, a module's in its own. */
struct kernel_symbol {
	unsigned long value;
	const char *name;
};

/* A module parameter (MODULE_PARM): set from "name=value" module args. */
struct module_param {
	const char *name;
	void *addr;
	const char *type;	/* "i": int, "s": char * (points into mod->args) */
};

#define MODULE_NAME_LEN 32
#define MODULE_ARGS_LEN 128

enum module_state { MODULE_STATE_LOADING, MODULE_STATE_LIVE, MODULE_STATE_GOING };

struct module {
	char name[MODULE_NAME_LEN];		/* file name without directory and .ko */
	char args[MODULE_ARGS_LEN];		/* the module's command line after the path */
	char argbuf[MODULE_ARGS_LEN];		/* args split into NUL-terminated values */
	struct module_section sect[MOD_NR_SECTS];
	int (*init)(void);			/* init_module, or NULL */
	void (*exit)(void);			/* cleanup_module, or NULL */
	const struct kernel_symbol *syms;	/* the module's EXPORT_SYMBOLs */
	unsigned int num_syms;
	const void *image;			/* pristine ELF bytes (never written) */
	size_t image_size;
	enum module_state state;
	unsigned int load_count;		/* 1 on the first load, +1 per reload */
	int init_result;			/* what init returned */
	bool isolated;				/* run in a Nooks domain */
	void *nooks;				/* the isolation manager's per-module state */
	struct module *next;			/* module_list */
};

#ifdef MODULE
/* The loader binds __this_module to the module's struct module. */
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
/*
 * module_init/module_exit - name the init and exit functions: they become
 * the global symbols init_module and cleanup_module the loader looks for.
 */
#define module_init(fn) int init_module(void) __attribute__((alias(#fn)))
#define module_exit(fn) void cleanup_module(void) __attribute__((alias(#fn)))
#else
#define THIS_MODULE ((struct module *)0)
#define module_init(fn)
#define module_exit(fn)
#endif

#define __init
#define __exit
#define __devinit
#define __devexit
#define __devexit_p(x) x

/* EXPORT_SYMBOL - make sym resolvable by modules (a __ksymtab entry). */
#define EXPORT_SYMBOL(sym) \
	static const char __kstrtab_##sym[] = #sym; \
	static const struct kernel_symbol __ksymtab_##sym \
	__attribute__((section("__ksymtab"), used, aligned(4))) = \
		{ (unsigned long)&sym, __kstrtab_##sym }
#define EXPORT_SYMBOL_NOVERS EXPORT_SYMBOL

/*
 * MODULE_PARM(var, type) - var may be set from the module args as
 * "var=value"; type "i" (int, any base) or "s" (char *).
 */
#define MODULE_PARM(var, typ) \
	static const char __mparm_name_##var[] = #var; \
	static const struct module_param __mparm_##var \
	__attribute__((section("__param"), used, aligned(4))) = \
		{ __mparm_name_##var, (void *)&var, typ }

#define MODULE_LICENSE(s)
#define MODULE_AUTHOR(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_PARM_DESC(var, s)
#define MOD_INC_USE_COUNT do { } while (0)
#define MOD_DEC_USE_COUNT do { } while (0)

#ifndef MODULE
/* ---- kernel side: the loader (kernel/module.c) ---- */

/* module_list - every loaded module, most recent first. */
extern struct module *module_list;

/*
 * module_load - load a module from image (size bytes, not modified and
 * kept for reloads) with cmdline "path args".  Returns the live module, or
 * NULL after printing "module: <name>: <reason>" (bad ELF, unknown
 * relocation, unresolved symbol, out of memory, init failed).
 */
struct module *module_load(const void *image, size_t size, const char *cmdline);

/* module_load_boot_modules - module_load every Multiboot module; returns how many loaded. */
int module_load_boot_modules(void);

/*
 * module_unload - call the exit function, tell Nooks, free the regions,
 * unlink and free mod.  Returns 0.
 */
int module_unload(struct module *mod);

/*
 * module_discard - like module_unload but without calling the exit
 * function: for a module that crashed (the recovery manager releases its
 * resources itself).
 */
void module_discard(struct module *mod);

/*
 * module_reload - module_unload (or module_discard if call_exit is false)
 * and load again from the same pristine image and args.  Returns the new
 * struct module (a different pointer) or NULL.  load_count goes up by one.
 */
struct module *module_reload(struct module *mod, bool call_exit);

/* module_find - the loaded module called name, or NULL. */
struct module *module_find(const char *name);

/* module_of_addr - the module whose regions contain addr, or NULL. */
struct module *module_of_addr(unsigned long addr);

/* module_unload_all - unload every module, newest first (shutdown). */
void module_unload_all(void);

/*
 * find_kernel_symbol - the address of an exported kernel or module symbol
 * (modules in load order after the kernel), or 0.
 */
unsigned long find_kernel_symbol(const char *name);

/*
 * module_wants_isolation - does the boot option nooks= ask for module name
 * to run isolated?  "nooks=all", "nooks=none" (the default) or a comma list
 * of module names, "nooks=e1000,buggy_uaf".
 */
bool module_wants_isolation(const char *name);

/* ---- hooks for the Nooks isolation manager (all NULL by default) ---- */

/*
 * module_import_hook - called for every undefined symbol of an isolated
 * module with the kernel address it would bind to; returns the address to
 * bind (a wrapper, or kernel_addr).  NULL from the hook fails the load.
 */
extern void *(*module_import_hook)(struct module *mod, const char *name,
				   void *kernel_addr);

/*
 * module_section_alloc_hook - place one region of an isolated module: size
 * bytes, flags = MOD_SECT_FLAG_* | kind << 8.  Must return page-aligned
 * memory the kernel can write (the loader copies and relocates there), or
 * NULL.  The default is zeroed whole pages from the page allocator.
 * module_section_free_hook frees what the alloc hook returned.
 */
extern void *(*module_section_alloc_hook)(struct module *mod, size_t size,
					  unsigned int flags);
extern void (*module_section_free_hook)(struct module *mod, void *addr,
					size_t size, unsigned int flags);

/*
 * module_call_init_hook / module_call_exit_hook - if set, an isolated
 * module's init/exit is run through them (an XPC into its domain) instead
 * of being called directly.
 */
extern int (*module_call_init_hook)(struct module *mod);
extern void (*module_call_exit_hook)(struct module *mod);

/*
 * nooks_module_loaded - called after relocation, before init, for every
 * module (isolated or not); nooks_module_unloaded - after exit, before the
 * regions are freed.  Weak: the kernel links without Nooks.
 */
void nooks_module_loaded(struct module *mod) __attribute__((weak));
void nooks_module_unloaded(struct module *mod) __attribute__((weak));

#endif /* !MODULE */

#endif
