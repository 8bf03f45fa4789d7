/*
 * kernel/module.c - the module loader (linux/module.h): ELF32 relocatable
 * objects in, live modules out; unloading and reloading from the pristine
 * image; the exported-symbol table; the nooks= option.
 *
 * Every check on the image happens before anything is allocated or
 * written, so a bad module costs one printk line and nothing else:
 *   module: <name>: <reason>
 */
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <linux/cmdline.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

struct module *module_list;

void *(*module_import_hook)(struct module *mod, const char *name, void *kernel_addr);
void *(*module_section_alloc_hook)(struct module *mod, size_t size, unsigned int flags);
void (*module_section_free_hook)(struct module *mod, void *addr, size_t size,
				 unsigned int flags);
int (*module_call_init_hook)(struct module *mod);
void (*module_call_exit_hook)(struct module *mod);

extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];

static const char *const sect_names[MOD_NR_SECTS] = { "text", "rodata", "data", "bss" };

/* What module_load knows about one image while loading it. */
struct load_info {
	const u8 *image;
	size_t size;
	const Elf32_Ehdr *eh;
	const Elf32_Shdr *sh;		/* section headers */
	const char *secstrings;		/* section names */
	unsigned int symndx;		/* .symtab section index */
	const Elf32_Sym *syms;
	unsigned int nsyms;
	const char *strtab;
	size_t strtab_size;
	unsigned long sh_names_off;	/* file offset of the section name table */
	const Elf32_Shdr *sh_symtab;	/* the .symtab header */
	unsigned long *sec_addr;	/* per section: where it was placed (0: not) */
	unsigned long *sym_addr;	/* per symbol: its resolved address */
};

/* ---- the exported-symbol table ---- */

/* lookup - name in [start, end), or 0. */
static unsigned long lookup(const struct kernel_symbol *start,
			    const struct kernel_symbol *end, const char *name)
{
	const struct kernel_symbol *s;

	for (s = start; s < end; s++)
		if (!strcmp(s->name, name))
			return s->value;
	return 0;
}

/* find_kernel_symbol - see linux/module.h. */
unsigned long find_kernel_symbol(const char *name)
{
	unsigned long v = lookup(__start___ksymtab, __stop___ksymtab, name);
	struct module *m;

	for (m = module_list; !v && m; m = m->next)
		if (m->state == MODULE_STATE_LIVE)
			v = lookup(m->syms, m->syms + m->num_syms, name);
	return v;
}

/* module_wants_isolation - see linux/module.h. */
bool module_wants_isolation(const char *name)
{
	char opt[COMMAND_LINE_SIZE];

	if (!cmdline_get("nooks", opt, sizeof(opt)) || !strcmp(opt, "none"))
		return false;
	return !strcmp(opt, "all") || list_contains(opt, name);
}

/* ---- checking the image ---- */

/* range_ok - does [off, off + len) lie inside an image of size bytes? */
static bool range_ok(size_t size, unsigned long off, unsigned long len)
{
	return off <= size && len <= size - off;
}

/*
 * check_relocations - every entry of REL section rs (aimed at the loaded
 * section target) has a known type, a symbol in range and a 4-byte field
 * inside target.  Returns NULL or the reason.
 */
static const char *check_relocations(struct load_info *info, const Elf32_Shdr *rs,
				      const Elf32_Shdr *target)
{
	static char why[80];
	const Elf32_Rel *rel = (const Elf32_Rel *)(info->image + rs->sh_offset);
	const char *secname = (const char *)info->image +
			      info->sh_names_off + rs->sh_name;
	unsigned int j, nsyms = info->sh_symtab->sh_size / sizeof(Elf32_Sym);

	for (j = 0; j < rs->sh_size / sizeof(*rel); j++) {
		unsigned int type = ELF32_R_TYPE(rel[j].r_info);
		if (type == R_386_NONE)
			continue;
		if (type != R_386_32 && type != R_386_PC32) {
			snprintf(why, sizeof(why), "unknown relocation type %u in %s", type,
				 secname);
			return why;
		}
		if (ELF32_R_SYM(rel[j].r_info) >= nsyms || rel[j].r_offset > target->sh_size ||
		    target->sh_size - rel[j].r_offset < 4) {
			snprintf(why, sizeof(why), "relocation out of range in %s", secname);
			return why;
		}
	}
	return NULL;
}

