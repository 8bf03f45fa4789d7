/*
 * linux/stddef.h - NULL, offsetof and container_of.
 */
#ifndef _LINUX_STDDEF_H
#define _LINUX_STDDEF_H

#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

/* container_of - from a pointer to a member, get the enclosing struct. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif
