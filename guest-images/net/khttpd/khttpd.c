/*
 * net/khttpd/khttpd.c - kHTTPd: an in-kernel HTTP/1.1 server module.
 * Serves files of the mounted volume (linux/vfs.h) over the kernel's TCP
 * sockets (linux/ksocket.h); the kernel drives it through a registered
 * net_service whose poll() accepts connections, reads requests and
 * answers them.  Uses only the exported kernel API.
 *
 * Module args: port=N (default 80), maxreq=N (request size limit in bytes,
 * default 2048, at most 8192), conns=N (connections at once, default 16),
 * idle=S (close a connection without progress for S seconds, default 30),
 * quiet=1 (no per-request lines).
 *
 * Requests: GET and HEAD, "METHOD SP /path[?query] SP HTTP/1.x CRLF
 * headers CRLF CRLF"; %XX escapes decoded; "/" and ".../" mean index.html;
 * ".." segments are refused.  Answers: 200, 400 (malformed), 404 (no such
 * file), 405 (other methods), 414 (request line over the limit), 500
 * (the file system failed).  HTTP/1.1 connections are kept alive unless
 * "Connection: close"; HTTP/1.0 ones close unless "Connection: keep-alive".
 * Errors 400/414 close the connection.
 *
 * Per request: "khttpd: A.B.C.D:P METHOD PATH STATUS BYTES" (BYTES: the body
 * about to be sent for 200, 0 for errors).
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ksocket.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vfs.h>

static int port = 80;
static int maxreq = 2048;
static int conns = 16;
static int quiet;
static int idle = 30;
MODULE_PARM(idle, "i");
MODULE_PARM(port, "i");
MODULE_PARM(maxreq, "i");
MODULE_PARM(conns, "i");
MODULE_PARM(quiet, "i");

#define MAX_CONNS 64
#define CHUNK 4096

/*
 * A connection: the request bytes read so far, and the response being
 * sent: out[ooff..olen) still to go, then left more bytes of f read a
 * CHUNK at a time.  Nothing ever waits: what the socket does not take now
 * is sent on a later poll, so one slow client cannot stall the others.
 */
struct conn {
	struct ksock *sock;
	char *req;
	unsigned int len;
	char *out;
	unsigned int olen, ooff;
	struct vfs_file *f;
	loff_t left;
	bool close_after;		/* once the response is out */
	unsigned long last;		/* jiffies of the last progress */
};

static struct ksock *listener;
static struct conn *table;

/* lower - ASCII lower case. */
static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* has_header - does the header block contain "name: value" (case-insensitive, value prefix)? */
static bool has_header(const char *h, const char *end, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value), i;

	while (h < end) {
		const char *eol = memchr(h, '\n', (size_t)(end - h));
		const char *p;
		if (!eol)
			eol = end;
		for (i = 0; i < nl && h + i < eol && lower(h[i]) == lower(name[i]); i++)
			;
		if (i == nl && h + nl < eol && h[nl] == ':') {
			p = h + nl + 1;
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
			for (i = 0; i < vl && p + i < eol && lower(p[i]) == lower(value[i]); i++)
				;
			if (i == vl)
				return true;
		}
		h = eol + 1;
	}
	return false;
}

/* content_type - by extension. */
static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html") || !strcmp(dot, ".htm"))
		return "text/html";
	if (!strcmp(dot, ".txt") || !strcmp(dot, ".c") || !strcmp(dot, ".h"))
		return "text/plain";
	if (!strcmp(dot, ".css"))
		return "text/css";
	if (!strcmp(dot, ".png"))
		return "image/png";
	return "application/octet-stream";
}

/* hexval - a hex digit's value or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * decode_path - the file path of uri[0..len) into out (size bytes):
 * decoded, query dropped, index.html appended to a directory path.
 * 0, or -EINVAL (malformed or "..").
 */