/*
 * check_elf - validate the headers, section table, symbol table and string
 * tables of info->image; fill in info.  Returns NULL or the reason.
 */
static const char *check_elf(struct load_info *info)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)info->image;
	const Elf32_Shdr *sh, *shstr, *strsec;
	unsigned int i, nsym = 0;
	const char *why;

	if (info->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, 4))
		return "not an ELF file";
	if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return "not a little-endian ELF32 file";
	if (eh->e_machine != EM_386)
		return "wrong machine (not EM_386)";
	if (eh->e_type != ET_REL)
		return "not a relocatable object (ET_REL)";
	if (eh->e_shentsize != sizeof(Elf32_Shdr) || !eh->e_shnum ||
	    !range_ok(info->size, eh->e_shoff, (unsigned long)eh->e_shnum * sizeof(Elf32_Shdr)) ||
	    (eh->e_shoff & 3))
		return "truncated or bad section header table";
	sh = (const Elf32_Shdr *)(info->image + eh->e_shoff);
	if (eh->e_shstrndx >= eh->e_shnum)
		return "bad section name table index";
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_type != SHT_NULL &&
		    !range_ok(info->size, sh[i].sh_offset, sh[i].sh_size))
			return "truncated (a section runs past the end of the file)";
		if (sh[i].sh_addralign > PAGE_SIZE)
			return "section alignment above a page";
		if (sh[i].sh_type == SHT_SYMTAB) {
			nsym++;
			info->symndx = i;
		}
		if (sh[i].sh_type == SHT_RELA)
			return "RELA relocations (only REL is supported)";
	}
	shstr = &sh[eh->e_shstrndx];
	if (shstr->sh_type != SHT_STRTAB || !shstr->sh_size ||
	    info->image[shstr->sh_offset + shstr->sh_size - 1])
		return "bad section name table";
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_name >= shstr->sh_size)
			return "bad section name";
	if (nsym != 1)
		return "no (or more than one) symbol table";
	if (sh[info->symndx].sh_entsize != sizeof(Elf32_Sym) ||
	    sh[info->symndx].sh_link >= eh->e_shnum || (sh[info->symndx].sh_offset & 3))
		return "bad symbol table";
	strsec = &sh[sh[info->symndx].sh_link];
	if (strsec->sh_type != SHT_STRTAB || !strsec->sh_size ||
	    info->image[strsec->sh_offset + strsec->sh_size - 1])
		return "bad string table";
	info->eh = eh;
	info->sh = sh;
	info->sh_names_off = shstr->sh_offset;
	info->sh_symtab = &sh[info->symndx];
	info->secstrings = (const char *)info->image + shstr->sh_offset;
	info->syms = (const Elf32_Sym *)(info->image + sh[info->symndx].sh_offset);
	info->nsyms = sh[info->symndx].sh_size / sizeof(Elf32_Sym);
	info->strtab = (const char *)info->image + strsec->sh_offset;
	info->strtab_size = strsec->sh_size;
	for (i = 0; i < info->nsyms; i++)
		if (info->syms[i].st_name >= info->strtab_size)
			return "bad symbol name";
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_REL)
			continue;
		if (sh[i].sh_entsize != sizeof(Elf32_Rel) || sh[i].sh_link != info->symndx ||
		    sh[i].sh_info >= eh->e_shnum || (sh[i].sh_offset & 3))
			return "bad relocation section";
		if ((sh[sh[i].sh_info].sh_flags & SHF_ALLOC) &&
		    (why = check_relocations(info, &sh[i], &sh[sh[i].sh_info])) != NULL)
			return why;
	}
	return NULL;
}

/* sect_kind - the region an SHF_ALLOC section goes to. */
static int sect_kind(const Elf32_Shdr *s)
{
	if (s->sh_flags & SHF_EXECINSTR)
		return MOD_SECT_TEXT;
	if (!(s->sh_flags & SHF_WRITE))
		return MOD_SECT_RODATA;
	return s->sh_type == SHT_NOBITS ? MOD_SECT_BSS : MOD_SECT_DATA;
}

