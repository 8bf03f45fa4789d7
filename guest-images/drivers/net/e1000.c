/*
 * drivers/net/e1000.c - Intel PRO/1000 (82540EM, PCI 8086:100E) Ethernet
 * driver, in the manner of the Linux 2.4 e1000 driver, written for this
 * kernel: PCI probe, BAR0 registers through ioremap, reset, the MAC from
 * the EEPROM (EERD), legacy descriptor rings in DMA memory, interrupts
 * (RXT0, TXDW, LSC) on the PCI IRQ, a watchdog timer and a link task.
 *
 * Module args: debug=1 prints every interrupt cause; rxring=N, txring=N
 * set the ring sizes (multiples of 8, 8..256; default 64).
 *
 * Legacy receive descriptor (16 bytes, little-endian):
 *
 *   0                               8        10       12       13      14
 *  +-------------------------------+--------+--------+--------+-------+--------+
 *  | buffer address (64)           | length | csum   | status | errors| special|
 *  +-------------------------------+--------+--------+--------+-------+--------+
 *   status: DD (bit 0) descriptor done, EOP (bit 1) end of packet
 *
 * Legacy transmit descriptor:
 *
 *   0                               8        10    11    12       13    14
 *  +-------------------------------+--------+-----+-----+--------+-----+--------+
 *  | buffer address (64)           | length | CSO | CMD | status | CSS | special|
 *  +-------------------------------+--------+-----+-----+--------+-----+--------+
 *   CMD: EOP (bit 0), IFCS (bit 1) insert FCS, RS (bit 3) report status
 *   status: DD (bit 0) done
 *
 * A ring is base/length registers plus head (the device's next slot) and
 * tail (one past the last slot software handed over):
 *
 *   receive:   [next_to_clean .. RDT)  owned by the device, empty buffers
 *   transmit:  [next_to_clean .. next_to_use)  queued or sent, not cleaned
 */
#include <asm/byteorder.h>
#include <asm/io.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/tqueue.h>

/* Registers (byte offsets in BAR0). */
#define E1000_CTRL 0x0000
#define E1000_STATUS 0x0008
#define E1000_EERD 0x0014
#define E1000_ICR 0x00c0
#define E1000_ITR 0x00c4
#define E1000_IMS 0x00d0
#define E1000_IMC 0x00d8
#define E1000_RCTL 0x0100
#define E1000_TCTL 0x0400
#define E1000_TIPG 0x0410
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_RDTR 0x2820
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_MTA 0x5200	/* 128 words */
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404
#define E1000_CRCERRS 0x4000	/* statistics: clear on read */
#define E1000_MPC 0x4010
#define E1000_GPRC 0x4074
#define E1000_GPTC 0x4080

/* CTRL */
#define CTRL_FD (1u << 0)
#define CTRL_ASDE (1u << 5)
#define CTRL_SLU (1u << 6)
#define CTRL_RST (1u << 26)
/* STATUS */
#define STATUS_FD (1u << 0)
#define STATUS_LU (1u << 1)
#define STATUS_SPEED_SHIFT 6
/* EERD */
#define EERD_START (1u << 0)
#define EERD_DONE (1u << 4)
#define EERD_ADDR_SHIFT 8
#define EERD_DATA_SHIFT 16
/* interrupt causes (ICR, IMS, IMC) */
#define ICR_TXDW (1u << 0)
#define ICR_TXQE (1u << 1)
#define ICR_LSC (1u << 2)
#define ICR_RXSEQ (1u << 3)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO (1u << 6)
#define ICR_RXT0 (1u << 7)
#define IMS_ENABLE (ICR_TXDW | ICR_LSC | ICR_RXSEQ | ICR_RXDMT0 | ICR_RXO | ICR_RXT0)
/* RCTL */
#define RCTL_EN (1u << 1)
#define RCTL_BAM (1u << 15)
#define RCTL_BSIZE_2048 (0u << 16)
#define RCTL_SECRC (1u << 26)
/* TCTL */
#define TCTL_EN (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT_SHIFT 4
#define TCTL_COLD_SHIFT 12
/* RAH */
#define RAH_AV (1u << 31)

