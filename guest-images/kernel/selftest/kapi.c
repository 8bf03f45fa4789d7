/*
 * kernel/selftest/kapi.c - the kernel API drivers use, checked from inside
 * the kernel: lists, socket buffers, timers, the task queue, character
 * devices (and stale files), ioremap, the PCI scan, the exported-symbol
 * table, and the nooks= option parser.  Starts the driver services first
 * (kernel/workload/main.c), which is harmless to do early.
 */
#include <asm/io.h>
#include <asm/page.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/tqueue.h>
#include "../workload/workload.h"
#include "selftest.h"

struct item {
	int v;
	struct list_head node;
};

/* check_list - add, add_tail, del, walk order. */
static void check_list(void)
{
	LIST_HEAD(head);
	struct item a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 };
	struct list_head *pos;
	int order = 0;

	list_add_tail(&b.node, &head);
	list_add(&a.node, &head);
	list_add_tail(&c.node, &head);
	list_for_each(pos, &head)
		order = order * 10 + list_entry(pos, struct item, node)->v;
	list_del(&b.node);
	st_expect("list", order == 123 && head.next == &a.node && a.node.next == &c.node &&
		  list_empty(&b.node), "order %d", order);
}

/* check_skb - reserve, put, push, pull, trim, queue, free. */
static void check_skb(void)
{
	unsigned long alive = skb_alive;
	struct sk_buff_head q;
	struct sk_buff *skb = alloc_skb(100, GFP_KERNEL), *s2;
	bool ok;

	if (!skb) {
		st_fail("skb", "alloc_skb failed");
		return;
	}
	skb_reserve(skb, 16);
	memset(skb_put(skb, 40), 'x', 40);
	*skb_push(skb, 2) = 'h';
	ok = skb->len == 42 && skb_headroom(skb) == 14 && skb->data[0] == 'h' &&
	     skb->truesize >= 100;
	ok = ok && skb_pull(skb, 2) && skb->len == 40 && skb->data[0] == 'x';
	ok = ok && !skb_pull(skb, 41);
	skb_trim(skb, 10);
	ok = ok && skb->len == 10 && skb->tail == skb->data + 10;
	skb_queue_head_init(&q);
	skb_queue_tail(&q, skb);
	s2 = dev_alloc_skb(50);
	ok = ok && s2 && skb_headroom(s2) == 16;
	if (s2)
		skb_queue_tail(&q, s2);
	ok = ok && skb_queue_len(&q) == 2 && skb_dequeue(&q) == skb;
	kfree_skb(skb);
	skb_queue_purge(&q);
	st_expect("skb", ok && skb_alive == alive, "ok %d alive %lu -> %lu", ok, alive, skb_alive);
}

static int timer_hits;
static unsigned long timer_at;

/* timer_fn - record when the timer ran. */
static void timer_fn(unsigned long data)
{
	timer_hits += (int)data;
	timer_at = jiffies;
}

/* check_timers - a timer fires once, after its expiry; del_timer disarms. */
static void check_timers(void)
{
	struct timer_list t, never;
	unsigned long start = jiffies;
	int was, del_pending, del_idle;

	timer_hits = 0;
	init_timer(&t);
	t.function = timer_fn;
	t.data = 1;
	t.expires = start + 3;
	add_timer(&t);
	init_timer(&never);
	never.function = timer_fn;
	never.data = 100;
	was = mod_timer(&never, start + 2);
	del_pending = del_timer(&never);
	del_idle = del_timer(&never);
	while (timer_hits == 0 && time_before(jiffies, start + 50))
		schedule();
	schedule_timeout(3);
	st_expect("timer", timer_hits == 1 && time_after_eq(timer_at, start + 3) && !was &&
		  del_pending == 1 && del_idle == 0 && !timer_pending(&t),
		  "hits %d at +%ld was %d del %d/%d", timer_hits, (long)(timer_at - start), was,
		  del_pending, del_idle);
}

static int task_runs;

/* task_fn - count runs. */
static void task_fn(void *data)
{
	task_runs += *(int *)data;
}

/* check_tqueue - queued once, run once by flush; cancel unqueues. */
static void check_tqueue(void)
{
	static int one = 1, ten = 10;
	struct tq_struct a, b;
	int q1, q2, c;

	task_runs = 0;
	INIT_TQUEUE(&a, task_fn, &one);
	INIT_TQUEUE(&b, task_fn, &ten);
	q1 = schedule_task(&a);
	q2 = schedule_task(&a);
	schedule_task(&b);
	c = cancel_task(&b);
	flush_scheduled_tasks();
	st_expect("tqueue", q1 == 1 && q2 == 0 && c == 1 && task_runs == 1 && !tasks_pending(),
		  "queued %d/%d cancel %d runs %d", q1, q2, c, task_runs);
}

static char cd_buf[32];
static int cd_len, cd_releases;

/* cd_read / cd_write / cd_ioctl / cd_release - a tiny kernel-side device. */
static ssize_t cd_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	(void)f;
	n = min(n, (size_t)cd_len);
	memcpy(buf, cd_buf, n);
	*pos += n;
	return (ssize_t)n;
}

