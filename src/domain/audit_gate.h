/* audit_gate.h - bounded audit writes for refused anonymous requests.
 *
 * Anyone can send refused requests, and each refusal is an audit row in a
 * write transaction: a flood would queue every writer and fill the log.
 * The gate counts refusals per (tenant, client address) in fixed windows
 * of AUDIT_GATE_WINDOW seconds, in memory: the first per_window of a window
 * are written one by one, the rest only counted, and when the window is
 * over one summary row says how many were left out (action
 * "refusal.summary", {"addr", "count", "since", "until"}). Summaries are
 * handed out by the next refusal after the window (of any address: the
 * table is swept once a window) and by audit_gate_take(all) at shutdown,
 * so at most per_window + 1 rows per address and window reach the store.
 * When AUDIT_GATE_SLOTS addresses are being counted, further addresses'
 * refusals are counted only in the server log, once a window.
 *
 * One gate per server process, shared by its threads (a mutex inside);
 * signed-in users' refusals do not pass through it: they are accountable
 * and always written. */
#ifndef JB_AUDIT_GATE_H
#define JB_AUDIT_GATE_H

#include <stdbool.h>
#include <stdint.h>

#define AUDIT_GATE_WINDOW 60
#define AUDIT_GATE_PER_WINDOW 10   /* the default of per_window */
#define AUDIT_GATE_SLOTS 4096
#define AUDIT_GATE_BATCH 16        /* summaries handed out per call at most */
#define AUDIT_GATE_ADDR_MAX 64

struct audit_gate;

/* Refusals left out of the log: count of them from addr in tenant within
 * [since, until). */
struct audit_summary {
	int64_t tenant_id, since, until, count;
	char addr[AUDIT_GATE_ADDR_MAX];
};

struct audit_gate *audit_gate_new(int per_window);
void audit_gate_free(struct audit_gate *g);
/* One refusal from addr in tenant at now: true when it is to be written
 * in full, false when it was only counted. due gets up to AUDIT_GATE_BATCH
 * summaries of windows that have ended (*ndue of them), to be written now:
 * once handed out they are forgotten. */
bool audit_gate_admit(struct audit_gate *g, int64_t tenant_id, const char *addr, int64_t now,
		      struct audit_summary due[AUDIT_GATE_BATCH], int *ndue);
/* Up to max summaries of ended windows (all: of every window with a count,
 * ended or not, as at shutdown); returns how many. */
int audit_gate_take(struct audit_gate *g, bool all, int64_t now, struct audit_summary *out, int max);

#endif