/* descriptor bits */
#define RXD_STAT_DD 0x01
#define RXD_STAT_EOP 0x02
#define TXD_CMD_EOP 0x01
#define TXD_CMD_IFCS 0x02
#define TXD_CMD_RS 0x08
#define TXD_STAT_DD 0x01

#define RX_BUFFER_SIZE 2048
#define DEFAULT_RING 64

struct e1000_rx_desc {
	u64 buffer_addr;
	u16 length;
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};

struct e1000_tx_desc {
	u64 buffer_addr;
	u16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	u16 special;
};

struct e1000_ring {
	void *desc;			/* descriptor array (DMA memory) */
	dma_addr_t dma;
	unsigned int count;		/* descriptors */
	unsigned int size;		/* bytes */
	unsigned int next_to_use, next_to_clean;
	struct sk_buff **skb;		/* the buffer of each slot */
};

struct e1000_adapter {
	struct net_device *netdev;
	struct pci_dev *pdev;
	u8 *hw_addr;			/* ioremapped BAR0 */
	struct e1000_ring tx, rx;
	struct net_device_stats stats;
	spinlock_t lock;		/* tx ring */
	struct timer_list watchdog;
	struct tq_struct link_task;
	unsigned long irqs, rx_alloc_failed, hw_missed;
	int link_up;
};

static int debug;
static int rxring = DEFAULT_RING;
static int txring = DEFAULT_RING;
MODULE_PARM(debug, "i");
MODULE_PARM(rxring, "i");
MODULE_PARM(txring, "i");

static inline u32 er32(struct e1000_adapter *a, unsigned int reg)
{
	return readl(a->hw_addr + reg);
}

static inline void ew32(struct e1000_adapter *a, unsigned int reg, u32 v)
{
	writel(v, a->hw_addr + reg);
}

/* e1000_read_eeprom - one 16-bit EEPROM word through EERD; -ETIMEDOUT if it never completes. */
static int e1000_read_eeprom(struct e1000_adapter *a, unsigned int word, u16 *data)
{
	int i;
	u32 v;

	ew32(a, E1000_EERD, (word << EERD_ADDR_SHIFT) | EERD_START);
	for (i = 0; i < 1000; i++) {
		v = er32(a, E1000_EERD);
		if (v & EERD_DONE) {
			*data = (u16)(v >> EERD_DATA_SHIFT);
			return 0;
		}
		udelay(5);
	}
	return -ETIMEDOUT;
}

/* e1000_reset - global reset, interrupts masked and acknowledged, link forced up. */
static int e1000_reset(struct e1000_adapter *a)
{
	int i;

	ew32(a, E1000_IMC, 0xffffffffu);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, 0);
	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | CTRL_RST);
	for (i = 0; i < 100 && (er32(a, E1000_CTRL) & CTRL_RST); i++)
		mdelay(1);
	if (er32(a, E1000_CTRL) & CTRL_RST)
		return -EIO;
	ew32(a, E1000_IMC, 0xffffffffu);
	(void)er32(a, E1000_ICR);
	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | CTRL_SLU | CTRL_ASDE);
	return 0;
}

/* e1000_read_mac - the station address from EEPROM words 0-2, into RAL0/RAH0. */
static int e1000_read_mac(struct e1000_adapter *a, u8 *mac)
{
	u16 w;
	int i, err;

	for (i = 0; i < 3; i++) {
		if ((err = e1000_read_eeprom(a, (unsigned int)i, &w)) != 0)
			return err;
		mac[2 * i] = (u8)w;
		mac[2 * i + 1] = (u8)(w >> 8);
	}
	if (!is_valid_ether_addr(mac))
		return -EINVAL;
	ew32(a, E1000_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24);
	ew32(a, E1000_RAH0, mac[4] | mac[5] << 8 | RAH_AV);
	for (i = 0; i < 128; i++)
		ew32(a, E1000_MTA + 4 * i, 0);
	return 0;
}

