/*
 * kernel/net/tcp.c - a small TCP (RFC 793) and the in-kernel socket API of
 * linux/ksocket.h (header layout drawn there): three-way handshake both
 * ways, cumulative ACKs, go-back-N retransmission on a jiffies deadline
 * with exponential backoff, the peer's window respected (zero-window
 * probes), our window = free receive buffer, FIN/RST in every state,
 * TIME_WAIT, any number of connections.  No congestion control, no
 * out-of-order queue (out-of-order segments are dropped and re-ACKed).
 *
 * Received segments are copied by tcp_receive (NET_RX softirq) onto
 * rx_queue; tcp_process (a task, or any socket call) does the rest.
 * Boot option tcpdrop=N loses every N-th segment in each direction, to
 * exercise retransmission and out-of-order input under a lossless slirp.
 */
#include <asm/byteorder.h>
#include <asm/system.h>
#include <linux/cmdline.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ksocket.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/tqueue.h>
#include "net.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define TCP_MSS 1460
#define SNDBUF 32768
#define RCVBUF 16384
#define RTO_MIN (HZ / 2)
#define RTO_MAX (8 * HZ)
#define MAX_RETRIES 10
#define TIME_WAIT_LEN (2 * HZ)
#define FIN_WAIT2_LEN (20 * HZ)
#define RXQ_MAX 256

enum { CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSING,
       TIME_WAIT, CLOSE_WAIT, LAST_ACK };
static const char *const state_names[] = { "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD",
	"ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSING", "TIME_WAIT", "CLOSE_WAIT",
	"LAST_ACK" };

struct tcphdr {
	u16 source, dest;
	u32 seq, ack_seq;
	u8 doff;		/* header words << 4 */
	u8 flags;
	u16 window, check, urg_ptr;
} __attribute__((packed));

struct ksock {
	int state;
	u16 lport, rport;
	u32 rip;
	u32 iss, snd_una, snd_nxt, snd_wnd;
	u32 irs, rcv_nxt;
	u8 *sndbuf;			/* bytes from snd_una (data only) */
	u32 snd_len;
	u8 *rcvbuf;
	u32 rcv_len;
	bool fin_queued, fin_sent, fin_acked, fin_rcvd, user_closed, accepted;
	u32 fin_seq;
	int err;			/* -ECONNRESET etc. once the connection died */
	unsigned long rtx_deadline;	/* 0: not armed */
	unsigned long rto;
	int retries;
	int dupacks;
	unsigned long state_deadline;	/* TIME_WAIT / FIN_WAIT2 end */
	struct ksock *parent;		/* listener, until accepted */
	int backlog;
	struct ksock *next;
};

struct rx_seg {
	struct rx_seg *next;
	u32 src, dst;
	unsigned int len;
	u8 data[];
};

struct tcp_counters tcp_stats;
static struct ksock *socks;
static struct rx_seg *rxq_head, *rxq_tail;
static unsigned int rxq_len;
static struct tq_struct tcp_task;
static struct timer_list tcp_timer;
static bool tcp_ready, processing;
static u16 next_port = 49152;
static u32 iss_counter;
/* tcpdrop=N: lose every N-th segment each way (tests retransmission) */
static unsigned long drop_every, rx_n, tx_n;

#define before(a, b) ((s32)((a) - (b)) < 0)
#define after(a, b) before(b, a)

/* cksum - the TCP checksum of seg (len bytes) from src to dst. */
static u16 cksum(u32 src, u32 dst, const void *seg, unsigned int len)
{
	u32 sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + len;

	return in_cksum(seg, len, sum);
}

/* out_dev - the interface to send on (the first one, opened). */
static struct net_device *out_dev(void)
{
	struct net_device *dev = dev_base;

	if (dev && !netif_running(dev) && dev_open(dev))
		return NULL;
	return dev;
}

