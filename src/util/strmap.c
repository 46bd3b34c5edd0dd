/* strmap.c - the hash map of strmap.h. */
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/xalloc.h"

struct slot {
	uint64_t hash;
	const char *key;        /* NULL: empty */
	size_t len;
	struct strmap_val val;
};

struct strmap {
	arena *a;
	struct slot *slots;
	size_t cap, n;          /* cap a power of two */
};

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

strmap *strmap_new(void)
{
	strmap *m = xcalloc(1, sizeof(*m));

	m->a = arena_new();
	m->cap = 1024;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

void strmap_free(strmap *m)
{
	if (!m)
		return;
	arena_free(m->a);
	free(m->slots);
	free(m);
}

static struct slot *find(const strmap *m, uint64_t h, const char *key, size_t len)
{
	size_t mask = m->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && !memcmp(s->key, key, len)))
			return s;
	}
}

static void grow(strmap *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap;

	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(m, old[i].hash, old[i].key, old[i].len) = old[i];
	free(old);
}

struct strmap_val *strmap_put(strmap *m, const char *key, size_t len, bool *created)
{
	uint64_t h = fnv(key, len);
	struct slot *s;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, h, key, len);
	*created = !s->key;
	if (!s->key) {
		char *k = arena_alloc(m->a, len + 1);
		memcpy(k, key, len);
		s->key = k;
		s->len = len;
		s->hash = h;
		m->n++;
	}
	return &s->val;
}

struct strmap_val *strmap_get(const strmap *m, const char *key, size_t len)
{
	struct slot *s = find(m, fnv(key, len), key, len);

	return s->key ? &s->val : NULL;
}

size_t strmap_count(const strmap *m)
{
	return m->n;
}
