/*
 * linux/pci.h - PCI devices on bus 0 (kernel/pci.c).
 *
 * Configuration space is reached through configuration mechanism #1:
 * write an address to port 0xCF8, then read or write the data at 0xCFC
 * (+ the low two bits of the register for byte and word accesses):
 *
 *   31  30     24 23      16 15    11 10      8 7        2 1 0
 *  +---+---------+----------+--------+---------+----------+---+
 *  | E | reserved|   bus    | device | function| register | 0 |
 *  +---+---------+----------+--------+---------+----------+---+
 *   E = 1: enable the configuration cycle
 *
 * The first 64 bytes of a (type 0) configuration space:
 *
 *   0x00  vendor ID (16)       0x02  device ID (16)
 *   0x04  command (16)         0x06  status (16)
 *   0x08  revision (8), class code (24: class, subclass, prog-if)
 *   0x0C  cache line, latency, header type, BIST
 *   0x10..0x24  BAR0..BAR5     bit 0 = 1: I/O space (address bits 31..2)
 *                              bit 0 = 0: memory (bits 2..1 type, bit 3
 *                              prefetchable, address bits 31..4)
 *   0x2C  subsystem vendor, subsystem ID
 *   0x3C  interrupt line (8: the 8259 IRQ the firmware routed), pin (8)
 *
 * pci_init() scans bus 0 once at boot, sizing each BAR (write all ones,
 * read back the mask) into struct resource.  BARs and the interrupt line
 * are used as the firmware (SeaBIOS under QEMU) left them.
 */
#ifndef _LINUX_PCI_H
#define _LINUX_PCI_H

#include <linux/dma-mapping.h>
#include <linux/list.h>
#include <linux/types.h>

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define  PCI_COMMAND_IO 0x1
#define  PCI_COMMAND_MEMORY 0x2
#define  PCI_COMMAND_MASTER 0x4
#define  PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CLASS_DEVICE 0x0a
#define PCI_HEADER_TYPE 0x0e
#define PCI_BASE_ADDRESS_0 0x10
#define  PCI_BASE_ADDRESS_SPACE_IO 0x1
#define  PCI_BASE_ADDRESS_MEM_MASK (~0x0fu)
#define  PCI_BASE_ADDRESS_IO_MASK (~0x03u)
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_ANY_ID (~0u)
#define DEVICE_COUNT_RESOURCE 6

#define IORESOURCE_IO 0x100
#define IORESOURCE_MEM 0x200

struct resource {
	unsigned long start, end;	/* inclusive; start == end == 0: no BAR */
	unsigned long flags;		/* IORESOURCE_IO or IORESOURCE_MEM */
};

struct pci_driver;

struct pci_dev {
	struct list_head global_list;	/* pci_devices */
	unsigned int bus;
	unsigned int devfn;		/* device << 3 | function */
	u16 vendor, device;
	u16 subsystem_vendor, subsystem_device;
	u32 class;			/* class << 16 | subclass << 8 | prog-if */
	u8 revision;
	unsigned int irq;		/* interrupt line; 0 or 255: none */
	struct resource resource[DEVICE_COUNT_RESOURCE];
	struct pci_driver *driver;	/* bound by pci_register_driver */
	void *driver_data;
	int enable_cnt;
	char slot_name[16];		/* "00:03.0" */
};

#define PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 0x07)

#define pci_resource_start(dev, bar) ((dev)->resource[(bar)].start)
#define pci_resource_end(dev, bar) ((dev)->resource[(bar)].end)
#define pci_resource_flags(dev, bar) ((dev)->resource[(bar)].flags)
#define pci_resource_len(dev, bar) \
	((dev)->resource[(bar)].end ? \
	 (dev)->resource[(bar)].end - (dev)->resource[(bar)].start + 1 : 0)

struct pci_device_id {
	unsigned int vendor, device;		/* or PCI_ANY_ID */
	unsigned int subvendor, subdevice;	/* or PCI_ANY_ID */
	unsigned int class, class_mask;
	unsigned long driver_data;
};

/*
 * A driver: probe is called for every present device matching id_table
 * (a table ended by an all-zero entry) and not yet bound; returning 0 binds
 * it.  remove is called for each bound device by pci_unregister_driver.
 */
struct pci_driver {
	struct list_head node;
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
};

#define MODULE_DEVICE_TABLE(type, name)

/* pci_init - scan bus 0 and log each function found (boot). */
void pci_init(void);

/*
 * pci_find_device - the next device after from (NULL: the first) whose IDs
 * match (PCI_ANY_ID matches any), or NULL.
 */
struct pci_dev *pci_find_device(unsigned int vendor, unsigned int device,
				const struct pci_dev *from);

int pci_read_config_byte(struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(struct pci_dev *dev, int where, u32 val);

/* pci_enable_device - turn on memory and I/O decoding for the BARs present. */
int pci_enable_device(struct pci_dev *dev);
/* pci_disable_device - turn decoding and bus mastering off again. */
void pci_disable_device(struct pci_dev *dev);
/* pci_set_master - allow the device to do DMA (command bit 2). */
void pci_set_master(struct pci_dev *dev);

/* pci_register_driver - bind drv to matching devices; returns how many it bound. */
int pci_register_driver(struct pci_driver *drv);
/* pci_unregister_driver - remove drv from every device it is bound to. */
void pci_unregister_driver(struct pci_driver *drv);
/*
 * pci_module_init - pci_register_driver for a module's init: 0 if it bound
 * at least one device, else -ENODEV (and the driver is unregistered).
 */
int pci_module_init(struct pci_driver *drv);

static inline void pci_set_drvdata(struct pci_dev *dev, void *data) { dev->driver_data = data; }
static inline void *pci_get_drvdata(struct pci_dev *dev) { return dev->driver_data; }
static inline const char *pci_name(const struct pci_dev *dev) { return dev->slot_name; }

#endif