/* send_raw - a segment with the given fields and payload; 0 or -Exxx. */
static int send_raw(u32 dst, u16 sport, u16 dport, u32 seq, u32 ack, u8 flags, u16 win,
		    const void *data, unsigned int len)
{
	u8 buf[sizeof(struct tcphdr) + 4 + TCP_MSS];
	struct tcphdr *th = (struct tcphdr *)buf;
	struct net_device *dev = out_dev();
	unsigned int hl = sizeof(*th) + ((flags & TCP_SYN) ? 4 : 0);

	if (!dev)
		return -ENETDOWN;
	if (len > TCP_MSS)
		return -EMSGSIZE;
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (u8)((hl / 4) << 4);
	th->flags = flags;
	th->window = htons(win);
	th->check = 0;
	th->urg_ptr = 0;
	if (flags & TCP_SYN) {		/* MSS option */
		buf[20] = 2;
		buf[21] = 4;
		buf[22] = TCP_MSS >> 8;
		buf[23] = TCP_MSS & 0xff;
	}
	if (len)
		memcpy(buf + hl, data, len);
	th->check = cksum(net_ip, dst, buf, hl + len);
	tcp_stats.tx_segs++;
	if (drop_every && ++tx_n % drop_every == 0) {
		tcp_stats.dropped++;
		return 0;		/* "lost on the wire" */
	}
	return ip_send(dev, dst, 6, buf, hl + len);
}

/* rcv_wnd - the window we advertise. */
static u16 rcv_wnd(struct ksock *s)
{
	u32 w = RCVBUF - s->rcv_len;

	return (u16)(w > 65535 ? 65535 : w);
}

/* send_ack - a bare ACK of everything received. */
static void send_ack(struct ksock *s)
{
	send_raw(s->rip, s->lport, s->rport, s->snd_nxt, s->rcv_nxt, TCP_ACK, rcv_wnd(s),
		 NULL, 0);
}

/* send_rst_for - answer a segment that has no connection with RST. */
static void send_rst_for(u32 src, const struct tcphdr *th, unsigned int dlen)
{
	u8 fl = th->flags;

	if (fl & TCP_RST)
		return;
	tcp_stats.resets_sent++;
	if (fl & TCP_ACK)
		send_raw(src, ntohs(th->dest), ntohs(th->source), ntohl(th->ack_seq), 0,
			 TCP_RST, 0, NULL, 0);
	else
		send_raw(src, ntohs(th->dest), ntohs(th->source), 0,
			 ntohl(th->seq) + dlen + !!(fl & TCP_SYN) + !!(fl & TCP_FIN),
			 TCP_RST | TCP_ACK, 0, NULL, 0);
}

/* set_state - move s to state st. */
static void set_state(struct ksock *s, int st)
{
	s->state = st;
	if (st == TIME_WAIT)
		s->state_deadline = jiffies + TIME_WAIT_LEN;
	else if (st == FIN_WAIT2)
		s->state_deadline = jiffies + FIN_WAIT2_LEN;
	if (st == CLOSED || st == TIME_WAIT)
		s->rtx_deadline = 0;
}

/* arm - start the retransmission deadline if something is outstanding. */
static void arm(struct ksock *s)
{
	if (s->snd_nxt != s->snd_una || (s->snd_len && !s->snd_wnd)) {
		if (!s->rtx_deadline)
			s->rtx_deadline = jiffies + s->rto;
	} else {
		s->rtx_deadline = 0;
	}
}

/* syn_pending - is our SYN not acknowledged yet? */
static bool syn_pending(struct ksock *s)
{
	return s->state == SYN_SENT || s->state == SYN_RCVD;
}

