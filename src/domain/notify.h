/* notify.h - in-app notifications: a verb tells a user what happened to
 * something of theirs (a proposal selected, merged, returned; later a
 * claim approved, a milestone due).
 *
 * notify() writes inside the verb's transaction, so a notification exists
 * exactly when its change committed. Users read and mark only their own. */
#ifndef JB_NOTIFY_H
#define JB_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"

#define NOTIFY_PAGE 50

struct notification {
	int64_t id, object_id, created_at, read_at;  /* read_at 0: unread */
	const char *kind;          /* the audit action that caused it: "problem.select" */
	const char *object_type;   /* "problem", "complaint" */
	const char *title, *body;  /* zh-CN */
};

/* Inside a verb: tell user_id (0: nobody, a no-op) title and body about
 * the object. 0 or -1. */
int notify(struct ctx *c, int64_t user_id, const char *kind, const char *object_type, int64_t object_id,
	   const char *title, const char *body) __attribute__((warn_unused_result));

/* How many of user_id's notifications are unread. 0 or -1. */
int notify_unread(db *d, int64_t tenant_id, int64_t user_id, int64_t *n) __attribute__((warn_unused_result));
/* user_id's notifications, newest first, older than before_id (0: the
 * newest), at most NOTIFY_PAGE; *more when older ones exist. 0 or -1. */
int notify_list(db *d, arena *a, int64_t tenant_id, int64_t user_id, int64_t before_id,
		struct notification **out, int *n, bool *more) __attribute__((warn_unused_result));

/* Verb: mark c->who's notification id read (id 0: all of them). Another
 * user's or no such notification: JB_ENOTFOUND. Marking one already read
 * is JB_OK and changes nothing. */
int notify_mark_read(struct ctx *c, int64_t id) __attribute__((warn_unused_result));

#endif
