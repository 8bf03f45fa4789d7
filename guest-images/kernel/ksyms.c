/*
 * kernel/ksyms.c - the kernel symbols modules may import (the __ksymtab
 * section; linux/module.h).  Everything a driver calls that is not an
 * inline in a header must be listed here, or loading it fails with
 * "unresolved symbol".
 */
#include <asm/io.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/tqueue.h>

u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
s64 __divdi3(s64 n, s64 d);
s64 __moddi3(s64 n, s64 d);

/* lib: strings, formatting, 64-bit division */
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(memchr);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strnlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strchr);
EXPORT_SYMBOL(strrchr);
EXPORT_SYMBOL(strcpy);
EXPORT_SYMBOL(strncpy);
EXPORT_SYMBOL(strlcpy);
EXPORT_SYMBOL(snprintf);
EXPORT_SYMBOL(vsnprintf);
EXPORT_SYMBOL(simple_strtoul);
EXPORT_SYMBOL(simple_strtol);
EXPORT_SYMBOL(__udivdi3);
EXPORT_SYMBOL(__umoddi3);
EXPORT_SYMBOL(__divdi3);
EXPORT_SYMBOL(__moddi3);

/* console and fatal errors */
EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(vprintk);
EXPORT_SYMBOL(panic);

/* memory */
EXPORT_SYMBOL(kmalloc);
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kfree);
EXPORT_SYMBOL(ksize);
EXPORT_SYMBOL(__get_free_pages);
EXPORT_SYMBOL(get_zeroed_page);
EXPORT_SYMBOL(free_pages);
EXPORT_SYMBOL(ioremap);
EXPORT_SYMBOL(iounmap);

/* time, interrupts, deferred work */
EXPORT_SYMBOL(jiffies);
EXPORT_SYMBOL(udelay);
EXPORT_SYMBOL(mdelay);
EXPORT_SYMBOL(request_irq);
EXPORT_SYMBOL(free_irq);
EXPORT_SYMBOL(enable_irq);
EXPORT_SYMBOL(disable_irq);
EXPORT_SYMBOL(irq_nesting);
EXPORT_SYMBOL(softirq_running);
EXPORT_SYMBOL(init_timer);
EXPORT_SYMBOL(add_timer);
EXPORT_SYMBOL(mod_timer);
EXPORT_SYMBOL(del_timer);
EXPORT_SYMBOL(schedule_task);
EXPORT_SYMBOL(cancel_task);
EXPORT_SYMBOL(flush_scheduled_tasks);
EXPORT_SYMBOL(schedule);
EXPORT_SYMBOL(schedule_timeout);

/* PCI and DMA */
EXPORT_SYMBOL(pci_find_device);
EXPORT_SYMBOL(pci_read_config_byte);
EXPORT_SYMBOL(pci_read_config_word);
EXPORT_SYMBOL(pci_read_config_dword);
EXPORT_SYMBOL(pci_write_config_byte);
EXPORT_SYMBOL(pci_write_config_word);
EXPORT_SYMBOL(pci_write_config_dword);
EXPORT_SYMBOL(pci_enable_device);
EXPORT_SYMBOL(pci_disable_device);
EXPORT_SYMBOL(pci_set_master);
EXPORT_SYMBOL(pci_register_driver);
EXPORT_SYMBOL(pci_unregister_driver);
EXPORT_SYMBOL(pci_module_init);
EXPORT_SYMBOL(pci_alloc_consistent);
EXPORT_SYMBOL(pci_free_consistent);

/* network devices and buffers */
EXPORT_SYMBOL(alloc_etherdev);
EXPORT_SYMBOL(ether_setup);
EXPORT_SYMBOL(register_netdev);
EXPORT_SYMBOL(unregister_netdev);
EXPORT_SYMBOL(free_netdev);
EXPORT_SYMBOL(netif_rx);
EXPORT_SYMBOL(eth_type_trans);
EXPORT_SYMBOL(alloc_skb);
EXPORT_SYMBOL(dev_alloc_skb);
EXPORT_SYMBOL(kfree_skb);
EXPORT_SYMBOL(skb_put);
EXPORT_SYMBOL(skb_push);
EXPORT_SYMBOL(skb_pull);
EXPORT_SYMBOL(skb_trim);
EXPORT_SYMBOL(skb_queue_head_init);
EXPORT_SYMBOL(skb_queue_tail);
EXPORT_SYMBOL(skb_dequeue);
EXPORT_SYMBOL(skb_queue_purge);

/* character devices */
EXPORT_SYMBOL(register_chrdev);
EXPORT_SYMBOL(unregister_chrdev);