/* ring_alloc - descriptors and the slot table; -ENOMEM. */
static int ring_alloc(struct e1000_adapter *a, struct e1000_ring *r, unsigned int count)
{
	r->count = count;
	r->size = count * 16;
	r->next_to_use = r->next_to_clean = 0;
	r->desc = pci_alloc_consistent(a->pdev, r->size, &r->dma);
	r->skb = kzalloc(count * sizeof(struct sk_buff *), GFP_KERNEL);
	if (!r->desc || !r->skb)
		return -ENOMEM;
	return 0;
}

/* ring_free - free every buffer still in the ring, the table and the descriptors. */
static void ring_free(struct e1000_adapter *a, struct e1000_ring *r)
{
	unsigned int i;

	if (r->skb) {
		for (i = 0; i < r->count; i++)
			if (r->skb[i])
				dev_kfree_skb(r->skb[i]);
		kfree(r->skb);
		r->skb = NULL;
	}
	if (r->desc) {
		pci_free_consistent(a->pdev, r->size, r->desc, r->dma);
		r->desc = NULL;
	}
}

/* rx_fill_slot - give slot i a fresh buffer; -ENOMEM. */
static int rx_fill_slot(struct e1000_adapter *a, unsigned int i)
{
	struct e1000_rx_desc *d = (struct e1000_rx_desc *)a->rx.desc + i;
	struct sk_buff *skb = alloc_skb(RX_BUFFER_SIZE, GFP_ATOMIC);

	if (!skb) {
		a->rx_alloc_failed++;
		return -ENOMEM;
	}
	a->rx.skb[i] = skb;
	memset(d, 0, sizeof(*d));
	d->buffer_addr = cpu_to_le64(pci_map_single(a->pdev, skb->data, RX_BUFFER_SIZE,
						    PCI_DMA_FROMDEVICE));
	return 0;
}

/* e1000_configure_rx - buffers in every slot, the ring registers, receive on. */
static int e1000_configure_rx(struct e1000_adapter *a)
{
	unsigned int i;

	for (i = 0; i < a->rx.count; i++)
		if (rx_fill_slot(a, i))
			return -ENOMEM;
	ew32(a, E1000_RDBAL, a->rx.dma);
	ew32(a, E1000_RDBAH, 0);
	ew32(a, E1000_RDLEN, a->rx.size);
	ew32(a, E1000_RDH, 0);
	ew32(a, E1000_RDT, a->rx.count - 1);
	ew32(a, E1000_RDTR, 0);
	a->rx.next_to_clean = 0;
	ew32(a, E1000_RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC);
	return 0;
}

/* e1000_configure_tx - the ring registers, inter-packet gap, transmit on. */
static void e1000_configure_tx(struct e1000_adapter *a)
{
	ew32(a, E1000_TDBAL, a->tx.dma);
	ew32(a, E1000_TDBAH, 0);
	ew32(a, E1000_TDLEN, a->tx.size);
	ew32(a, E1000_TDH, 0);
	ew32(a, E1000_TDT, 0);
	a->tx.next_to_use = a->tx.next_to_clean = 0;
	ew32(a, E1000_TIPG, 10 | 8 << 10 | 6 << 20);
	ew32(a, E1000_TCTL, TCTL_EN | TCTL_PSP | 0x10 << TCTL_CT_SHIFT | 0x40 << TCTL_COLD_SHIFT);
}

/* e1000_clean_tx - free the buffers of sent descriptors; wake the queue. */
static void e1000_clean_tx(struct e1000_adapter *a)
{
	struct e1000_ring *r = &a->tx;
	unsigned int i = r->next_to_clean;

	while (i != r->next_to_use) {
		struct e1000_tx_desc *d = (struct e1000_tx_desc *)r->desc + i;
		if (!(d->status & TXD_STAT_DD))
			break;
		if (r->skb[i]) {
			dev_kfree_skb_irq(r->skb[i]);
			r->skb[i] = NULL;
		}
		d->status = 0;
		i = (i + 1) % r->count;
	}
	r->next_to_clean = i;
	if (netif_queue_stopped(a->netdev) &&
	    (r->next_to_use + 1) % r->count != r->next_to_clean)
		netif_wake_queue(a->netdev);
}

