/*
 * linux/elf.h - the parts of ELF32 the module loader reads: the file
 * header, section headers, symbols and REL relocations.
 *
 * A relocatable object (e_type ET_REL):
 *
 *   +------------------+ 0
 *   | Elf32_Ehdr       |  e_shoff -> section header table, e_shnum entries,
 *   +------------------+  e_shstrndx = the section holding section names
 *   | section contents |  .text .rodata .data (.bss has none), .symtab,
 *   |                  |  .strtab, .rel.text, .rel.rodata, ...
 *   +------------------+ e_shoff
 *   | Elf32_Shdr[]     |
 *   +------------------+
 *
 * A REL entry at r_offset in section sh_info of its .rel section:
 *   R_386_32   (1): *P = S + A        A = the 32 bits already at P
 *   R_386_PC32 (2): *P = S + A - P
 * where S is the symbol's address: ELF32_R_SYM(r_info) indexes .symtab.
 */
#ifndef _LINUX_ELF_H
#define _LINUX_ELF_H

#include <linux/types.h>

typedef u32 Elf32_Addr;
typedef u16 Elf32_Half;
typedef u32 Elf32_Off;
typedef s32 Elf32_Sword;
typedef u32 Elf32_Word;

#define EI_NIDENT 16
#define ELFMAG "\177ELF"
#define EI_CLASS 4
#define ELFCLASS32 1
#define EI_DATA 5
#define ELFDATA2LSB 1
#define ET_REL 1
#define EM_386 3

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf32_Half e_type, e_machine;
	Elf32_Word e_version;
	Elf32_Addr e_entry;
	Elf32_Off e_phoff, e_shoff;
	Elf32_Word e_flags;
	Elf32_Half e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

#define SHT_NULL 0
#define SHT_PROGBITS 1
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_NOBITS 8
#define SHT_REL 9

#define SHF_WRITE 0x1
#define SHF_ALLOC 0x2
#define SHF_EXECINSTR 0x4

#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_ABS 0xfff1
#define SHN_COMMON 0xfff2

typedef struct {
	Elf32_Word sh_name, sh_type, sh_flags;
	Elf32_Addr sh_addr;
	Elf32_Off sh_offset;
	Elf32_Word sh_size, sh_link, sh_info, sh_addralign, sh_entsize;
} Elf32_Shdr;

typedef struct {
	Elf32_Word st_name;
	Elf32_Addr st_value;
	Elf32_Word st_size;
	unsigned char st_info, st_other;
	Elf32_Half st_shndx;
} Elf32_Sym;

#define ELF32_ST_BIND(i) ((i) >> 4)
#define ELF32_ST_TYPE(i) ((i) & 0xf)
#define STB_LOCAL 0
#define STB_GLOBAL 1
#define STB_WEAK 2
#define STT_SECTION 3

typedef struct {
	Elf32_Addr r_offset;
	Elf32_Word r_info;
} Elf32_Rel;

#define ELF32_R_SYM(i) ((i) >> 8)
#define ELF32_R_TYPE(i) ((u8)(i))
#define R_386_NONE 0
#define R_386_32 1
#define R_386_PC32 2

#endif
