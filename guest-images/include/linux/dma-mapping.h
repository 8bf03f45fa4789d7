/*
 * linux/dma-mapping.h - memory a PCI device reads and writes by DMA
 * (kernel/pci.c).
 *
 * There is no IOMMU and RAM is identity-mapped: a DMA (bus) address is the
 * physical address is the kernel virtual address.  Consistent memory is
 * physically contiguous, zeroed, whole pages; streaming mappings of kernel
 * buffers only translate the address (x86 keeps caches coherent).
 */
#ifndef _LINUX_DMA_MAPPING_H
#define _LINUX_DMA_MAPPING_H

#include <linux/types.h>

typedef u32 dma_addr_t;

struct pci_dev;

#define PCI_DMA_BIDIRECTIONAL 0
#define PCI_DMA_TODEVICE 1
#define PCI_DMA_FROMDEVICE 2
#define PCI_DMA_NONE 3

/*
 * pci_alloc_consistent - size bytes of zeroed, physically contiguous,
 * page-aligned memory; its bus address goes to *dma.  NULL if out of memory.
 */
void *pci_alloc_consistent(struct pci_dev *pdev, size_t size, dma_addr_t *dma);

/* pci_free_consistent - free what pci_alloc_consistent returned. */
void pci_free_consistent(struct pci_dev *pdev, size_t size, void *vaddr, dma_addr_t dma);

/* pci_map_single - the bus address of a kernel buffer for a DMA transfer. */
static inline dma_addr_t pci_map_single(struct pci_dev *pdev, void *ptr, size_t size,
					int direction)
{
	(void)pdev; (void)size; (void)direction;
	return (dma_addr_t)(unsigned long)ptr;
}

/* pci_unmap_single - end a streaming mapping (nothing to do on this machine). */
static inline void pci_unmap_single(struct pci_dev *pdev, dma_addr_t dma, size_t size,
				    int direction)
{
	(void)pdev; (void)dma; (void)size; (void)direction;
}

#endif
