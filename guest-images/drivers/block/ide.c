/*
 * drivers/block/ide.c - ATA disk on the primary IDE channel, PIO.  Polled
 * by default (the drive's interrupt masked with nIEN, waits spin); with
 * irq=1 the drive interrupts on IRQ 14 and waits sleep in schedule()
 * between looks at the status (the handler only acknowledges and counts,
 * so a lost interrupt costs a timer tick, not a hang).  Every wait has a
 * jiffies deadline and an iteration bound: a missing or broken disk fails
 * with -EIO.  Registers block major 3 (IDE0_MAJOR).
 *
 * Module args: drive=0|1 (master/slave, default 0), timeout=N (jiffies per
 * command, default 300), irq=0|1 (default 0), debug=1.
 *
 * Primary channel registers (command block 0x1F0, control 0x3F6):
 *
 *   0x1F0 data (16 bit)        0x1F4 LBA 15..8
 *   0x1F1 error / features     0x1F5 LBA 23..16
 *   0x1F2 sector count         0x1F6 drive/head: 1 L 1 DRV LBA27..24
 *   0x1F3 LBA 7..0             0x1F7 status / command
 *   0x3F6 alt status / device control (bit 1 nIEN, bit 2 SRST)
 *
 *   status: BSY 0x80  DRDY 0x40  DF 0x20  DRQ 0x08  ERR 0x01
 *
 * Commands: IDENTIFY DEVICE 0xEC, READ SECTORS 0x20, WRITE SECTORS 0x30
 * (LBA28, up to 256 sectors, a DRQ block per sector), FLUSH CACHE 0xE7.
 * IDENTIFY words 60-61: LBA28 sector count; 27-46: model (byte-swapped).
 */
#include <asm/io.h>
#include <linux/blkdev.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>

#define IDE_BASE 0x1f0
#define IDE_CTRL 0x3f6
#define REG_DATA (IDE_BASE + 0)
#define REG_ERROR (IDE_BASE + 1)
#define REG_COUNT (IDE_BASE + 2)
#define REG_LBA0 (IDE_BASE + 3)
#define REG_LBA1 (IDE_BASE + 4)
#define REG_LBA2 (IDE_BASE + 5)
#define REG_DRIVE (IDE_BASE + 6)
#define REG_STATUS (IDE_BASE + 7)
#define REG_CMD (IDE_BASE + 7)

#define ST_BSY 0x80
#define ST_DRDY 0x40
#define ST_DF 0x20
#define ST_DRQ 0x08
#define ST_ERR 0x01

#define CMD_READ 0x20
#define CMD_WRITE 0x30
#define CMD_FLUSH 0xe7
#define CMD_IDENTIFY 0xec

static int drive;
static int timeout = 300;
static int debug;
static int irq;
MODULE_PARM(irq, "i");
MODULE_PARM(drive, "i");
MODULE_PARM(timeout, "i");
MODULE_PARM(debug, "i");

#define IDE_IRQ 14

static u32 nr_sectors;
static char model[41];
static unsigned long errors, interrupts;
static bool irq_registered;
static int ide_dev_id;			/* the dev_id of our IRQ handler */

/* delay400 - the 400 ns a status read needs after a command (4 alt reads). */
static void delay400(void)
{
	int i;

	for (i = 0; i < 4; i++)
		(void)inb(IDE_CTRL);
}

/*
 * wait_status - poll until BSY is clear and (status & mask) == want, or
 * ERR/DF shows, or the deadline passes.  The status, or -EIO.
 */
static int wait_status(u8 mask, u8 want)
{
	unsigned long end = jiffies + (unsigned long)timeout;
	unsigned long spins = 0;
	u8 st;

	for (;;) {
		st = irq_registered ? inb(IDE_CTRL) : inb(REG_STATUS);	/* alt status: no ack */
		if (st == 0xff)		/* floating bus: no drive */
			return -EIO;
		if (!(st & ST_BSY)) {
			if (st & (ST_ERR | ST_DF))
				return -EIO;
			if ((st & mask) == want)
				return st;
		}
		if (!time_before(jiffies, end) || ++spins > 50000000ul)
			return -EIO;
		if (irq_registered)
			schedule();	/* until the drive's interrupt (or a tick) */
	}
}

/* ide_intr - IRQ 14: reading the status acknowledges the drive. */
static void ide_intr(int line, void *dev_id, struct pt_regs *regs)
{
	(void)line;
	(void)dev_id;
	(void)regs;
	(void)inb(REG_STATUS);
	interrupts++;
}

/* select_lba - select the drive with LBA bits 27..24 and load the registers. */
static int select_lba(u32 lba, unsigned int count)
{
	if (wait_status(0, 0) < 0)
		return -EIO;
	outb((u8)(0xe0 | (drive << 4) | ((lba >> 24) & 0x0f)), REG_DRIVE);
	delay400();
	if (wait_status(0, 0) < 0)
		return -EIO;
	outb((u8)count, REG_COUNT);	/* 0 means 256 */
	outb((u8)lba, REG_LBA0);
	outb((u8)(lba >> 8), REG_LBA1);
	outb((u8)(lba >> 16), REG_LBA2);
	return 0;
}

/* fail - count an error, report it, return -EIO. */
static int fail(const char *what, u32 lba)
{
	errors++;
	printk("ide: %s error at sector %u (status %02x error %02x)\n", what, lba,
	       inb(REG_STATUS), inb(REG_ERROR));
	return -EIO;
}

