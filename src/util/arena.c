/* arena.c - region allocator with deferred cleanups. */
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define CHUNK 8192

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct chunk *head;
	struct cleanup *cleanups;
	size_t total;
};

arena *arena_new(void)
{
	return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
	if (!a)
		return;
	for (struct cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->p);
	struct chunk *ch = a->head;
	while (ch) {
		struct chunk *next = ch->next;
		free(ch);
		ch = next;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	struct chunk *ch = a->head;

	if (need < n)
		xdie("arena: size overflow");
	if (!ch || ch->size - ch->used < need) {
		size_t size = need > CHUNK ? need : CHUNK;
		ch = xmalloc(sizeof(*ch) + size);
		ch->size = size;
		ch->used = 0;
		/* Oversized blocks go behind the head so the head keeps its room. */
		if (a->head && need > CHUNK) {
			ch->next = a->head->next;
			a->head->next = ch;
		} else {
			ch->next = a->head;
			a->head = ch;
		}
		a->total += size;
	}
	void *p = ch->data + ch->used;
	ch->used += need;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *arena_grow(arena *a, void *arr, int n, int *cap, size_t size)
{
	void *grown;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 8;
	grown = arena_alloc(a, (size_t)*cap * size);
	if (n)
		memcpy(grown, arr, (size_t)n * size);
	return grown;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *s = arena_strndup(a, b.s, b.len);
	buf_release(&b);
	return s;
}

void arena_defer(arena *a, void (*fn)(void *), void *p)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