static ssize_t cd_write(struct file *f, const char *buf, size_t n, loff_t *pos)
{
	(void)f;
	n = min(n, sizeof(cd_buf));
	memcpy(cd_buf, buf, n);
	cd_len = (int)n;
	*pos += n;
	return (ssize_t)n;
}

static int cd_ioctl(struct inode *i, struct file *f, unsigned int cmd, unsigned long arg)
{
	(void)f;
	return cmd == 7 ? (int)(MINOR(i->i_rdev) + arg) : -ENOTTY;
}

static int cd_release(struct inode *i, struct file *f)
{
	(void)i;
	(void)f;
	cd_releases++;
	return 0;
}

static const struct file_operations cd_fops = {
	.read = cd_read, .write = cd_write, .ioctl = cd_ioctl, .release = cd_release,
};

static const struct file_operations other_fops = { .read = cd_read };

/* check_chrdev - register, open, write, read, ioctl, close; stale after unregister. */
static void check_chrdev(void)
{
	char in[8] = { 0 };
	struct file *f, *g;
	int major = register_chrdev(0, "st_chr", &cd_fops), err, busy, io;
	ssize_t w, r;

	if (major <= 0) {
		st_fail("chrdev", "register_chrdev %d", major);
		return;
	}
	busy = register_chrdev((unsigned int)major, "other", &other_fops) == -EBUSY &&
	       chrdev_major("st_chr") == major;
	f = chrdev_open((unsigned int)major, 5, O_RDWR, &err);
	g = chrdev_open((unsigned int)major, 0, O_RDWR, &err);
	if (!f || !g) {
		st_fail("chrdev", "open %d", err);
		unregister_chrdev((unsigned int)major, "st_chr");
		return;
	}
	cd_releases = 0;
	w = file_write(f, "hello", 5);
	r = file_read(f, in, sizeof(in));
	io = file_ioctl(f, 7, 100);
	file_close(f);
	unregister_chrdev((unsigned int)major, "st_chr");
	st_expect("chrdev", busy && w == 5 && r == 5 && !memcmp(in, "hello", 5) && io == 105 &&
		  cd_releases == 1 && file_read(g, in, 1) == -ENODEV && file_close(g) == 0 &&
		  cd_releases == 1 && chrdev_major("st_chr") == -ENODEV,
		  "w %d r %d ioctl %d releases %d", (int)w, (int)r, io, cd_releases);
}

/* check_ioremap - a RAM page seen through an uncached ioremap alias. */
static void check_ioremap(void)
{
	unsigned long page = get_zeroed_page();
	u32 *alias;
	bool ok;

	if (!page) {
		st_fail("ioremap", "no page");
		return;
	}
	alias = ioremap(page + 8, 8);
	if (!alias) {
		st_fail("ioremap", "ioremap returned NULL");
		free_page(page);
		return;
	}
	writel(0x12345678, alias);
	ok = ((unsigned long)alias & ~PAGE_MASK) == 8 &&
	     (unsigned long)alias >= IOREMAP_BASE && *(u32 *)(page + 8) == 0x12345678;
	*(volatile u32 *)(page + 12) = 0xcafef00d;
	ok = ok && readl(alias + 1) == 0xcafef00d;
	iounmap(alias);
	free_page(page);
	st_expect("ioremap", ok, "alias %p", (void *)alias);
}

/* check_pci - the scan found a host bridge (class 06) on bus 0. */
static void check_pci(void)
{
	struct pci_dev *d = pci_find_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
	bool bridge = false;

	for (; d; d = pci_find_device(PCI_ANY_ID, PCI_ANY_ID, d))
		if ((d->class >> 16) == 0x06)
			bridge = true;
	if (!pci_find_device(PCI_ANY_ID, PCI_ANY_ID, NULL))
		st_skip("pci", "no PCI devices");
	else
		st_expect("pci", bridge, "no bridge class device");
}

/* check_ksyms - exported kernel symbols resolve to their addresses. */
static void check_ksyms(void)
{
	st_expect("ksyms", find_kernel_symbol("printk") == (unsigned long)printk &&
		  find_kernel_symbol("kmalloc") == (unsigned long)kmalloc &&
		  find_kernel_symbol("jiffies") == (unsigned long)&jiffies &&
		  find_kernel_symbol("no_such_symbol") == 0, "lookup mismatch");
}

/* check_nooks_option - module_wants_isolation follows nooks= on this command line. */
static void check_nooks_option(void)
{
	bool none = !cmdline_has("nooks");

	st_expect("nooks_opt", !none || (!module_wants_isolation("e1000") &&
					 !module_wants_isolation("x")),
		  "isolation wanted without a nooks= option");
}

/* selftest_kapi - see the top of the file. */
void selftest_kapi(void)
{
	driver_services_init();
	check_list();
	check_skb();
	check_timers();
	check_tqueue();
	check_chrdev();
	check_ioremap();
	check_pci();
	check_ksyms();
	check_nooks_option();
}
