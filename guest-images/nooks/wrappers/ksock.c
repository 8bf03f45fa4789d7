/*
 * nooks/wrappers/ksock.c - the sockets and open files of an isolated
 * network service (kHTTPd).
 *
 * ksock_listen / ksock_connect / ksock_accept and vfs_open record what
 * they hand the domain in its tracker; the calls that take a socket or a
 * file accept only one the domain holds, and ksock_close / vfs_close
 * forget it.  Recovery closes what is left: the listener (so the reloaded
 * module can listen on its port again), the connections (their clients
 * see the connection closed: a request in flight fails) and the files (so
 * the volume can still be unmounted).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ksocket.h>
#include <linux/vfs.h>
#include <nooks/nooks.h>
#include <nooks/wrappers.h>

static int sock_type, file_type;

/* held - does the calling domain hold object p of type? (NULL d: the kernel) */
static bool held(struct nooks_domain *d, int type, const void *p, const char *what)
{
	if (!d || (p && nooks_object_find(d, (u32)type, (unsigned long)p)))
		return true;
	nooks_check_failed(d, what);
	return false;
}

/* keep_sock - track a socket the kernel handed d (closed if that fails). */
static struct ksock *keep_sock(struct nooks_domain *d, struct ksock *s, int *err)
{
	if (!d || !s)
		return s;
	if (nooks_track(d, (u32)sock_type, (unsigned long)s, 1, 0)) {
		ksock_close(s);
		if (err)
			*err = -ENOMEM;
		return NULL;
	}
	return s;
}

struct ksock *nooks_wrap_ksock_listen(u16 port, int backlog, int *err)
{
	return keep_sock(nooks_caller_domain(), ksock_listen(port, backlog, err), err);
}

struct ksock *nooks_wrap_ksock_connect(u32 ip, u16 port, unsigned long timeout, int *err)
{
	return keep_sock(nooks_caller_domain(), ksock_connect(ip, port, timeout, err), err);
}

struct ksock *nooks_wrap_ksock_accept(struct ksock *l, unsigned int flags, int *err)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (!held(d, sock_type, l, "ksock_accept on a socket it does not hold")) {
		if (err)
			*err = -EINVAL;
		return NULL;
	}
	return keep_sock(d, ksock_accept(l, flags, err), err);
}

int nooks_wrap_ksock_recv(struct ksock *s, void *buf, size_t len, unsigned int flags)
{
	if (!held(nooks_caller_domain(), sock_type, s, "ksock_recv on a socket it does not hold"))
		return -EINVAL;
	return ksock_recv(s, buf, len, flags);
}

int nooks_wrap_ksock_send(struct ksock *s, const void *buf, size_t len, unsigned int flags)
{
	if (!held(nooks_caller_domain(), sock_type, s, "ksock_send on a socket it does not hold"))
		return -EINVAL;
	return ksock_send(s, buf, len, flags);
}

void nooks_wrap_ksock_peer(struct ksock *s, u32 *ip, u16 *port)
{
	if (held(nooks_caller_domain(), sock_type, s, "ksock_peer on a socket it does not hold"))
		ksock_peer(s, ip, port);
}

int nooks_wrap_ksock_close(struct ksock *s)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (!held(d, sock_type, s, "ksock_close of a socket it does not hold"))
		return -EINVAL;
	if (d)
		nooks_untrack(d, (u32)sock_type, (unsigned long)s);
	return ksock_close(s);
}

struct vfs_file *nooks_wrap_vfs_open(const char *path, unsigned int flags, int *err)
{
	struct nooks_domain *d = nooks_caller_domain();
	struct vfs_file *f = vfs_open(path, flags, err);

	if (d && f && nooks_track(d, (u32)file_type, (unsigned long)f, sizeof(*f), 0)) {
		vfs_close(f);
		if (err)
			*err = -ENOMEM;
		return NULL;
	}
	return f;
}

int nooks_wrap_vfs_close(struct vfs_file *f)
{
	struct nooks_domain *d = nooks_caller_domain();

	if (!held(d, file_type, f, "vfs_close of a file it does not hold"))
		return -EBADF;
	if (d)
		nooks_untrack(d, (u32)file_type, (unsigned long)f);
	return vfs_close(f);
}

/* release_sock / release_file - recovery: close what the module left open. */
static void release_sock(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	ksock_close((struct ksock *)o->addr);
}

static void release_file(struct nooks_domain *d, struct nooks_object *o)
{
	(void)d;
	vfs_close((struct vfs_file *)o->addr);
}

/* Connections go before the listener (closing a listener drops the
 * connections it has not handed out, not the accepted ones). */
static const struct nooks_obj_type sock_obj = { "ksock", release_sock, NULL, false, 1 };
static const struct nooks_obj_type file_obj = { "vfs_file", release_file, NULL, false, 1 };

/* nooks_ksock_wrappers_init - register the object types (boot). */
void nooks_ksock_wrappers_init(void)
{
	sock_type = nooks_obj_type_register(&sock_obj);
	file_type = nooks_obj_type_register(&file_obj);
}