/* sect_flags - the flags word for a region kind (linux/module.h). */
static unsigned int sect_flags(int kind)
{
	static const unsigned int f[MOD_NR_SECTS] = {
		MOD_SECT_FLAG_EXEC, 0, MOD_SECT_FLAG_WRITE,
		MOD_SECT_FLAG_WRITE | MOD_SECT_FLAG_ZERO,
	};
	return f[kind] | ((unsigned int)kind << 8);
}

/* ---- regions ---- */

/* region_order - the page order of a default region of size bytes. */
static unsigned int region_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* free_regions - give back every region of mod. */
static void free_regions(struct module *mod)
{
	int k;

	for (k = 0; k < MOD_NR_SECTS; k++) {
		struct module_section *s = &mod->sect[k];
		if (!s->addr)
			continue;
		if (mod->isolated && module_section_alloc_hook && module_section_free_hook)
			module_section_free_hook(mod, (void *)s->addr, s->size, s->flags);
		else if (!(mod->isolated && module_section_alloc_hook))
			free_pages(s->addr, region_order(s->size));
		s->addr = 0;
	}
}

/*
 * layout_and_copy - give every SHF_ALLOC section an address inside its
 * region, allocate the regions, copy the contents.  Returns NULL or the
 * reason.
 */
static const char *layout_and_copy(struct module *mod, struct load_info *info)
{
	unsigned int i, n = info->eh->e_shnum;
	size_t off[MOD_NR_SECTS] = { 0 };
	int k;

	for (i = 0; i < n; i++) {
		const Elf32_Shdr *s = &info->sh[i];
		size_t align = s->sh_addralign ? s->sh_addralign : 1;
		if (!(s->sh_flags & SHF_ALLOC) || !s->sh_size)
			continue;
		k = sect_kind(s);
		off[k] = ALIGN(off[k], align);
		info->sec_addr[i] = off[k];	/* an offset until the region exists */
		off[k] += s->sh_size;
	}
	for (k = 0; k < MOD_NR_SECTS; k++) {
		void *p;
		mod->sect[k].flags = sect_flags(k);
		mod->sect[k].size = off[k];
		if (!off[k])
			continue;
		if (mod->isolated && module_section_alloc_hook) {
			p = module_section_alloc_hook(mod, off[k], mod->sect[k].flags);
			if (p && ((unsigned long)p & ~PAGE_MASK))
				return "the section allocator returned unaligned memory";
		} else {
			p = (void *)__get_free_pages(region_order(off[k]));
		}
		if (!p)
			return "out of memory for sections";
		memset(p, 0, off[k]);
		mod->sect[k].addr = (unsigned long)p;
	}
	for (i = 0; i < n; i++) {
		const Elf32_Shdr *s = &info->sh[i];
		if (!(s->sh_flags & SHF_ALLOC) || !s->sh_size)
			continue;
		info->sec_addr[i] += mod->sect[sect_kind(s)].addr;
		if (s->sh_type != SHT_NOBITS)
			memcpy((void *)info->sec_addr[i], info->image + s->sh_offset, s->sh_size);
	}
	return NULL;
}

/* ---- symbols and relocations ---- */

/*
 * resolve_symbols - the address of every symbol: defined ones from their
 * section, undefined ones from the exported table (through the import hook
 * for an isolated module).  Prints and returns false on an unresolved one.
 */