/* ide_read - see struct block_device_operations. */
static int ide_read(void *priv, u32 sector, unsigned int count, void *buf)
{
	u16 *p = buf;
	unsigned int n, i, w;

	(void)priv;
	if (sector >= nr_sectors || count > nr_sectors - sector)
		return -EIO;
	while (count) {
		n = count > 256 ? 256 : count;
		if (select_lba(sector, n & 0xff))
			return fail("read select", sector);
		outb(CMD_READ, REG_CMD);
		delay400();
		for (i = 0; i < n; i++) {
			if (wait_status(ST_DRQ, ST_DRQ) < 0)
				return fail("read", sector + i);
			for (w = 0; w < 256; w++)
				*p++ = inw(REG_DATA);
			delay400();
		}
		sector += n;
		count -= n;
	}
	return 0;
}

/* ide_write - see struct block_device_operations. */
static int ide_write(void *priv, u32 sector, unsigned int count, const void *buf)
{
	const u16 *p = buf;
	unsigned int n, i, w;

	(void)priv;
	if (sector >= nr_sectors || count > nr_sectors - sector)
		return -EIO;
	while (count) {
		n = count > 256 ? 256 : count;
		if (select_lba(sector, n & 0xff))
			return fail("write select", sector);
		outb(CMD_WRITE, REG_CMD);
		delay400();
		for (i = 0; i < n; i++) {
			if (wait_status(ST_DRQ, ST_DRQ) < 0)
				return fail("write", sector + i);
			for (w = 0; w < 256; w++)
				outw(*p++, REG_DATA);
			delay400();
		}
		if (wait_status(0, 0) < 0)
			return fail("write completion", sector);
		sector += n;
		count -= n;
	}
	return 0;
}

/* ide_flush - FLUSH CACHE. */
static int ide_flush(void *priv)
{
	(void)priv;
	if (wait_status(0, 0) < 0)
		return fail("flush select", 0);
	outb((u8)(0xe0 | (drive << 4)), REG_DRIVE);
	delay400();
	outb(CMD_FLUSH, REG_CMD);
	delay400();
	if (wait_status(0, 0) < 0)
		return fail("flush", 0);
	return 0;
}

static const struct block_device_operations ide_ops = {
	.read = ide_read,
	.write = ide_write,
	.flush = ide_flush,
};

/* identify - IDENTIFY DEVICE: size and model; 0, -ENODEV (none, ATAPI) or -EIO. */
static int identify(void)
{
	u16 id[256];
	int st, i;

	outb(0x02, IDE_CTRL);			/* nIEN: we poll */
	outb((u8)(0xa0 | (drive << 4)), REG_DRIVE);
	delay400();
	if (inb(REG_STATUS) == 0xff)
		return -ENODEV;
	outb(0, REG_COUNT);
	outb(0, REG_LBA0);
	outb(0, REG_LBA1);
	outb(0, REG_LBA2);
	outb(CMD_IDENTIFY, REG_CMD);
	delay400();
	if (inb(REG_STATUS) == 0)
		return -ENODEV;
	if (inb(REG_LBA1) || inb(REG_LBA2))	/* ATAPI or SATA signature */
		return -ENODEV;
	st = wait_status(ST_DRQ, ST_DRQ);
	if (st < 0)
		return -ENODEV;
	for (i = 0; i < 256; i++)
		id[i] = inw(REG_DATA);
	nr_sectors = id[60] | ((u32)id[61] << 16);
	for (i = 0; i < 20; i++) {
		model[2 * i] = (char)(id[27 + i] >> 8);
		model[2 * i + 1] = (char)id[27 + i];
	}
	model[40] = 0;
	for (i = 39; i >= 0 && model[i] == ' '; i--)
		model[i] = 0;
	if (!(id[49] & 0x200) || nr_sectors == 0)	/* no LBA */
		return -ENODEV;
	return 0;
}

/* ide_init - probe the drive and register major 3. */
static int __init ide_init(void)
{
	int err;

	if (drive != 0 && drive != 1)
		return -EINVAL;
	err = identify();
	if (err) {
		printk("ide: no ATA disk on primary %s (%d)\n", drive ? "slave" : "master", err);
		return err;
	}
	printk("ide: hd%c: %s, %u sectors (%u MiB), LBA28 PIO %s\n", 'a' + drive, model,
	       nr_sectors, nr_sectors / 2048, irq ? "IRQ 14" : "polled");
	if (irq) {
		err = request_irq(IDE_IRQ, ide_intr, SA_INTERRUPT, "ide", &ide_dev_id);
		if (err) {
			printk("ide: IRQ %d busy (%d): polling\n", IDE_IRQ, err);
		} else {
			irq_registered = true;
			(void)inb(REG_STATUS);
			outb(0x00, IDE_CTRL);		/* nIEN off: the drive interrupts */
		}
	}
	err = register_blkdev(IDE0_MAJOR, "ide", &ide_ops, NULL, nr_sectors);
	if (err) {
		printk("ide: register_blkdev failed %d\n", err);
		if (irq_registered) {
			outb(0x02, IDE_CTRL);
			free_irq(IDE_IRQ, &ide_dev_id);
			irq_registered = false;
		}
	}
	return err;
}

/* ide_exit - flush the drive's cache and give the major back. */
static void __exit ide_exit(void)
{
	ide_flush(NULL);
	unregister_blkdev(IDE0_MAJOR, "ide");
	if (irq_registered) {
		outb(0x02, IDE_CTRL);			/* nIEN: quiet again */
		free_irq(IDE_IRQ, &ide_dev_id);
		irq_registered = false;
	}
	if (debug || errors)
		printk("ide: unloaded, %lu errors, %lu interrupts\n", errors, interrupts);
}

module_init(ide_init);
module_exit(ide_exit);
