/* ratelimit.h - at most so many anonymous submissions (a resident's
 * proposal, a complaint) per client address within a window.
 *
 * Each accepted submission is a row of rate_event, counted in the same
 * write transaction as the submission itself, so every server process sees
 * the same counts and two parallel submissions cannot both slip past the
 * limit (write transactions are serialized, store/db.h). */
#ifndef JB_RATELIMIT_H
#define JB_RATELIMIT_H

#include <stdint.h>

#include "domain/action.h"

struct rate_rule {
	const char *kind;         /* "proposal", "complaint" */
	int max;                  /* submissions per window */
	int64_t window;           /* seconds */
};

/* Inside a verb: count one submission of rule->kind from c->addr at c->now,
 * or refuse it. JB_OK when counted; a refusal is JB_ELIMITED with code
 * "too_frequent", c->retry_after set and a message saying when to try
 * again ("提交过于频繁，请在 14:05 后再试"); -1 store error. Rows older than
 * the window are deleted as new ones come. An empty address (command line)
 * is never limited. */
int rate_hit(struct ctx *c, const struct rate_rule *rule);

#endif
