/* audit_gate.c - per-address counting of refused anonymous requests. */
#include "domain/audit_gate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

#define PROBE 32  /* slots looked at for one address */

struct slot {
	int64_t tenant_id;        /* 0: never used */
	char addr[AUDIT_GATE_ADDR_MAX];
	int64_t since;            /* the window's start */
	int64_t written, left_out;
};

struct audit_gate {
	pthread_mutex_t lock;     /* guards everything below */
	int per_window;
	int64_t swept;            /* when the table was last swept */
	int64_t overflow, overflow_since;
	struct slot slots[AUDIT_GATE_SLOTS];
};

struct audit_gate *audit_gate_new(int per_window)
{
	struct audit_gate *g = xcalloc(1, sizeof(*g));

	pthread_mutex_init(&g->lock, NULL);
	g->per_window = per_window > 0 ? per_window : AUDIT_GATE_PER_WINDOW;
	return g;
}

void audit_gate_free(struct audit_gate *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->lock);
	free(g);
}

static uint64_t slot_hash(int64_t tenant_id, const char *addr)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)tenant_id;

	for (; *addr; addr++)
		h = (h ^ (unsigned char)*addr) * 1099511628211ULL;
	return h;
}

static bool ended(const struct slot *s, int64_t now)
{
	return now - s->since >= AUDIT_GATE_WINDOW;
}

/* Hand out s's summary when it has one, and free the slot. */
static void close_slot(struct slot *s, int64_t now, struct audit_summary *out, int *n)
{
	if (s->left_out) {
		out[*n] = (struct audit_summary){ s->tenant_id, s->since, now, s->left_out, "" };
		memcpy(out[*n].addr, s->addr, sizeof(s->addr));
		(*n)++;
	}
	memset(s, 0, sizeof(*s));
}

/* The slot of (tenant, addr): its own, else a free one (made its own), else
 * NULL. A slot whose window ended is closed on the way (into due). */
static struct slot *find(struct audit_gate *g, int64_t tenant_id, const char *addr, int64_t now,
			 struct audit_summary *due, int *ndue)
{
	size_t at = (size_t)(slot_hash(tenant_id, addr) % AUDIT_GATE_SLOTS);
	struct slot *free_slot = NULL;

	for (int i = 0; i < PROBE; i++) {
		struct slot *s = &g->slots[(at + (size_t)i) % AUDIT_GATE_SLOTS];
		bool mine = s->tenant_id == tenant_id && !strcmp(s->addr, addr);
		if (s->tenant_id && ended(s, now) && *ndue < AUDIT_GATE_BATCH)
			close_slot(s, now, due, ndue);
		if (mine && s->tenant_id)
			return s;
		if (!s->tenant_id && !free_slot)
			free_slot = s;
	}
	if (free_slot) {
		free_slot->tenant_id = tenant_id;
		snprintf(free_slot->addr, sizeof(free_slot->addr), "%s", addr);
		free_slot->since = now;
	}
	return free_slot;
}

static int take_locked(struct audit_gate *g, bool all, int64_t now, struct audit_summary *out, int max)
{
	int n = 0;

	for (size_t i = 0; i < AUDIT_GATE_SLOTS && n < max; i++) {
		struct slot *s = &g->slots[i];
		if (s->tenant_id && (all || ended(s, now)))
			close_slot(s, now, out, &n);
	}
	if (g->overflow && (all || now - g->overflow_since >= AUDIT_GATE_WINDOW)) {
		log_error("audit: %lld refused requests from further addresses were not logged one by one"
			  " (more than %d addresses at once)", (long long)g->overflow, AUDIT_GATE_SLOTS);
		g->overflow = 0;
	}
	return n;
}

bool audit_gate_admit(struct audit_gate *g, int64_t tenant_id, const char *addr, int64_t now,
		      struct audit_summary due[AUDIT_GATE_BATCH], int *ndue)
{
	struct slot *s;
	bool admit;

	*ndue = 0;
	pthread_mutex_lock(&g->lock);
	s = find(g, tenant_id, addr ? addr : "", now, due, ndue);
	if (!s) {
		if (!g->overflow++)
			g->overflow_since = now;
		admit = false;
	} else if (s->written < g->per_window) {
		s->written++;
		admit = true;
	} else {
		s->left_out++;
		admit = false;
	}
	if (now - g->swept >= AUDIT_GATE_WINDOW && *ndue < AUDIT_GATE_BATCH) {
		*ndue += take_locked(g, false, now, due + *ndue, AUDIT_GATE_BATCH - *ndue);
		if (*ndue < AUDIT_GATE_BATCH)
			g->swept = now; /* else the rest on the next call */
	}
	pthread_mutex_unlock(&g->lock);
	return admit;
}

int audit_gate_take(struct audit_gate *g, bool all, int64_t now, struct audit_summary *out, int max)
{
	int n;

	pthread_mutex_lock(&g->lock);
	n = take_locked(g, all, now, out, max);
	pthread_mutex_unlock(&g->lock);
	return n;
}