static bool resolve_symbols(struct module *mod, struct load_info *info)
{
	unsigned int i;

	for (i = 1; i < info->nsyms; i++) {
		const Elf32_Sym *s = &info->syms[i];
		const char *name = info->strtab + s->st_name;
		unsigned long v;

		if (s->st_shndx == SHN_UNDEF) {
			if (!strcmp(name, "__this_module")) {
				info->sym_addr[i] = (unsigned long)mod;
				continue;
			}
			v = find_kernel_symbol(name);
			if (!v && ELF32_ST_BIND(s->st_info) != STB_WEAK) {
				printk(KERN_ERR "module: %s: unresolved symbol %s\n", mod->name, name);
				return false;
			}
			if (v && mod->isolated && module_import_hook) {
				v = (unsigned long)module_import_hook(mod, name, (void *)v);
				if (!v) {
					printk(KERN_ERR "module: %s: import of %s refused\n",
					       mod->name, name);
					return false;
				}
			}
			info->sym_addr[i] = v;
		} else if (s->st_shndx == SHN_ABS) {
			info->sym_addr[i] = s->st_value;
		} else if (s->st_shndx == SHN_COMMON) {
			printk(KERN_ERR "module: %s: common symbol %s (build with -fno-common)\n",
			       mod->name, name);
			return false;
		} else if (s->st_shndx < info->eh->e_shnum && info->sec_addr[s->st_shndx]) {
			info->sym_addr[i] = info->sec_addr[s->st_shndx] + s->st_value;
		} else {
			info->sym_addr[i] = 0;	/* in a section not loaded (debug info) */
		}
	}
	return true;
}

/* apply_relocations - every REL section aimed at a loaded section. */
static const char *apply_relocations(struct module *mod, struct load_info *info)
{
	static char why[64];
	unsigned int i, j;

	(void)mod;
	for (i = 0; i < info->eh->e_shnum; i++) {
		const Elf32_Shdr *rs = &info->sh[i], *target;
		const Elf32_Rel *rel;
		unsigned long base;

		if (rs->sh_type != SHT_REL)
			continue;
		target = &info->sh[rs->sh_info];
		base = info->sec_addr[rs->sh_info];
		if (!(target->sh_flags & SHF_ALLOC) || !base)
			continue;
		rel = (const Elf32_Rel *)(info->image + rs->sh_offset);
		for (j = 0; j < rs->sh_size / sizeof(*rel); j++) {
			unsigned int sym = ELF32_R_SYM(rel[j].r_info);
			unsigned int type = ELF32_R_TYPE(rel[j].r_info);
			u32 *p = (u32 *)(base + rel[j].r_offset);
			if (type == R_386_NONE)
				continue;
			if (sym >= info->nsyms || rel[j].r_offset > target->sh_size ||
			    target->sh_size - rel[j].r_offset < 4)
				return "relocation out of range";
			if (type == R_386_32) {
				*p += info->sym_addr[sym];
			} else if (type == R_386_PC32) {
				*p += info->sym_addr[sym] - (u32)(unsigned long)p;
			} else {
				snprintf(why, sizeof(why), "unknown relocation type %u in %s",
					 type, info->secstrings + rs->sh_name);
				return why;
			}
		}
	}
	return NULL;
}

/* find_global - the address of a defined global function/object, or 0. */
static unsigned long find_global(const struct load_info *info, const char *name)
{
	unsigned int i;

	for (i = 1; i < info->nsyms; i++) {
		const Elf32_Sym *s = &info->syms[i];
		if (s->st_shndx != SHN_UNDEF && ELF32_ST_BIND(s->st_info) != STB_LOCAL &&
		    !strcmp(info->strtab + s->st_name, name))
			return info->sym_addr[i];
	}
	return 0;
}

/* find_section - index of the loaded section called name, or 0. */
static unsigned int find_section(const struct load_info *info, const char *name)
{
	unsigned int i;

	for (i = 1; i < info->eh->e_shnum; i++)
		if (info->sec_addr[i] && !strcmp(info->secstrings + info->sh[i].sh_name, name))
			return i;
	return 0;
}

/*
 * set_params - split mod->args into argbuf and set the MODULE_PARM
 * variables named in it ("name=value" words; unknown names are reported).
 */
static void set_params(struct module *mod, const struct module_param *params,
		       unsigned int nparams)
{
	char *p = mod->argbuf, *word, *eq;
	unsigned int i;

	strlcpy(mod->argbuf, mod->args, sizeof(mod->argbuf));
	while (*p) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		word = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
		eq = strchr(word, '=');
		if (!eq) {
			printk(KERN_WARNING "module: %s: ignoring argument '%s'\n", mod->name, word);
			continue;
		}
		*eq = 0;
		for (i = 0; i < nparams; i++)
			if (!strcmp(params[i].name, word))
				break;
		if (i == nparams) {
			printk(KERN_WARNING "module: %s: unknown parameter '%s'\n", mod->name, word);
			continue;
		}
		if (params[i].type[0] == 'i')
			*(int *)params[i].addr = (int)simple_strtol(eq + 1, NULL, 0);
		else if (params[i].type[0] == 's')
			*(char **)params[i].addr = eq + 1;
	}
}

