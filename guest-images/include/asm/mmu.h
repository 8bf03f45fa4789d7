/*
 * asm/mmu.h - the i386 two-level page table formats and the page-fault error
 * code, drawn bit by bit.
 *
 * A 32-bit linear address, 4 KiB pages:
 *
 *   31                 22 21                 12 11                      0
 *  +---------------------+---------------------+-------------------------+
 *  |  page directory idx |   page table idx    |     offset in page      |
 *  +---------------------+---------------------+-------------------------+
 *   \__ PDX(va) _________/ \__ PTX(va) _________/
 *
 * With CR4.PSE and PDE.PS set, the PDE maps a 4 MiB page directly and bits
 * 21..0 are the offset.
 *
 * Page table entry (PTE) and page directory entry (PDE):
 *
 *   31                          12 11  9  8   7   6   5   4   3   2   1   0
 *  +------------------------------+-----+---+---+---+---+---+---+---+---+---+
 *  | physical frame address       | AVL | G |PS | D | A |PCD|PWT|U/S|R/W| P |
 *  +------------------------------+-----+---+---+---+---+---+---+---+---+---+
 *    P    present                    A   set by the CPU on any access
 *    R/W  writable                   D   set by the CPU on a write (PTE, 4 MiB PDE)
 *    U/S  user (ring 3) accessible   PS  PDE only: 4 MiB page (PTE bit 7 is PAT)
 *    PWT  write-through              G   global: kept in the TLB across CR3
 *    PCD  cache disable                  loads when CR4.PGE is set
 *
 * For a 4 MiB PDE the frame is bits 31..22; bits 21..13 must be zero.
 * A page is writable / user-accessible only if both the PDE and the PTE say so.
 * In ring 0, R/W is enforced only when CR0.WP is set.
 *
 * Page-fault (#PF, vector 14) error code; CR2 holds the faulting address:
 *
 *     4     3     2     1     0
 *  +-----+-----+-----+-----+-----+
 *  | I/D |RSVD | U/S | W/R |  P  |
 *  +-----+-----+-----+-----+-----+
 *    P    0: page not present       1: protection violation
 *    W/R  0: read                   1: write
 *    U/S  0: ring 0 access          1: ring 3 access
 *    RSVD reserved bit set in an entry; I/D instruction fetch (PAE/NX only)
 */
#ifndef _ASM_MMU_H
#define _ASM_MMU_H

#define PTE_P 0x001u
#define PTE_W 0x002u
#define PTE_U 0x004u
#define PTE_PWT 0x008u
#define PTE_PCD 0x010u
#define PTE_A 0x020u
#define PTE_D 0x040u
#define PTE_PS 0x080u	/* in a PDE */
#define PTE_G 0x100u
#define PTE_FLAGS_MASK 0xfffu
#define PTE_FRAME_MASK 0xfffff000u
#define PDE_4M_FRAME_MASK 0xffc00000u

#define PF_ERR_P 0x1u
#define PF_ERR_W 0x2u
#define PF_ERR_U 0x4u
#define PF_ERR_RSVD 0x8u
#define PF_ERR_ID 0x10u

#endif