/* output - send what the window allows: SYN, data, FIN.  probe: 1 byte despite a zero window. */
static void output(struct ksock *s, bool probe)
{
	u32 off, n, inflight, wnd;

	if (s->state == CLOSED || s->state == LISTEN || s->state == TIME_WAIT)
		return;
	if (syn_pending(s)) {
		if (s->snd_nxt == s->iss) {
			u8 fl = s->state == SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;
			send_raw(s->rip, s->lport, s->rport, s->iss, s->rcv_nxt, fl,
				 rcv_wnd(s), NULL, 0);
			s->snd_nxt = s->iss + 1;
		}
		arm(s);
		return;
	}
	for (;;) {
		off = s->snd_nxt - s->snd_una;
		if (s->fin_sent && off > s->snd_len)
			break;			/* all data and the FIN are out */
		inflight = off;
		wnd = s->snd_wnd > inflight ? s->snd_wnd - inflight : 0;
		if (probe && !wnd && off < s->snd_len) {
			wnd = 1;
			probe = false;
		}
		n = s->snd_len > off ? s->snd_len - off : 0;
		if (n > TCP_MSS)
			n = TCP_MSS;
		if (n > wnd)
			n = wnd;
		if (n) {
			send_raw(s->rip, s->lport, s->rport, s->snd_nxt, s->rcv_nxt,
				 TCP_ACK | TCP_PSH, rcv_wnd(s), s->sndbuf + off, n);
			s->snd_nxt += n;
			continue;
		}
		if (s->fin_queued && off == s->snd_len && !s->fin_acked) {
			s->fin_seq = s->snd_una + s->snd_len;
			send_raw(s->rip, s->lport, s->rport, s->fin_seq, s->rcv_nxt,
				 TCP_FIN | TCP_ACK, rcv_wnd(s), NULL, 0);
			s->snd_nxt = s->fin_seq + 1;
			s->fin_sent = true;
		}
		break;
	}
	arm(s);
}

/* new_sock - a zeroed socket with buffers, on the list. */
static struct ksock *new_sock(bool buffers)
{
	struct ksock *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	if (buffers) {
		s->sndbuf = kmalloc(SNDBUF, GFP_KERNEL);
		s->rcvbuf = kmalloc(RCVBUF, GFP_KERNEL);
		if (!s->sndbuf || !s->rcvbuf) {
			kfree(s->sndbuf);
			kfree(s->rcvbuf);
			kfree(s);
			return NULL;
		}
	}
	s->rto = HZ;
	s->iss = (u32)jiffies * 250000u + (iss_counter++ << 16);	/* deterministic */
	s->snd_una = s->snd_nxt = s->iss;
	s->next = socks;
	socks = s;
	return s;
}

