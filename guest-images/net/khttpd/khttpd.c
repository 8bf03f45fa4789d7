/*
 * net/khttpd/khttpd.c - kHTTPd: an in-kernel HTTP/1.1 server module.
 * Serves files of the mounted volume (linux/vfs.h) over the kernel's TCP
 * sockets (linux/ksocket.h); the kernel drives it through a registered
 * net_service whose poll() accepts connections, reads requests and
 * answers them.  Uses only the exported kernel API.
 *
 * Module args: port=N (default 80), maxreq=N (request size limit in bytes,
 * default 2048, at most 8192), conns=N (connections at once, default 16),
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
 * Per request: "khttpd: A.B.C.D:P METHOD PATH STATUS BYTES".
 */
#include <linux/errno.h>
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
MODULE_PARM(port, "i");
MODULE_PARM(maxreq, "i");
MODULE_PARM(conns, "i");
MODULE_PARM(quiet, "i");

#define MAX_CONNS 64
#define CHUNK 4096

struct conn {
	struct ksock *sock;
	char *req;
	unsigned int len;
};

static struct ksock *listener;
static struct conn *table;
static char *iobuf;

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

/* send_all - ksock_send and report failure. */
static bool send_all(struct conn *c, const void *p, unsigned int n)
{
	return ksock_send(c->sock, p, n, 0) == (int)n;
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
	u32 ip;
	u16 p;

	if (quiet)
		return;
	ksock_peer(c->sock, &ip, &p);
	printk("khttpd: %u.%u.%u.%u:%u %s %s %d %lu\n", ip >> 24, (ip >> 16) & 255,
	       (ip >> 8) & 255, ip & 255, p, method, path, st, bytes);
}

/* send_error - a small HTML error page; returns whether the connection lives on. */
static bool send_error(struct conn *c, int st, bool head, bool keep, const char *method,
		       const char *path)
{
	char body[128];
	int bl = snprintf(body, sizeof(body), "<html><body><h1>%d %s</h1></body></html>\n", st,
			  status_text(st));
	int hl = snprintf(iobuf, CHUNK,
			  "HTTP/1.1 %d %s\r\nServer: kHTTPd/nooks-emu\r\nContent-Type: text/html\r\n"
			  "Content-Length: %d\r\n%sConnection: %s\r\n\r\n", st, status_text(st), bl,
			  st == 405 ? "Allow: GET, HEAD\r\n" : "", keep ? "keep-alive" : "close");
	bool ok = send_all(c, iobuf, (unsigned int)hl) && (head || send_all(c, body, (unsigned int)bl));

	log_request(c, method, path, st, 0);
	return ok && keep;
}

/* serve - answer one complete request (req[0..hdr_end)); whether to keep the connection. */
static bool serve(struct conn *c, char *req, unsigned int hdr_end)
{
	char method[8], path[VFS_PATH_MAX], *sp1, *sp2, *eol, *ver;
	const char *hdrs, *end = req + hdr_end;
	struct vfs_stat st;
	struct vfs_file *f;
	bool head, keep;
	unsigned long sent = 0;
	int err, hl, i;
	loff_t left;

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
	hl = snprintf(iobuf, CHUNK,
		      "HTTP/1.1 200 OK\r\nServer: kHTTPd/nooks-emu\r\nContent-Type: %s\r\n"
		      "Content-Length: %lu\r\nConnection: %s\r\n\r\n", content_type(path),
		      (unsigned long)st.size, keep ? "keep-alive" : "close");
	if (!send_all(c, iobuf, (unsigned int)hl)) {
		vfs_close(f);
		log_request(c, method, path, 200, 0);
		return false;
	}
	for (left = head ? 0 : st.size; left > 0;) {
		int n = (int)vfs_read(f, iobuf, CHUNK);
		if (n <= 0) {			/* the volume failed mid-file: cut it */
			vfs_close(f);
			log_request(c, method, path, 500, sent);
			return false;
		}
		if (n > left)
			n = (int)left;
		if (!send_all(c, iobuf, (unsigned int)n)) {	/* the client left */
			vfs_close(f);
			log_request(c, method, path, 200, sent);
			return false;
		}
		left -= n;
		sent += (unsigned long)n;
	}
	vfs_close(f);
	log_request(c, method, path, 200, sent);
	return keep;
}

/* drop - close a connection slot. */
static void drop(struct conn *c)
{
	ksock_close(c->sock);
	c->sock = NULL;
	c->len = 0;
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

/* handle - read what a connection has; answer complete requests. */
static int handle(struct conn *c)
{
	int served = 0, n;
	unsigned int end;

	for (;;) {
		if (c->len < (unsigned int)maxreq) {
			n = ksock_recv(c->sock, c->req + c->len, (unsigned int)maxreq - c->len,
				       KSOCK_NONBLOCK);
			if (n == 0 || (n < 0 && n != -EAGAIN)) {
				drop(c);
				return served;
			}
			if (n > 0)
				c->len += (unsigned int)n;
		}
		end = find_end(c->req, c->len);
		if (!end) {
			if (c->len >= (unsigned int)maxreq) {
				bool line = memchr(c->req, '\n', c->len) != NULL;
				send_error(c, line ? 400 : 414, false, false, "-", "-");
				served++;
				drop(c);
			}
			return served;
		}
		served++;
		if (!serve(c, c->req, end)) {
			drop(c);
			return served;
		}
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
		table[i].len = 0;
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
	iobuf = kmalloc(CHUNK, GFP_KERNEL);
	if (!table || !iobuf)
		goto nomem;
	for (i = 0; i < conns; i++)
		if (!(table[i].req = kmalloc((size_t)maxreq, GFP_KERNEL)))
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
		for (i = 0; i < conns; i++)
			kfree(table[i].req);
	kfree(table);
	kfree(iobuf);
	table = NULL;
	iobuf = NULL;
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
	}
	ksock_close(listener);
	kfree(table);
	kfree(iobuf);
	printk("khttpd: stopped after %lu requests\n", khttpd_service.requests);
}

module_init(khttpd_init);
module_exit(khttpd_exit);
