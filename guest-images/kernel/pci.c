/*
 * kernel/pci.c - PCI bus 0 (linux/pci.h): configuration mechanism #1, a
 * boot-time scan with BAR sizing, driver binding, and DMA-able memory
 * (linux/dma-mapping.h).
 */
#include <asm/io.h>
#include <asm/system.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

static LIST_HEAD(pci_devices);
static LIST_HEAD(pci_drivers);

/* conf_addr - the 0xCF8 word for a register (see the drawing in linux/pci.h). */
static u32 conf_addr(unsigned int bus, unsigned int devfn, int where)
{
	return 0x80000000u | (bus << 16) | (devfn << 8) | ((u32)where & 0xfc);
}

/* raw_read - read size (1, 2, 4) bytes of configuration space. */
static u32 raw_read(unsigned int bus, unsigned int devfn, int where, int size)
{
	unsigned long flags;
	u32 v;

	local_irq_save(flags);
	outl(conf_addr(bus, devfn, where), PCI_CONFIG_ADDRESS);
	if (size == 1)
		v = inb(PCI_CONFIG_DATA + (where & 3));
	else if (size == 2)
		v = inw(PCI_CONFIG_DATA + (where & 2));
	else
		v = inl(PCI_CONFIG_DATA);
	local_irq_restore(flags);
	return v;
}

/* raw_write - write size (1, 2, 4) bytes of configuration space. */
static void raw_write(unsigned int bus, unsigned int devfn, int where, int size, u32 v)
{
	unsigned long flags;

	local_irq_save(flags);
	outl(conf_addr(bus, devfn, where), PCI_CONFIG_ADDRESS);
	if (size == 1)
		outb((u8)v, PCI_CONFIG_DATA + (where & 3));
	else if (size == 2)
		outw((u16)v, PCI_CONFIG_DATA + (where & 2));
	else
		outl(v, PCI_CONFIG_DATA);
	local_irq_restore(flags);
}

/* pci_{read,write}_config_{byte,word,dword} - see linux/pci.h; return 0. */
int pci_read_config_byte(struct pci_dev *d, int where, u8 *val)
{
	*val = (u8)raw_read(d->bus, d->devfn, where, 1);
	return 0;
}

int pci_read_config_word(struct pci_dev *d, int where, u16 *val)
{
	*val = (u16)raw_read(d->bus, d->devfn, where, 2);
	return 0;
}

int pci_read_config_dword(struct pci_dev *d, int where, u32 *val)
{
	*val = raw_read(d->bus, d->devfn, where, 4);
	return 0;
}

int pci_write_config_byte(struct pci_dev *d, int where, u8 val)
{
	raw_write(d->bus, d->devfn, where, 1, val);
	return 0;
}

int pci_write_config_word(struct pci_dev *d, int where, u16 val)
{
	raw_write(d->bus, d->devfn, where, 2, val);
	return 0;
}

int pci_write_config_dword(struct pci_dev *d, int where, u32 val)
{
	raw_write(d->bus, d->devfn, where, 4, val);
	return 0;
}

/*
 * size_bars - read each BAR, write all ones, read the size mask back,
 * restore.  Decoding is switched off meanwhile so the device does not
 * answer at the probe address.  A 64-bit memory BAR takes two slots.
 */