/*
 * e1000_clean_rx - pass every completed frame up (netif_rx), refill its
 * slot, and hand the slots back to the device through RDT.  A frame whose
 * slot cannot be refilled is dropped and the old buffer reused.
 */
static void e1000_clean_rx(struct e1000_adapter *a)
{
	struct e1000_ring *r = &a->rx;
	unsigned int i = r->next_to_clean, last = r->count;
	int budget = (int)r->count;

	while (budget-- > 0) {
		struct e1000_rx_desc *d = (struct e1000_rx_desc *)r->desc + i;
		struct sk_buff *skb = r->skb[i];
		unsigned int len;

		if (!(d->status & RXD_STAT_DD))
			break;
		len = le16_to_cpu(d->length);
		if (!(d->status & RXD_STAT_EOP) || d->errors || len < ETH_HLEN ||
		    len > RX_BUFFER_SIZE) {
			a->stats.rx_errors++;
			d->status = 0;
		} else if (rx_fill_slot(a, i)) {
			a->stats.rx_dropped++;
			d->status = 0;
		} else {
			skb_put(skb, len);
			skb->protocol = eth_type_trans(skb, a->netdev);
			a->stats.rx_packets++;
			a->stats.rx_bytes += len;
			netif_rx(skb);
		}
		last = i;
		i = (i + 1) % r->count;
	}
	r->next_to_clean = i;
	if (last != r->count)
		ew32(a, E1000_RDT, last);
}

/* e1000_intr - the PCI interrupt (possibly shared): handle every cause until ICR reads 0. */
static void e1000_intr(int irq, void *dev_id, struct pt_regs *regs)
{
	struct net_device *netdev = dev_id;
	struct e1000_adapter *a = netdev->priv;
	int rounds = 8;
	u32 icr;

	(void)irq;
	(void)regs;
	while (rounds-- > 0 && (icr = er32(a, E1000_ICR)) != 0) {
		a->irqs++;
		if (debug)
			printk("e1000: %s icr %08x\n", netdev->name, icr);
		if (icr & ICR_LSC)
			schedule_task(&a->link_task);
		if (icr & (ICR_RXT0 | ICR_RXDMT0 | ICR_RXO | ICR_RXSEQ))
			e1000_clean_rx(a);
		if (icr & (ICR_TXDW | ICR_TXQE)) {
			spin_lock(&a->lock);
			e1000_clean_tx(a);
			spin_unlock(&a->lock);
		}
	}
}