/* ---- loading and unloading ---- */

/* set_name - mod->name from the path's last component without ".ko"; args after it. */
static void set_name(struct module *mod, const char *cmdline)
{
	const char *path = cmdline, *end, *base;
	size_t len;

	while (*path == ' ')
		path++;
	end = path;
	while (*end && *end != ' ')
		end++;
	base = end;
	while (base > path && base[-1] != '/')
		base--;
	len = end - base;
	if (len > 3 && !strncmp(end - 3, ".ko", 3))
		len -= 3;
	if (len >= sizeof(mod->name))
		len = sizeof(mod->name) - 1;
	memcpy(mod->name, base, len);
	mod->name[len] = 0;
	if (!len)
		strcpy(mod->name, "?");
	while (*end == ' ')
		end++;
	strlcpy(mod->args, end, sizeof(mod->args));
}

/* unlink_module - take mod off module_list. */
static void unlink_module(struct module *mod)
{
	struct module **p;

	for (p = &module_list; *p; p = &(*p)->next) {
		if (*p == mod) {
			*p = mod->next;
			return;
		}
	}
}

/* module_load - see linux/module.h. */
struct module *module_load(const void *image, size_t size, const char *cmdline)
{
	struct load_info info = { .image = image, .size = size };
	struct module *mod = kzalloc(sizeof(*mod), GFP_KERNEL);
	const char *why;
	unsigned int i;
	int err;

	if (!mod) {
		printk(KERN_ERR "module: out of memory\n");
		return NULL;
	}
	set_name(mod, cmdline);
	mod->image = image;
	mod->image_size = size;
	mod->load_count = 1;
	mod->state = MODULE_STATE_LOADING;
	if ((why = check_elf(&info)) != NULL)
		goto fail;
	if (module_find(mod->name)) {
		why = "a module of that name is already loaded";
		goto fail;
	}
	mod->isolated = module_wants_isolation(mod->name);
	info.sec_addr = kzalloc(info.eh->e_shnum * sizeof(unsigned long), GFP_KERNEL);
	info.sym_addr = kzalloc(info.nsyms * sizeof(unsigned long), GFP_KERNEL);
	if (!info.sec_addr || !info.sym_addr) {
		why = "out of memory";
		goto fail;
	}
	if ((why = layout_and_copy(mod, &info)) != NULL)
		goto fail;
	if (!resolve_symbols(mod, &info)) {
		why = NULL;
		goto fail;
	}
	if ((why = apply_relocations(mod, &info)) != NULL)
		goto fail;

	mod->init = (int (*)(void))find_global(&info, "init_module");
	mod->exit = (void (*)(void))find_global(&info, "cleanup_module");
	if ((i = find_section(&info, "__ksymtab")) != 0) {
		mod->syms = (const struct kernel_symbol *)info.sec_addr[i];
		mod->num_syms = info.sh[i].sh_size / sizeof(struct kernel_symbol);
	}
	i = find_section(&info, "__param");
	set_params(mod, i ? (const struct module_param *)info.sec_addr[i] : NULL,
		   i ? info.sh[i].sh_size / sizeof(struct module_param) : 0);
	kfree(info.sec_addr);
	kfree(info.sym_addr);
	info.sec_addr = info.sym_addr = NULL;