static int decode_path(const char *uri, unsigned int len, char *out, unsigned int size)
{
	unsigned int i, n = 0;
	const char *seg;

	if (!len || uri[0] != '/')
		return -EINVAL;
	for (i = 0; i < len && uri[i] != '?' && uri[i] != '#'; i++) {
		char c = uri[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= len || (h = hexval(uri[i + 1])) < 0 || (l = hexval(uri[i + 2])) < 0)
				return -EINVAL;
			c = (char)(h * 16 + l);
			i += 2;
		}
		if ((unsigned char)c < 0x20 || c == 0x7f || c == '\\')
			return -EINVAL;
		if (n + 12 >= size)
			return -EINVAL;
		out[n++] = c;
	}
	out[n] = 0;
	/* refuse ".." segments */
	for (seg = out; *seg;) {
		const char *e = strchr(seg + 1, '/');
		unsigned int sl = (unsigned int)(e ? e - seg : (int)strlen(seg));
		if (sl == 3 && seg[1] == '.' && seg[2] == '.')
			return -EINVAL;
		if (!e)
			break;
		seg = e;
	}
	if (out[n - 1] == '/') {
		strcpy(out + n, "index.html");
		n += 10;
	}
	return 0;
}

/* queue - append n bytes to the response buffer (headers, small bodies). */
static void queue(struct conn *c, const void *p, unsigned int n)
{
	if (n > CHUNK - c->olen)
		n = CHUNK - c->olen;
	memcpy(c->out + c->olen, p, n);
	c->olen += n;
}

/* status_text - reason phrases. */
static const char *status_text(int st)
{
	switch (st) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	default: return "Internal Server Error";
	}
}