/* e1000_xmit_frame - queue skb on the transmit ring; 1 (busy) if the ring is full. */
static int e1000_xmit_frame(struct sk_buff *skb, struct net_device *netdev)
{
	struct e1000_adapter *a = netdev->priv;
	struct e1000_ring *r = &a->tx;
	struct e1000_tx_desc *d;
	unsigned long flags;
	unsigned int i;

	if (skb->len > ETH_FRAME_LEN || !skb->len) {
		a->stats.tx_errors++;
		dev_kfree_skb(skb);
		return 0;
	}
	spin_lock_irqsave(&a->lock, flags);
	i = r->next_to_use;
	if ((i + 1) % r->count == r->next_to_clean) {
		netif_stop_queue(netdev);
		spin_unlock_irqrestore(&a->lock, flags);
		return 1;
	}
	d = (struct e1000_tx_desc *)r->desc + i;
	d->buffer_addr = cpu_to_le64(pci_map_single(a->pdev, skb->data, skb->len,
						    PCI_DMA_TODEVICE));
	d->length = cpu_to_le16((u16)skb->len);
	d->cso = 0;
	d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	d->status = 0;
	d->css = 0;
	d->special = 0;
	r->skb[i] = skb;
	a->stats.tx_packets++;
	a->stats.tx_bytes += skb->len;
	r->next_to_use = (i + 1) % r->count;
	wmb();
	ew32(a, E1000_TDT, r->next_to_use);
	if ((r->next_to_use + 1) % r->count == r->next_to_clean)
		netif_stop_queue(netdev);
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

/* e1000_update_link - read STATUS.LU; log and set the carrier when it changed. */
static void e1000_update_link(struct e1000_adapter *a)
{
	u32 status = er32(a, E1000_STATUS);
	int up = (status & STATUS_LU) != 0;
	static const unsigned int speeds[4] = { 10, 100, 1000, 1000 };

	if (up == a->link_up)
		return;
	a->link_up = up;
	if (up) {
		netif_carrier_on(a->netdev);
		printk("e1000: %s link up, %u Mbps, %s duplex\n", a->netdev->name,
		       speeds[(status >> STATUS_SPEED_SHIFT) & 3],
		       (status & STATUS_FD) ? "full" : "half");
	} else {
		netif_carrier_off(a->netdev);
		printk("e1000: %s link down\n", a->netdev->name);
	}
}

/* e1000_link_task - the deferred half of a link-status-change interrupt. */
static void e1000_link_task(void *data)
{
	e1000_update_link(data);
}

/* e1000_watchdog - every 2 s: link state, the device's drop counters. */
static void e1000_watchdog(unsigned long data)
{
	struct e1000_adapter *a = (struct e1000_adapter *)data;
	u32 missed = er32(a, E1000_MPC);

	a->hw_missed += missed;
	a->stats.rx_missed_errors += missed;
	a->stats.rx_crc_errors += er32(a, E1000_CRCERRS);
	e1000_update_link(a);
	mod_timer(&a->watchdog, jiffies + 2 * HZ);
}

/* e1000_open - rings, IRQ, receive and transmit on, interrupts unmasked. */
static int e1000_open(struct net_device *netdev)
{
	struct e1000_adapter *a = netdev->priv;
	int err;

	if ((err = ring_alloc(a, &a->tx, (unsigned int)txring)) != 0 ||
	    (err = ring_alloc(a, &a->rx, (unsigned int)rxring)) != 0)
		goto fail;
	if ((err = e1000_configure_rx(a)) != 0)
		goto fail;
	e1000_configure_tx(a);
	err = request_irq(a->pdev->irq, e1000_intr, SA_SHIRQ, netdev->name, netdev);
	if (err)
		goto fail;
	a->link_up = -1;
	e1000_update_link(a);
	init_timer(&a->watchdog);
	a->watchdog.function = e1000_watchdog;
	a->watchdog.data = (unsigned long)a;
	mod_timer(&a->watchdog, jiffies + 2 * HZ);
	netif_start_queue(netdev);
	(void)er32(a, E1000_ICR);
	ew32(a, E1000_IMS, IMS_ENABLE);
	return 0;
fail:
	ew32(a, E1000_RCTL, 0);
	ring_free(a, &a->rx);
	ring_free(a, &a->tx);
	printk(KERN_ERR "e1000: %s open failed (%d)\n", netdev->name, err);
	return err;
}

/* e1000_close - interrupts off, IRQ freed, rings emptied and freed. */
static int e1000_close(struct net_device *netdev)
{
	struct e1000_adapter *a = netdev->priv;

	netif_stop_queue(netdev);
	ew32(a, E1000_IMC, 0xffffffffu);
	del_timer(&a->watchdog);
	cancel_task(&a->link_task);
	free_irq(a->pdev->irq, netdev);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, 0);
	ring_free(a, &a->rx);
	ring_free(a, &a->tx);
	return 0;
}

/* e1000_get_stats - the counters. */
static struct net_device_stats *e1000_get_stats(struct net_device *netdev)
{
	struct e1000_adapter *a = netdev->priv;