	mod->next = module_list;
	module_list = mod;
	if (nooks_module_loaded)
		nooks_module_loaded(mod);
	err = 0;
	if (mod->isolated && module_call_init_hook)
		err = module_call_init_hook(mod);
	else if (mod->init)
		err = mod->init();
	mod->init_result = err;
	if (err) {
		printk(KERN_ERR "module: %s: init failed (%d)\n", mod->name, err);
		module_discard(mod);
		return NULL;
	}
	mod->state = MODULE_STATE_LIVE;
	printk("module: loaded %s at 0x%08lx size %u isolated=%d\n", mod->name,
	       mod->sect[MOD_SECT_TEXT].addr,
	       (unsigned int)(mod->sect[0].size + mod->sect[1].size + mod->sect[2].size +
			      mod->sect[3].size), mod->isolated ? 1 : 0);
	for (i = 0; i < MOD_NR_SECTS; i++)
		if (mod->sect[i].addr)
			printk("module: %s %s 0x%08lx size %u\n", mod->name, sect_names[i],
			       mod->sect[i].addr, (unsigned int)mod->sect[i].size);
	return mod;

fail:
	if (why)
		printk(KERN_ERR "module: %s: %s\n", mod->name, why);
	printk(KERN_ERR "module: %s: not loaded\n", mod->name);
	free_regions(mod);
	kfree(info.sec_addr);
	kfree(info.sym_addr);
	kfree(mod);
	return NULL;
}

/* module_discard - see linux/module.h. */
void module_discard(struct module *mod)
{
	mod->state = MODULE_STATE_GOING;
	if (nooks_module_unloaded)
		nooks_module_unloaded(mod);
	unlink_module(mod);
	free_regions(mod);
	printk("module: unloaded %s\n", mod->name);
	kfree(mod);
}

/* module_unload - see linux/module.h. */
int module_unload(struct module *mod)
{
	mod->state = MODULE_STATE_GOING;
	if (mod->isolated && module_call_exit_hook)
		module_call_exit_hook(mod);
	else if (mod->exit)
		mod->exit();
	module_discard(mod);
	return 0;
}

/* module_reload - see linux/module.h. */
struct module *module_reload(struct module *mod, bool call_exit)
{
	char cmdline[MODULE_NAME_LEN + MODULE_ARGS_LEN + 2];
	const void *image = mod->image;
	size_t size = mod->image_size;
	unsigned int count = mod->load_count;
	struct module *n;

	snprintf(cmdline, sizeof(cmdline), "%s %s", mod->name, mod->args);
	if (call_exit)
		module_unload(mod);
	else
		module_discard(mod);
	n = module_load(image, size, cmdline);
	if (n)
		n->load_count = count + 1;
	return n;
}

/* module_find - see linux/module.h. */
struct module *module_find(const char *name)
{
	struct module *m;

	for (m = module_list; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

/* module_of_addr - see linux/module.h. */
struct module *module_of_addr(unsigned long addr)
{
	struct module *m;
	int k;

	for (m = module_list; m; m = m->next)
		for (k = 0; k < MOD_NR_SECTS; k++)
			if (m->sect[k].addr && addr >= m->sect[k].addr &&
			    addr - m->sect[k].addr < m->sect[k].size)
				return m;
	return NULL;
}

/* module_unload_all - see linux/module.h. */
void module_unload_all(void)
{
	while (module_list)
		module_unload(module_list);
}

/*
 * protect_image - map the pages of a boot module read-only (where the
 * kernel uses 4 KiB pages), so nothing, a wild driver included, can
 * change the pristine image a crashed module is reloaded from.
 */
static void protect_image(unsigned long start, unsigned long end)
{
	unsigned long va;

	for (va = start & PAGE_MASK; va < end && va < LOWMEM_4K; va += PAGE_SIZE) {
		pte_t *pte = pte_lookup(kernel_pgdir, va, false);
		if (pte && (*pte & PTE_P)) {
			*pte &= ~PTE_W;
			flush_tlb_one(va);
		}
	}
}

/* module_load_boot_modules - see linux/module.h. */
int module_load_boot_modules(void)
{
	unsigned int i;
	int n = 0;

	/* all images first: page-table copies made while loading see them read-only */
	for (i = 0; i < boot_params.nr_modules; i++)
		protect_image(boot_params.modules[i].start, boot_params.modules[i].end);
	for (i = 0; i < boot_params.nr_modules; i++) {
		const struct boot_module *bm = &boot_params.modules[i];
		if (module_load((const void *)bm->start, bm->end - bm->start, bm->string))
			n++;
	}
	return n;
}