/* log_request - the per-request line. */
static void log_request(struct conn *c, const char *method, const char *path, int st,
			unsigned long bytes)
{
	char line[160];
	u32 ip;
	u16 p;

	if (quiet)
		return;
	ksock_peer(c->sock, &ip, &p);
	/* formatted here: a call into the kernel carries at most 8 arguments
	 * when the module is isolated, and printk would need 11 */
	snprintf(line, sizeof(line), "khttpd: %u.%u.%u.%u:%u %s %.80s %d %lu\n", ip >> 24,
		 (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, p, method, path, st, bytes);
	printk("%s", line);
}

/* send_error - queue a small HTML error page; close_after unless keep.  Returns st. */
static int send_error(struct conn *c, int st, bool head, bool keep, const char *method,
		       const char *path)
{
	char body[128], hdr[256];
	int bl = snprintf(body, sizeof(body), "<html><body><h1>%d %s</h1></body></html>\n", st,
			  status_text(st));
	int hl = snprintf(hdr, sizeof(hdr),
			  "HTTP/1.1 %d %s\r\nServer: kHTTPd/nooks-emu\r\nContent-Type: text/html\r\n"
			  "Content-Length: %d\r\n%sConnection: %s\r\n\r\n", st, status_text(st), bl,
			  st == 405 ? "Allow: GET, HEAD\r\n" : "", keep ? "keep-alive" : "close");

	queue(c, hdr, (unsigned int)hl);
	if (!head)
		queue(c, body, (unsigned int)bl);
	c->close_after = !keep;
	log_request(c, method, path, st, 0);
	return st;
}

/* serve - queue the answer to one complete request (req[0..hdr_end)); the status. */
static int serve(struct conn *c, char *req, unsigned int hdr_end)
{
	char method[8], path[VFS_PATH_MAX], hdr[256], *sp1, *sp2, *eol, *ver;
	const char *hdrs, *end = req + hdr_end;
	struct vfs_stat st;
	struct vfs_file *f;
	bool head, keep;
	int err, hl, i;

	eol = memchr(req, '\n', hdr_end);
	if (!eol)
		return send_error(c, 400, false, false, "-", "-");
	hdrs = eol + 1;
	if (eol > req && eol[-1] == '\r')
		eol--;
	sp1 = memchr(req, ' ', (size_t)(eol - req));
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	if (!sp1 || !sp2 || sp1 == req || sp2 == sp1 + 1)
		return send_error(c, 400, false, false, "-", "-");
	ver = sp2 + 1;
	if (eol - ver != 8 || strncmp(ver, "HTTP/1.", 7) || (ver[7] != '0' && ver[7] != '1'))
		return send_error(c, 400, false, false, "-", "-");
	for (i = 0; req + i < sp1; i++)
		if (req[i] < 'A' || req[i] > 'Z')
			return send_error(c, 400, false, false, "-", "-");
	if (sp1 - req >= (int)sizeof(method))
		return send_error(c, 405, false, false, "?", "-");
	memcpy(method, req, (size_t)(sp1 - req));
	method[sp1 - req] = 0;
	keep = ver[7] == '1' ? !has_header(hdrs, end, "Connection", "close")
			     : has_header(hdrs, end, "Connection", "keep-alive");
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return send_error(c, 405, false, keep, method, "-");
	head = method[0] == 'H';
	if (decode_path(sp1 + 1, (unsigned int)(sp2 - sp1 - 1), path, sizeof(path)))
		return send_error(c, 400, head, false, method, "-");
	err = vfs_stat(path, &st);
	if (!err && S_ISDIR(st.mode)) {
		if (strlen(path) + 12 >= sizeof(path))
			return send_error(c, 404, head, keep, method, path);
		strcpy(path + strlen(path), "/index.html");
		err = vfs_stat(path, &st);
	}
	if (err == -ENOENT || err == -ENOTDIR || err == -EINVAL || err == -ENAMETOOLONG ||
	    (!err && S_ISDIR(st.mode)))
		return send_error(c, 404, head, keep, method, path);
	if (err)
		return send_error(c, 500, head, keep, method, path);
	f = vfs_open(path, O_RDONLY, &err);
	if (!f)
		return send_error(c, err == -ENOENT ? 404 : 500, head, keep, method, path);
	hl = snprintf(hdr, sizeof(hdr),
		      "HTTP/1.1 200 OK\r\nServer: kHTTPd/nooks-emu\r\nContent-Type: %s\r\n"
		      "Content-Length: %lu\r\nConnection: %s\r\n\r\n", content_type(path),
		      (unsigned long)st.size, keep ? "keep-alive" : "close");
	queue(c, hdr, (unsigned int)hl);
	c->f = f;
	c->left = head ? 0 : st.size;
	c->close_after = !keep;
	log_request(c, method, path, 200, (unsigned long)c->left);
	return 200;
}

/* finish_file - close the file of the response. */
static void finish_file(struct conn *c)
{
	if (c->f)
		vfs_close(c->f);
	c->f = NULL;
	c->left = 0;
}

/*
 * flush - send what the socket takes: 1 when the response is complete, 0
 * when the socket is full (try later), -1 when the connection is dead or
 * the file could not be read (the response is cut: close).
 */
static int flush(struct conn *c)
{
	int n;

	for (;;) {
		if (c->ooff < c->olen) {
			n = ksock_send(c->sock, c->out + c->ooff, c->olen - c->ooff, KSOCK_NONBLOCK);
			if (n == -EAGAIN)
				return 0;
			if (n <= 0)
				return -1;
			c->ooff += (unsigned int)n;
			c->last = jiffies;
			continue;
		}
		c->olen = c->ooff = 0;
		if (c->f && c->left > 0) {
			n = (int)vfs_read(c->f, c->out, c->left < CHUNK ? (size_t)c->left : CHUNK);
			if (n <= 0) {
				if (!quiet)
					printk("khttpd: read error %d: response cut\n", n);
				return -1;
			}
			c->olen = (unsigned int)n;
			c->left -= n;
			continue;
		}
		finish_file(c);
		return 1;
	}
}

/* drop - close a connection slot. */
static void drop(struct conn *c)
{
	finish_file(c);
	ksock_close(c->sock);
	c->sock = NULL;
	c->len = c->olen = c->ooff = 0;
	c->close_after = false;
}

/* find_end - the length of the header block (through the blank line), or 0. */
static unsigned int find_end(const char *b, unsigned int len)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i++) {
		if (b[i] == '\n' && b[i + 1] == '\n')
			return i + 2;
		if (i + 3 < len && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' &&
		    b[i + 3] == '\n')
			return i + 4;
	}
	return 0;
}