/* free_sock - unlink and free. */
static void free_sock(struct ksock *s)
{
	struct ksock **p;

	for (p = &socks; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	kfree(s->sndbuf);
	kfree(s->rcvbuf);
	kfree(s);
}

/* die - the connection is gone (reset/timeout): CLOSED with err. */
static void die(struct ksock *s, int err)
{
	s->err = err;
	set_state(s, CLOSED);
}

/*
 * ack_in - process the ACK field of an acceptable segment.  pure: the
 * segment carried nothing else (three of those with the same ACK while
 * data is outstanding trigger a fast retransmission).
 */
static void ack_in(struct ksock *s, u32 ack, u16 win, bool pure)
{
	u32 acked, data;

	if (after(ack, s->snd_nxt) || before(ack, s->snd_una))
		return;			/* old or ahead of what we sent */
	acked = ack - s->snd_una;
	if (!acked) {
		if (pure && s->snd_nxt != s->snd_una && win == s->snd_wnd &&
		    ++s->dupacks == 3) {
			tcp_stats.retransmits++;
			s->snd_nxt = s->snd_una;	/* go back N now */
			if (s->fin_sent && !s->fin_acked)
				s->fin_sent = false;
			s->rtx_deadline = 0;
			output(s, false);
		}
		s->snd_wnd = win;
		arm(s);
		return;
	}
	s->dupacks = 0;
	s->snd_wnd = win;
	if (syn_pending(s))
		acked--;		/* the SYN */
	data = acked > s->snd_len ? s->snd_len : acked;
	if (data) {
		memmove(s->sndbuf, s->sndbuf + data, s->snd_len - data);
		s->snd_len -= data;
	}
	if (s->fin_sent && ack == s->fin_seq + 1)
		s->fin_acked = true;
	s->snd_una = ack;
	s->retries = 0;
	s->rto = HZ;
	s->rtx_deadline = 0;
	arm(s);
}

/* pending_children - connections of listener l not yet accepted. */
static int pending_children(struct ksock *l)
{
	struct ksock *s;
	int n = 0;

	for (s = socks; s; s = s->next)
		if (s->parent == l && !s->accepted)
			n++;
	return n;
}

/* input_listen - a segment for a listening socket: SYN starts a connection. */
static void input_listen(struct ksock *l, u32 src, const struct tcphdr *th, unsigned int dlen)
{
	struct net_device *dev;
	u8 mac[ETH_ALEN];
	struct ksock *s;

	if (th->flags & TCP_RST)
		return;
	if ((th->flags & TCP_ACK) || !(th->flags & TCP_SYN)) {
		send_rst_for(src, th, dlen);
		return;
	}
	if (!arp_lookup(src, mac)) {
		/* Answering would wait up to a second in arp_resolve, per SYN: a
		 * flood from on-link addresses that never answer ARP would stall
		 * every socket user for minutes.  Ask, drop; the client's
		 * retransmitted SYN finds the address known. */
		if ((dev = out_dev()) != NULL)
			arp_ask(dev, src);
		tcp_stats.dropped++;
		return;
	}
	if (pending_children(l) >= l->backlog || !(s = new_sock(true))) {
		tcp_stats.dropped++;
		return;
	}
	s->lport = l->lport;
	s->rip = src;
	s->rport = ntohs(th->source);
	s->irs = ntohl(th->seq);
	s->rcv_nxt = s->irs + 1;
	s->snd_wnd = ntohs(th->window);
	s->parent = l;
	set_state(s, SYN_RCVD);
	tcp_stats.passive_opens++;
	output(s, false);
}

/* input - one segment for connection s (not LISTEN). */
static void input(struct ksock *s, const struct tcphdr *th, const u8 *data, unsigned int dlen)
{
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	u8 fl = th->flags;
	u16 win = ntohs(th->window);

	if (s->state == SYN_SENT) {
		if ((fl & TCP_ACK) && ack != s->iss + 1) {
			if (!(fl & TCP_RST))
				send_raw(s->rip, s->lport, s->rport, ack, 0, TCP_RST, 0, NULL, 0);
			return;
		}
		if (fl & TCP_RST) {
			if (fl & TCP_ACK) {
				tcp_stats.resets_rcvd++;
				die(s, -ECONNREFUSED);
			}
			return;
		}
		if (!(fl & TCP_SYN))
			return;
		s->irs = seq;
		s->rcv_nxt = seq + 1;
		if (fl & TCP_ACK) {
			ack_in(s, ack, win, false);
			set_state(s, ESTABLISHED);
			send_ack(s);
		}
		return;
	}
	/* acceptability: the segment must touch the receive window */
	if (s->state != SYN_RCVD || seq != s->irs) {
		u32 wnd = RCVBUF - s->rcv_len;
		bool ok = dlen == 0 ? !before(seq, s->rcv_nxt) && !after(seq, s->rcv_nxt + wnd)
				   : after(seq + dlen, s->rcv_nxt) && !after(seq, s->rcv_nxt + wnd);
		if (!ok) {
			if (!(fl & TCP_RST))
				send_ack(s);	/* also answers a retransmitted FIN */
			return;
		}
	}
	if (fl & TCP_RST) {
		tcp_stats.resets_rcvd++;
		die(s, -ECONNRESET);
		return;
	}
	if (fl & TCP_SYN) {		/* a SYN inside the window: the peer restarted */
		if (s->state == SYN_RCVD && seq == s->irs) {
			s->snd_nxt = s->iss;	/* our SYN-ACK was lost: send it again */
			output(s, false);
			return;
		}
		send_raw(s->rip, s->lport, s->rport, s->snd_nxt, 0, TCP_RST, 0, NULL, 0);
		die(s, -ECONNRESET);
		return;
	}
	if (!(fl & TCP_ACK))
		return;
	if (s->state == SYN_RCVD) {
		if (ack != s->iss + 1) {
			send_raw(s->rip, s->lport, s->rport, ack, 0, TCP_RST, 0, NULL, 0);
			return;
		}
		ack_in(s, ack, win, false);
		set_state(s, ESTABLISHED);
	} else {
		ack_in(s, ack, win, dlen == 0 && !(fl & (TCP_SYN | TCP_FIN)));
	}
	if (s->fin_acked) {
		if (s->state == FIN_WAIT1)
			set_state(s, FIN_WAIT2);
		else if (s->state == CLOSING)
			set_state(s, TIME_WAIT);
		else if (s->state == LAST_ACK) {
			set_state(s, CLOSED);
			return;
		}
	}
	/* data, in order only */
	if (dlen && (s->state == ESTABLISHED || s->state == FIN_WAIT1 ||
		     s->state == FIN_WAIT2)) {
		u32 skip = before(seq, s->rcv_nxt) ? s->rcv_nxt - seq : 0;
		u32 n = dlen - skip, room = RCVBUF - s->rcv_len;
		if (after(seq, s->rcv_nxt)) {
			n = 0;		/* out of order: dropped, the ACK asks again */
			fl &= (u8)~TCP_FIN;
		}
		if (n > room)
			n = room;
		memcpy(s->rcvbuf + s->rcv_len, data + skip, n);
		s->rcv_len += n;
		s->rcv_nxt += n;
		send_ack(s);
	}
	/* FIN: only once everything before it was taken */
	if ((fl & TCP_FIN) && !s->fin_rcvd && seq + dlen == s->rcv_nxt &&
	    (s->state == ESTABLISHED || s->state == FIN_WAIT1 || s->state == FIN_WAIT2)) {
		s->fin_rcvd = true;
		s->rcv_nxt++;
		if (s->state == ESTABLISHED)
			set_state(s, CLOSE_WAIT);
		else if (s->state == FIN_WAIT1)
			set_state(s, s->fin_acked ? TIME_WAIT : CLOSING);
		else
			set_state(s, TIME_WAIT);
		send_ack(s);
	}
	output(s, false);
}

/* deliver - find the socket of a queued segment and run it. */
static void deliver(struct rx_seg *r)
{
	struct tcphdr *th = (struct tcphdr *)r->data;
	unsigned int hl;
	u16 sport, dport;
	struct ksock *s, *l = NULL;

	tcp_stats.rx_segs++;
	if (r->len < sizeof(*th) || (hl = (th->doff >> 4) * 4u) < sizeof(*th) || hl > r->len ||
	    cksum(r->src, r->dst, r->data, r->len) != 0) {
		tcp_stats.rx_bad++;
		return;
	}
	sport = ntohs(th->source);
	dport = ntohs(th->dest);
	for (s = socks; s; s = s->next) {
		if (s->lport != dport)
			continue;
		if (s->state == LISTEN) {
			l = s;
			continue;
		}
		if (s->state != CLOSED && s->rip == r->src && s->rport == sport)
			break;
	}
	if (s) {
		if (s->state == TIME_WAIT && (th->flags & TCP_SYN) && l) {
			free_sock(s);	/* a new incarnation */
			input_listen(l, r->src, th, r->len - hl);
		} else {
			input(s, th, r->data + hl, r->len - hl);
		}
	} else if (l) {
		input_listen(l, r->src, th, r->len - hl);
	} else {
		send_rst_for(r->src, th, r->len - hl);
	}
}

/* timers - retransmissions and state deadlines; free what is finished. */
static void timers(void)
{
	struct ksock *s, *n;

	for (s = socks; s; s = n) {
		n = s->next;
		if ((s->state == TIME_WAIT || (s->state == FIN_WAIT2 && s->user_closed)) &&
		    !time_before(jiffies, s->state_deadline))
			set_state(s, CLOSED);
		if (s->rtx_deadline && !time_before(jiffies, s->rtx_deadline)) {
			s->rtx_deadline = 0;
			if (++s->retries > MAX_RETRIES) {
				send_raw(s->rip, s->lport, s->rport, s->snd_nxt, 0, TCP_RST, 0,
					 NULL, 0);
				die(s, -ETIMEDOUT);
			} else {
				bool probe = s->snd_nxt == s->snd_una;
				tcp_stats.retransmits++;
				s->rto = s->rto * 2 > RTO_MAX ? RTO_MAX : s->rto * 2;
				s->snd_nxt = s->snd_una;	/* go back N */
				if (s->fin_sent && !s->fin_acked) {
					s->fin_sent = false;
				}
				output(s, probe);
			}
		}
		if (s->state == CLOSED && (s->user_closed || (s->parent && !s->accepted)))
			free_sock(s);
	}
}

/* tcp_process - drain the input queue, run timers (process context, not nested). */
static void tcp_process(void)
{
	struct rx_seg *r;
	unsigned long flags;

	if (processing)
		return;
	processing = true;
	for (;;) {
		local_irq_save(flags);
		r = rxq_head;
		if (r) {
			rxq_head = r->next;
			if (!rxq_head)
				rxq_tail = NULL;
			rxq_len--;
		}
		local_irq_restore(flags);
		if (!r)
			break;
		deliver(r);
		kfree(r);
	}
	timers();
	processing = false;
}

/* tcp_task_fn - the task scheduled by input and the tick. */
static void tcp_task_fn(void *unused)
{
	(void)unused;
	tcp_process();
}

/* tcp_tick - every 100 ms while sockets exist: schedule the task. */
static void tcp_tick(unsigned long unused)
{
	(void)unused;
	if (socks)
		schedule_task(&tcp_task);
	mod_timer(&tcp_timer, jiffies + HZ / 10);
}

/* tcp_init_once - the task and the tick. */
static void tcp_init_once(void)
{
	if (tcp_ready)
		return;
	tcp_ready = true;
	drop_every = cmdline_get_ulong("tcpdrop", 0);
	INIT_TQUEUE(&tcp_task, tcp_task_fn, NULL);
	init_timer(&tcp_timer);
	tcp_timer.function = tcp_tick;
	tcp_timer.expires = jiffies + HZ / 10;
	add_timer(&tcp_timer);
}

/* tcp_receive - called by ip_receive (softirq): queue a copy of the segment. */
void tcp_receive(u32 src, u32 dst, const u8 *data, unsigned int len)
{
	struct rx_seg *r;
	unsigned long flags;

	if (drop_every && ++rx_n % drop_every == 0) {
		tcp_stats.dropped++;
		return;
	}
	if (!tcp_ready || rxq_len >= RXQ_MAX || len > 65535 ||
	    !(r = kmalloc(sizeof(*r) + len, GFP_ATOMIC))) {
		tcp_stats.dropped++;
		return;
	}
	r->next = NULL;
	r->src = src;
	r->dst = dst;
	r->len = len;
	memcpy(r->data, data, len);
	local_irq_save(flags);
	if (rxq_tail)
		rxq_tail->next = r;
	else
		rxq_head = r;
	rxq_tail = r;
	rxq_len++;
	local_irq_restore(flags);
	schedule_task(&tcp_task);
}

/* ksock_poll - see linux/ksocket.h. */
void ksock_poll(void)
{
	tcp_process();
}

/* port_used - is port taken by a listener or an active open?  Connections
 * a listener accepted (parent cleared by ksock_accept) do not count, as with
 * SO_REUSEADDR: a server restarted while its old connections close (a
 * recovered kHTTPd) can listen again. */
static bool port_used(u16 port)
{
	struct ksock *s;

	for (s = socks; s; s = s->next)
		if (s->lport == port && (s->state == LISTEN || (!s->parent && !s->accepted)))
			return true;
	return false;
}

/* ksock_listen - see linux/ksocket.h. */
struct ksock *ksock_listen(u16 port, int backlog, int *err)
{
	struct ksock *s;

	tcp_init_once();
	tcp_process();
	if (!port) {
		*err = -EINVAL;
		return NULL;
	}
	if (port_used(port)) {
		*err = -EADDRINUSE;
		return NULL;
	}
	s = new_sock(false);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	s->lport = port;
	s->backlog = backlog > 0 ? backlog : 8;
	s->state = LISTEN;
	*err = 0;
	return s;
}

/* ksock_connect - see linux/ksocket.h. */
struct ksock *ksock_connect(u32 ip, u16 port, unsigned long timeout, int *err)
{
	unsigned long end = jiffies + timeout;
	struct ksock *s;

	tcp_init_once();
	tcp_process();
	s = new_sock(true);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	do {
		if (next_port < 49152)
			next_port = 49152;
	} while (port_used(next_port++));
	s->lport = (u16)(next_port - 1);
	s->rip = ip;
	s->rport = port;
	s->snd_wnd = 1;
	set_state(s, SYN_SENT);
	tcp_stats.active_opens++;
	output(s, false);
	while (s->state == SYN_SENT && time_before(jiffies, end)) {
		schedule();
		tcp_process();
	}
	if (s->state != ESTABLISHED) {
		*err = s->err ? s->err : -ETIMEDOUT;
		s->user_closed = true;
		if (s->state != CLOSED)
			send_raw(s->rip, s->lport, s->rport, s->snd_nxt, 0, TCP_RST, 0, NULL, 0);
		free_sock(s);
		return NULL;
	}
	*err = 0;
	return s;
}

/* ksock_accept - see linux/ksocket.h. */
struct ksock *ksock_accept(struct ksock *l, unsigned int flags, int *err)
{
	struct ksock *s;

	for (;;) {
		tcp_process();
		if (!l || l->state != LISTEN) {
			*err = -EINVAL;
			return NULL;
		}
		for (s = socks; s; s = s->next)
			if (s->parent == l && !s->accepted && s->state != SYN_RCVD &&
			    s->state != CLOSED) {
				s->accepted = true;
				s->parent = NULL;
				*err = 0;
				return s;
			}
		if (flags & KSOCK_NONBLOCK) {
			*err = -EAGAIN;
			return NULL;
		}
		schedule();
	}
}

/* ksock_recv - see linux/ksocket.h. */
int ksock_recv(struct ksock *s, void *buf, size_t len, unsigned int flags)
{
	u32 n;
	bool was_closed;

	for (;;) {
		tcp_process();
		if (s->rcv_len) {
			was_closed = s->rcv_len == RCVBUF;
			n = len < s->rcv_len ? (u32)len : s->rcv_len;
			memcpy(buf, s->rcvbuf, n);
			memmove(s->rcvbuf, s->rcvbuf + n, s->rcv_len - n);
			s->rcv_len -= n;
			if (was_closed || (RCVBUF - s->rcv_len >= TCP_MSS &&
					   RCVBUF - s->rcv_len - n < TCP_MSS))
				send_ack(s);	/* window update */
			return (int)n;
		}
		if (s->err)
			return s->err;
		if (s->fin_rcvd || s->state == CLOSED)
			return 0;
		if (flags & KSOCK_NONBLOCK)
			return -EAGAIN;
		schedule();
	}
}

/* ksock_send - see linux/ksocket.h. */
int ksock_send(struct ksock *s, const void *buf, size_t len, unsigned int flags)
{
	const u8 *p = buf;
	size_t done = 0;
	unsigned long idle_end = jiffies + 30 * HZ;

	while (done < len) {
		u32 room, n;
		tcp_process();
		if (s->err)
			return done ? (int)done : s->err;
		if (s->state != ESTABLISHED && s->state != CLOSE_WAIT)
			return done ? (int)done : -EPIPE;
		room = SNDBUF - s->snd_len;
		if (!room) {
			if (flags & KSOCK_NONBLOCK)
				return done ? (int)done : -EAGAIN;
			if (!time_before(jiffies, idle_end))
				return done ? (int)done : -ETIMEDOUT;
			schedule();
			continue;
		}
		n = len - done < room ? (u32)(len - done) : room;
		memcpy(s->sndbuf + s->snd_len, p + done, n);
		s->snd_len += n;
		done += n;
		idle_end = jiffies + 30 * HZ;
		output(s, false);
	}
	return (int)done;
}

/* ksock_close - see linux/ksocket.h. */
int ksock_close(struct ksock *s)
{
	struct ksock *c, *n;

	if (!s)
		return -EINVAL;
	tcp_process();
	if (s->state == LISTEN) {
		for (c = socks; c; c = n) {
			n = c->next;
			if (c->parent == s && !c->accepted) {
				if (c->state != CLOSED)
					send_raw(c->rip, c->lport, c->rport, c->snd_nxt, 0,
						 TCP_RST, 0, NULL, 0);
				free_sock(c);
			}
		}
		free_sock(s);
		return 0;
	}
	s->user_closed = true;
	if (s->rcv_len && s->state != CLOSED) {		/* unread data: abort */
		send_raw(s->rip, s->lport, s->rport, s->snd_nxt, 0, TCP_RST, 0, NULL, 0);
		tcp_stats.resets_sent++;
		set_state(s, CLOSED);
	}
	switch (s->state) {
	case ESTABLISHED:
	case SYN_RCVD:
		s->fin_queued = true;
		set_state(s, FIN_WAIT1);
		output(s, false);
		break;
	case CLOSE_WAIT:
		s->fin_queued = true;
		set_state(s, LAST_ACK);
		output(s, false);
		break;
	case SYN_SENT:
	case CLOSED:
		set_state(s, CLOSED);
		break;
	default:
		break;
	}
	timers();		/* frees it if it is already CLOSED */
	return 0;
}

/* ksock_peer - see linux/ksocket.h. */
void ksock_peer(struct ksock *s, u32 *ip, u16 *port)
{
	*ip = s->rip;
	*port = s->rport;
}

static struct net_service *services;

/* register_net_service - see linux/ksocket.h. */
int register_net_service(struct net_service *svc)
{
	struct net_service **pp;

	if (!svc || !svc->name || !svc->poll)
		return -EINVAL;
	for (pp = &services; *pp; pp = &(*pp)->next)
		if (*pp == svc || !strcmp((*pp)->name, svc->name)) {
			*pp = (*pp)->next;	/* replaced: a reloaded module */
			break;
		}
	svc->next = services;
	services = svc;
	return 0;
}

/* unregister_net_service - see linux/ksocket.h. */
int unregister_net_service(struct net_service *svc)
{
	struct net_service **p;

	for (p = &services; *p; p = &(*p)->next)
		if (*p == svc) {
			*p = svc->next;
			return 0;
		}
	return -EINVAL;
}

/* net_service_find - see linux/ksocket.h. */
struct net_service *net_service_find(const char *name)
{
	struct net_service *p;

	for (p = services; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* tcp_print_stats - "stats: tcp ..." and one line per live socket. */
void tcp_print_stats(void)
{
	struct ksock *s;

	printk("stats: tcp rx_segs=%lu tx_segs=%lu rx_bad=%lu retransmits=%lu resets_sent=%lu "
	       "resets_rcvd=%lu active_opens=%lu passive_opens=%lu dropped=%lu\n",
	       tcp_stats.rx_segs, tcp_stats.tx_segs, tcp_stats.rx_bad, tcp_stats.retransmits,
	       tcp_stats.resets_sent, tcp_stats.resets_rcvd, tcp_stats.active_opens,
	       tcp_stats.passive_opens, tcp_stats.dropped);
	for (s = socks; s; s = s->next)
		printk("stats: tcp socket :%u -> %08x:%u %s\n", s->lport, s->rip, s->rport,
		       state_names[s->state]);
}

EXPORT_SYMBOL(ksock_listen);
EXPORT_SYMBOL(ksock_connect);
EXPORT_SYMBOL(ksock_accept);
EXPORT_SYMBOL(ksock_recv);
EXPORT_SYMBOL(ksock_send);
EXPORT_SYMBOL(ksock_close);
EXPORT_SYMBOL(ksock_peer);
EXPORT_SYMBOL(ksock_poll);
EXPORT_SYMBOL(register_net_service);
EXPORT_SYMBOL(unregister_net_service);
