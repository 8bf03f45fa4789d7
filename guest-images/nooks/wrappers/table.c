/*
 * nooks/wrappers/table.c - which kernel functions an isolated module's
 * imports are bound to (through import thunks, nooks/module.c).  Imports
 * not listed here go to the kernel function itself (still through an XPC),
 * except the direct_ok functions of nooks/module.c.
 */
#include <linux/kernel.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

int nooks_wrap_register_chrdev();
int nooks_wrap_unregister_chrdev();
int nooks_wrap_request_irq();
void nooks_wrap_free_irq();
void nooks_wrap_add_timer();
int nooks_wrap_mod_timer();
int nooks_wrap_del_timer();
void nooks_chrdev_wrappers_init(void);
void nooks_net_wrappers_init(void);
int nooks_wrap_pci_register_driver();
int nooks_wrap_pci_module_init();
void nooks_wrap_pci_unregister_driver();
void *nooks_wrap_alloc_etherdev();
int nooks_wrap_register_netdev();
void nooks_wrap_unregister_netdev();
void nooks_wrap_free_netdev();
void *nooks_wrap_alloc_skb();
void *nooks_wrap_dev_alloc_skb();
void nooks_wrap_kfree_skb();
int nooks_wrap_netif_rx();
void *nooks_wrap_ioremap();
void nooks_wrap_iounmap();
void *nooks_wrap_pci_alloc_consistent();
void nooks_wrap_pci_free_consistent();
int nooks_wrap_schedule_task();
int nooks_wrap_cancel_task();
void nooks_wrap_panic();
int nooks_wrap_register_blkdev();
int nooks_wrap_unregister_blkdev();
int nooks_wrap_register_net_service();
void *nooks_wrap_ksock_listen();
void *nooks_wrap_ksock_connect();
void *nooks_wrap_ksock_accept();
int nooks_wrap_ksock_recv();
int nooks_wrap_ksock_send();
void nooks_wrap_ksock_peer();
int nooks_wrap_ksock_close();
void *nooks_wrap_vfs_open();
int nooks_wrap_vfs_close();
void nooks_ksock_wrappers_init(void);
int nooks_wrap_unregister_net_service();
void nooks_blk_svc_wrappers_init(void);
int nooks_wrap_register_filesystem();
int nooks_wrap_unregister_filesystem();
void nooks_vfs_wrappers_init(void);
void *nooks_wrap_bread();
void *nooks_wrap_getblk();
void nooks_wrap_brelse();
void nooks_wrap_mark_buffer_dirty();
void nooks_wrap_init_timer();
void *nooks_wrap_skb_put();
void *nooks_wrap_skb_push();
void *nooks_wrap_skb_pull();
void nooks_wrap_skb_trim();
int nooks_wrap_eth_type_trans();
int nooks_wrap_pci_enable_device();
void nooks_wrap_pci_disable_device();
void nooks_wrap_pci_set_master();
void nooks_irq_timer_wrappers_init(void);

const struct nooks_wrapper nooks_wrappers[] = {
	{ "kmalloc", (void *)nooks_wrap_kmalloc },
	{ "kzalloc", (void *)nooks_wrap_kzalloc },
	{ "kfree", (void *)nooks_wrap_kfree },
	{ "register_chrdev", (void *)nooks_wrap_register_chrdev },
	{ "unregister_chrdev", (void *)nooks_wrap_unregister_chrdev },
	{ "request_irq", (void *)nooks_wrap_request_irq },
	{ "free_irq", (void *)nooks_wrap_free_irq },
	{ "add_timer", (void *)nooks_wrap_add_timer },
	{ "mod_timer", (void *)nooks_wrap_mod_timer },
	{ "del_timer", (void *)nooks_wrap_del_timer },
	{ "pci_register_driver", (void *)nooks_wrap_pci_register_driver },
	{ "pci_module_init", (void *)nooks_wrap_pci_module_init },
	{ "pci_unregister_driver", (void *)nooks_wrap_pci_unregister_driver },
	{ "alloc_etherdev", (void *)nooks_wrap_alloc_etherdev },
	{ "register_netdev", (void *)nooks_wrap_register_netdev },
	{ "unregister_netdev", (void *)nooks_wrap_unregister_netdev },
	{ "free_netdev", (void *)nooks_wrap_free_netdev },
	{ "alloc_skb", (void *)nooks_wrap_alloc_skb },
	{ "dev_alloc_skb", (void *)nooks_wrap_dev_alloc_skb },
	{ "kfree_skb", (void *)nooks_wrap_kfree_skb },
	{ "netif_rx", (void *)nooks_wrap_netif_rx },
	{ "ioremap", (void *)nooks_wrap_ioremap },
	{ "iounmap", (void *)nooks_wrap_iounmap },
	{ "pci_alloc_consistent", (void *)nooks_wrap_pci_alloc_consistent },
	{ "pci_free_consistent", (void *)nooks_wrap_pci_free_consistent },
	{ "schedule_task", (void *)nooks_wrap_schedule_task },
	{ "cancel_task", (void *)nooks_wrap_cancel_task },
	{ "panic", (void *)nooks_wrap_panic },
	{ "register_blkdev", (void *)nooks_wrap_register_blkdev },
	{ "unregister_blkdev", (void *)nooks_wrap_unregister_blkdev },
	{ "register_net_service", (void *)nooks_wrap_register_net_service },
	{ "register_filesystem", (void *)nooks_wrap_register_filesystem },
	{ "bread", (void *)nooks_wrap_bread },
	{ "getblk", (void *)nooks_wrap_getblk },
	{ "brelse", (void *)nooks_wrap_brelse },
	{ "mark_buffer_dirty", (void *)nooks_wrap_mark_buffer_dirty },
	{ "unregister_filesystem", (void *)nooks_wrap_unregister_filesystem },
	{ "unregister_net_service", (void *)nooks_wrap_unregister_net_service },
	{ "init_timer", (void *)nooks_wrap_init_timer },
	{ "skb_put", (void *)nooks_wrap_skb_put },
	{ "skb_push", (void *)nooks_wrap_skb_push },
	{ "skb_pull", (void *)nooks_wrap_skb_pull },
	{ "skb_trim", (void *)nooks_wrap_skb_trim },
	{ "eth_type_trans", (void *)nooks_wrap_eth_type_trans },
	{ "pci_enable_device", (void *)nooks_wrap_pci_enable_device },
	{ "pci_disable_device", (void *)nooks_wrap_pci_disable_device },
	{ "pci_set_master", (void *)nooks_wrap_pci_set_master },
	{ "ksock_listen", (void *)nooks_wrap_ksock_listen },
	{ "ksock_connect", (void *)nooks_wrap_ksock_connect },
	{ "ksock_accept", (void *)nooks_wrap_ksock_accept },
	{ "ksock_recv", (void *)nooks_wrap_ksock_recv },
	{ "ksock_send", (void *)nooks_wrap_ksock_send },
	{ "ksock_peer", (void *)nooks_wrap_ksock_peer },
	{ "ksock_close", (void *)nooks_wrap_ksock_close },
	{ "vfs_open", (void *)nooks_wrap_vfs_open },
	{ "vfs_close", (void *)nooks_wrap_vfs_close },
	{ NULL, NULL },
};

/* nooks_wrappers_init - see nooks/wrappers.h. */
void nooks_wrappers_init(void)
{
	nooks_chrdev_wrappers_init();
	nooks_irq_timer_wrappers_init();
	nooks_net_wrappers_init();
	nooks_blk_svc_wrappers_init();
	nooks_vfs_wrappers_init();
	nooks_ksock_wrappers_init();
}