	return &a->stats;
}

/* e1000_probe - one 82540EM: map BAR0, reset, read the MAC, register eth<N>. */
static int __devinit e1000_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *netdev;
	struct e1000_adapter *a;
	unsigned long mmio = pci_resource_start(pdev, 0);
	unsigned long len = pci_resource_len(pdev, 0);
	int err;

	(void)ent;
	if ((err = pci_enable_device(pdev)) != 0)
		return err;
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) || !mmio || !pdev->irq) {
		printk(KERN_ERR "e1000: %s: no memory BAR0 or no IRQ\n", pci_name(pdev));
		err = -ENODEV;
		goto err_disable;
	}
	pci_set_master(pdev);
	netdev = alloc_etherdev(sizeof(struct e1000_adapter));
	if (!netdev) {
		err = -ENOMEM;
		goto err_disable;
	}
	a = netdev->priv;
	a->netdev = netdev;
	a->pdev = pdev;
	spin_lock_init(&a->lock);
	INIT_TQUEUE(&a->link_task, e1000_link_task, a);
	a->hw_addr = ioremap(mmio, len);
	if (!a->hw_addr) {
		err = -EIO;
		goto err_free;
	}
	if ((err = e1000_reset(a)) != 0) {
		printk(KERN_ERR "e1000: %s: reset did not complete\n", pci_name(pdev));
		goto err_unmap;
	}
	if ((err = e1000_read_mac(a, netdev->dev_addr)) != 0) {
		printk(KERN_ERR "e1000: %s: EEPROM read failed (%d)\n", pci_name(pdev), err);
		goto err_unmap;
	}
	netdev->base_addr = mmio;
	netdev->irq = pdev->irq;
	netdev->open = e1000_open;
	netdev->stop = e1000_close;
	netdev->hard_start_xmit = e1000_xmit_frame;
	netdev->get_stats = e1000_get_stats;
	netdev->owner = THIS_MODULE;
	netdev->watchdog_timeo = 5 * HZ;
	if ((err = register_netdev(netdev)) != 0)
		goto err_unmap;
	pci_set_drvdata(pdev, netdev);
	printk("e1000: %s: Intel PRO/1000 82540EM at %s, mmio 0x%08lx, irq %u\n",
	       netdev->name, pci_name(pdev), mmio, pdev->irq);
	return 0;

err_unmap:
	iounmap(a->hw_addr);
err_free:
	free_netdev(netdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

/* e1000_remove - unregister (closing if open), reset the device, free everything. */
static void __devexit e1000_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct e1000_adapter *a = netdev->priv;

	unregister_netdev(netdev);
	e1000_reset(a);
	printk("e1000: %s: removed (%lu interrupts)\n", netdev->name, a->irqs);
	iounmap(a->hw_addr);
	free_netdev(netdev);
	pci_disable_device(pdev);
}

static struct pci_device_id e1000_pci_tbl[] = {
	{ 0x8086, 0x100e, PCI_ANY_ID, PCI_ANY_ID, 0, 0, 0 },	/* 82540EM */
	{ 0, 0, 0, 0, 0, 0, 0 }
};
MODULE_DEVICE_TABLE(pci, e1000_pci_tbl);

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_pci_tbl,
	.probe = e1000_probe,
	.remove = __devexit_p(e1000_remove),
};

/* e1000_init_module - bind to every 82540EM; -ENODEV if there is none. */
static int __init e1000_init_module(void)
{
	if (rxring < 8 || rxring > 256 || (rxring & 7) || txring < 8 || txring > 256 ||
	    (txring & 7))
		return -EINVAL;
	return pci_module_init(&e1000_driver);
}

/* e1000_exit_module - unbind from every device. */
static void __exit e1000_exit_module(void)
{
	pci_unregister_driver(&e1000_driver);
}

module_init(e1000_init_module);
module_exit(e1000_exit_module);
MODULE_LICENSE("GPL");
