/*
 * linux/ksocket.h - TCP sockets for in-kernel users (kernel/net/tcp.c),
 * and network services that the kernel polls (kHTTPd).
 *
 * All TCP processing runs in process context: the NET_RX softirq only
 * copies a received segment onto an input queue and schedules a task
 * (linux/tqueue.h); the task, every ksock_* call and ksock_poll() drain
 * the queue and run the retransmission deadlines.  So socket users never
 * race the protocol: state changes only while they call in or wait in
 * schedule().
 *
 * TCP header (20 bytes + options):
 *
 *   0               16              31
 *  +---------------+---------------+
 *  |  source port  |  dest port    |
 *  +---------------+---------------+
 *  |        sequence number        |
 *  |     acknowledgment number     |
 *  +----+------+---+---------------+
 *  |off | rsvd |flg|    window     |   off: header length in words
 *  +----+------+---+---------------+   flg: FIN 01 SYN 02 RST 04 PSH 08 ACK 10
 *  |   checksum    | urgent ptr    |   checksum over the pseudo-header
 *  +---------------+---------------+   (src, dst, 0, 6, TCP length)
 *
 * Calls return 0 / a byte count or -Exxx; "nonblock" calls return -EAGAIN
 * when they would wait.
 */
#ifndef _LINUX_KSOCKET_H
#define _LINUX_KSOCKET_H

#include <linux/types.h>

#ifndef ECONNRESET
#define EPIPE 32
#define EADDRINUSE 98
#define ECONNRESET 104
#define ENOTCONN 107
#define ECONNREFUSED 111
#endif

#define KSOCK_NONBLOCK 1

struct ksock;

/* ksock_listen - a listening socket on port (our address). */
struct ksock *ksock_listen(u16 port, int backlog, int *err);
/* ksock_connect - an active open to ip:port, waiting up to timeout jiffies. */
struct ksock *ksock_connect(u32 ip, u16 port, unsigned long timeout, int *err);
/* ksock_accept - the next established connection of a listener. */
struct ksock *ksock_accept(struct ksock *l, unsigned int flags, int *err);
/* ksock_recv - up to len received bytes; 0 at end of stream. */
int ksock_recv(struct ksock *s, void *buf, size_t len, unsigned int flags);
/* ksock_send - queue len bytes (all of them unless nonblock or an error). */
int ksock_send(struct ksock *s, const void *buf, size_t len, unsigned int flags);
/* ksock_close - orderly close (FIN after queued data); s is gone afterwards. */
int ksock_close(struct ksock *s);
/* ksock_peer - the remote address and port (host order). */
void ksock_peer(struct ksock *s, u32 *ip, u16 *port);
/* ksock_poll - run pending TCP work (input, timers). */
void ksock_poll(void);

/*
 * A network service: a module registers one and the web workload calls
 * poll() in a loop (between waits for the next interrupt) until enough
 * requests were served.  poll returns how many requests it answered.
 */
struct net_service {
	const char *name;
	int (*poll)(struct net_service *svc);
	unsigned long requests;		/* answered so far (the service counts) */
	struct net_service *next;	/* kernel */
};
/* register_net_service - 0 or -EINVAL; a service of the same name is
 * replaced (a module reloaded after a crash). */
int register_net_service(struct net_service *svc);
int unregister_net_service(struct net_service *svc);
/* net_service_find - the registered service called name, or NULL. */
struct net_service *net_service_find(const char *name);

/* TCP counters ("stats: tcp ..."). */
struct tcp_counters {
	unsigned long rx_segs, tx_segs, rx_bad, retransmits, resets_sent, resets_rcvd;
	unsigned long active_opens, passive_opens, dropped;
};
extern struct tcp_counters tcp_stats;
void tcp_print_stats(void);

#endif