static void size_bars(struct pci_dev *d)
{
	u16 cmd = (u16)raw_read(d->bus, d->devfn, PCI_COMMAND, 2);
	int i;

	raw_write(d->bus, d->devfn, PCI_COMMAND, 2,
		  cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (i = 0; i < DEVICE_COUNT_RESOURCE; i++) {
		int reg = PCI_BASE_ADDRESS_0 + 4 * i;
		u32 bar = raw_read(d->bus, d->devfn, reg, 4), mask, size;
		raw_write(d->bus, d->devfn, reg, 4, 0xffffffffu);
		mask = raw_read(d->bus, d->devfn, reg, 4);
		raw_write(d->bus, d->devfn, reg, 4, bar);
		if (!mask || mask == 0xffffffffu)
			continue;
		if (bar & PCI_BASE_ADDRESS_SPACE_IO) {
			size = ~(mask & PCI_BASE_ADDRESS_IO_MASK) & 0xffff;
			d->resource[i].start = bar & PCI_BASE_ADDRESS_IO_MASK;
			d->resource[i].flags = IORESOURCE_IO;
		} else {
			size = ~(mask & PCI_BASE_ADDRESS_MEM_MASK);
			d->resource[i].start = bar & PCI_BASE_ADDRESS_MEM_MASK;
			d->resource[i].flags = IORESOURCE_MEM;
		}
		d->resource[i].end = d->resource[i].start + size;
		if (!(bar & PCI_BASE_ADDRESS_SPACE_IO) && ((bar >> 1) & 3) == 2)
			i++;	/* the upper half of a 64-bit BAR */
	}
	raw_write(d->bus, d->devfn, PCI_COMMAND, 2, cmd);
}

/* probe_function - add the function at devfn if present; its header type or -1. */
static int probe_function(unsigned int devfn)
{
	u32 id = raw_read(0, devfn, PCI_VENDOR_ID, 4);
	struct pci_dev *d;
	u8 hdr;

	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return -1;
	hdr = (u8)raw_read(0, devfn, PCI_HEADER_TYPE, 1);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -1;
	d->bus = 0;
	d->devfn = devfn;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	d->class = raw_read(0, devfn, PCI_REVISION_ID, 4) >> 8;
	d->revision = (u8)raw_read(0, devfn, PCI_REVISION_ID, 1);
	d->subsystem_vendor = (u16)raw_read(0, devfn, PCI_SUBSYSTEM_VENDOR_ID, 2);
	d->subsystem_device = (u16)raw_read(0, devfn, PCI_SUBSYSTEM_ID, 2);
	d->irq = (u8)raw_read(0, devfn, PCI_INTERRUPT_LINE, 1);
	if (d->irq == 0xff)
		d->irq = 0;
	snprintf(d->slot_name, sizeof(d->slot_name), "00:%02x.%u", PCI_SLOT(devfn),
		 PCI_FUNC(devfn));
	if ((hdr & 0x7f) == 0)
		size_bars(d);
	list_add_tail(&d->global_list, &pci_devices);
	printk("pci: %s %04x:%04x class %06x irq %u", d->slot_name, d->vendor, d->device,
	       d->class, d->irq);
	if (d->resource[0].flags)
		printk(" bar0 %s 0x%08lx size 0x%lx",
		       d->resource[0].flags == IORESOURCE_IO ? "io" : "mem",
		       d->resource[0].start, pci_resource_len(d, 0));
	printk("\n");
	return hdr;
}

/* pci_init - see linux/pci.h. */
void pci_init(void)
{
	unsigned int slot, fn;

	outl(0x80000000u, PCI_CONFIG_ADDRESS);
	if (inl(PCI_CONFIG_ADDRESS) != 0x80000000u) {
		printk("pci: no configuration mechanism #1\n");
		return;
	}
	for (slot = 0; slot < 32; slot++) {
		int hdr = probe_function(PCI_DEVFN(slot, 0));
		if (hdr < 0)
			continue;
		if (hdr & 0x80)
			for (fn = 1; fn < 8; fn++)
				probe_function(PCI_DEVFN(slot, fn));
	}
}

/* pci_find_device - see linux/pci.h. */
struct pci_dev *pci_find_device(unsigned int vendor, unsigned int device,
				const struct pci_dev *from)
{
	struct list_head *pos = from ? from->global_list.next : pci_devices.next;

	for (; pos != &pci_devices; pos = pos->next) {
		struct pci_dev *d = list_entry(pos, struct pci_dev, global_list);
		if ((vendor == PCI_ANY_ID || d->vendor == vendor) &&
		    (device == PCI_ANY_ID || d->device == device))
			return d;
	}
	return NULL;
}

/* pci_enable_device - see linux/pci.h.  -ENODEV if a BAR was never assigned. */
int pci_enable_device(struct pci_dev *d)
{
	u16 cmd, want = 0;
	int i;

	for (i = 0; i < DEVICE_COUNT_RESOURCE; i++) {
		if (!d->resource[i].flags)
			continue;
		if (!d->resource[i].start) {
			printk(KERN_ERR "pci: %s BAR%d is not assigned\n", d->slot_name, i);
			return -ENODEV;
		}
		want |= d->resource[i].flags == IORESOURCE_IO ? PCI_COMMAND_IO
							      : PCI_COMMAND_MEMORY;
	}
	pci_read_config_word(d, PCI_COMMAND, &cmd);
	if ((cmd & want) != want)
		pci_write_config_word(d, PCI_COMMAND, cmd | want);
	d->enable_cnt++;
	return 0;
}

/* pci_disable_device - see linux/pci.h. */
void pci_disable_device(struct pci_dev *d)
{
	u16 cmd;

	if (d->enable_cnt > 0 && --d->enable_cnt)
		return;
	pci_read_config_word(d, PCI_COMMAND, &cmd);
	pci_write_config_word(d, PCI_COMMAND,
			      cmd & ~(PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
}

/* pci_set_master - see linux/pci.h. */
void pci_set_master(struct pci_dev *d)
{
	u16 cmd;

	pci_read_config_word(d, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MASTER))
		pci_write_config_word(d, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
}

/* id_matches - the id_table entry matching d, or NULL. */
static const struct pci_device_id *id_matches(const struct pci_device_id *id,
					      const struct pci_dev *d)
{
	for (; id && (id->vendor || id->device || id->class_mask); id++) {
		if ((id->vendor == PCI_ANY_ID || id->vendor == d->vendor) &&
		    (id->device == PCI_ANY_ID || id->device == d->device) &&
		    (id->subvendor == PCI_ANY_ID || id->subvendor == 0 ||
		     id->subvendor == d->subsystem_vendor) &&
		    (id->subdevice == PCI_ANY_ID || id->subdevice == 0 ||
		     id->subdevice == d->subsystem_device) &&
		    !((id->class ^ d->class) & id->class_mask))
			return id;
	}
	return NULL;
}

/* pci_register_driver - see linux/pci.h. */
int pci_register_driver(struct pci_driver *drv)
{
	struct list_head *pos;
	int bound = 0;

	list_add_tail(&drv->node, &pci_drivers);
	list_for_each(pos, &pci_devices) {
		struct pci_dev *d = list_entry(pos, struct pci_dev, global_list);
		const struct pci_device_id *id;
		if (d->driver || !(id = id_matches(drv->id_table, d)))
			continue;
		d->driver = drv;
		if (drv->probe(d, id) == 0) {
			bound++;
		} else {
			d->driver = NULL;
			d->driver_data = NULL;
		}
	}
	return bound;
}

/* pci_unregister_driver - see linux/pci.h. */
void pci_unregister_driver(struct pci_driver *drv)
{
	struct list_head *pos;

	list_for_each(pos, &pci_devices) {
		struct pci_dev *d = list_entry(pos, struct pci_dev, global_list);
		if (d->driver != drv)
			continue;
		if (drv->remove)
			drv->remove(d);
		d->driver = NULL;
		d->driver_data = NULL;
	}
	list_del(&drv->node);
}

/* pci_module_init - see linux/pci.h. */
int pci_module_init(struct pci_driver *drv)
{
	if (pci_register_driver(drv) > 0)
		return 0;
	pci_unregister_driver(drv);
	return -ENODEV;
}

/* dma_order - the page order holding size bytes. */
static unsigned int dma_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* pci_alloc_consistent - see linux/dma-mapping.h. */
void *pci_alloc_consistent(struct pci_dev *pdev, size_t size, dma_addr_t *dma)
{
	unsigned long p;

	(void)pdev;
	p = __get_free_pages(dma_order(size));
	if (!p)
		return NULL;
	memset((void *)p, 0, PAGE_SIZE << dma_order(size));
	*dma = (dma_addr_t)__pa(p);
	return (void *)p;
}

/* pci_free_consistent - see linux/dma-mapping.h. */
void pci_free_consistent(struct pci_dev *pdev, size_t size, void *vaddr, dma_addr_t dma)
{
	(void)pdev;
	(void)dma;
	if (vaddr)
		free_pages((unsigned long)vaddr, dma_order(size));
}