/* handle - send pending output; read requests and queue their answers. */
static int handle(struct conn *c)
{
	int served = 0, n;
	unsigned int end;

	for (;;) {
		n = flush(c);
		if (n < 0 || (n == 1 && c->close_after)) {
			drop(c);
			return served;
		}
		if (n == 0) {
			if (jiffies - c->last > (unsigned long)idle * HZ)
				drop(c);	/* the client stopped reading */
			return served;
		}
		if (c->len < (unsigned int)maxreq) {
			n = ksock_recv(c->sock, c->req + c->len, (unsigned int)maxreq - c->len,
				       KSOCK_NONBLOCK);
			if (n == 0 || (n < 0 && n != -EAGAIN)) {
				drop(c);
				return served;
			}
			if (n > 0) {
				c->len += (unsigned int)n;
				c->last = jiffies;
			}
		}
		end = find_end(c->req, c->len);
		if (!end) {
			if (c->len >= (unsigned int)maxreq) {
				bool line = memchr(c->req, '\n', c->len) != NULL;
				send_error(c, line ? 400 : 414, false, false, "-", "-");
				served++;
				c->len = 0;
				continue;	/* send it, then close */
			}
			if (jiffies - c->last > (unsigned long)idle * HZ)
				drop(c);	/* an unfinished request */
			return served;
		}
		served++;
		serve(c, c->req, end);
		memmove(c->req, c->req + end, c->len - end);
		c->len -= end;
	}
}

/* khttpd_poll - see struct net_service. */
static int khttpd_poll(struct net_service *svc)
{
	struct ksock *s;
	int i, err, served = 0;

	while ((s = ksock_accept(listener, KSOCK_NONBLOCK, &err)) != NULL) {
		for (i = 0; i < conns && table[i].sock; i++)
			;
		if (i == conns) {
			ksock_close(s);		/* too many: refuse politely */
			continue;
		}
		table[i].sock = s;
		table[i].len = table[i].olen = table[i].ooff = 0;
		table[i].last = jiffies;
	}
	for (i = 0; i < conns; i++)
		if (table[i].sock)
			served += handle(&table[i]);
	svc->requests += (unsigned long)served;
	return served;
}

static struct net_service khttpd_service = {
	.name = "khttpd",
	.poll = khttpd_poll,
};

/* khttpd_init - listen on port and register the service. */
static int __init khttpd_init(void)
{
	int err, i;

	if (port <= 0 || port > 65535 || conns <= 0)
		return -EINVAL;
	if (conns > MAX_CONNS)
		conns = MAX_CONNS;
	if (maxreq < 64)
		maxreq = 64;
	if (maxreq > 8192)
		maxreq = 8192;
	table = kzalloc(sizeof(*table) * (size_t)conns, GFP_KERNEL);
	if (!table)
		goto nomem;
	for (i = 0; i < conns; i++)
		if (!(table[i].req = kmalloc((size_t)maxreq, GFP_KERNEL)) ||
		    !(table[i].out = kmalloc(CHUNK, GFP_KERNEL)))
			goto nomem;
	listener = ksock_listen((u16)port, conns, &err);
	if (!listener)
		goto fail;
	err = register_net_service(&khttpd_service);
	if (err) {
		ksock_close(listener);
		goto fail;
	}
	printk("khttpd: listening on port %d (maxreq=%d conns=%d)\n", port, maxreq, conns);
	return 0;
nomem:
	err = -ENOMEM;
fail:
	if (table)
		for (i = 0; i < conns; i++) {
			kfree(table[i].req);
			kfree(table[i].out);
		}
	kfree(table);
	table = NULL;
	return err;
}

/* khttpd_exit - close everything. */
static void __exit khttpd_exit(void)
{
	int i;

	unregister_net_service(&khttpd_service);
	for (i = 0; i < conns; i++) {
		if (table[i].sock)
			drop(&table[i]);
		kfree(table[i].req);
		kfree(table[i].out);
	}
	ksock_close(listener);
	kfree(table);
	printk("khttpd: stopped after %lu requests\n", khttpd_service.requests);
}

module_init(khttpd_init);
module_exit(khttpd_exit);
