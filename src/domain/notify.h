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

/* Inside a verb: tell every enabled account linked to person_id
 * (app_user.person_id; 0 or a person without an account: a no-op). How
 * many accounts were told, or -1. */
int notify_person(struct ctx *c, int64_t person_id, const char *kind, const char *object_type, int64_t object_id,
		  const char *title, const char *body) __attribute__((warn_unused_result));
/* Inside a verb: tell each user id that st (a statement from db_query,
 * NULL: a store error) yields; st is finished here. How many were told,
 * or -1. */
int notify_users(struct ctx *c, db_stmt *st, const char *kind, const char *object_type, int64_t object_id,
		 const char *title, const char *body) __attribute__((warn_unused_result));

/* ---- the daily digest and the reminders (the background task) ---- */

#define DIGEST_HOUR 8        /* digests are made from 08:00 Asia/Shanghai */
#define DIGEST_DUE_DAYS 3    /* "milestone due" reminders this many days ahead */

/* One user's digest of one day (Asia/Shanghai): the unread notifications
 * not yet in a digest when it was made. */
struct digest {
	int64_t id, created_at;
	const char *day;          /* YYYY-MM-DD */
	int n;
	const char *body;         /* 今日待办摘要：3 项未读通知——… */
};

/* The background task, run once a minute by the server's thread (and by
 * the hidden command `jiebang digest --now EPOCH`, which is how tests set
 * the clock). For every tenant, in one transaction each, at now:
 *   1. escalates overdue supervision notices (supervise.h);
 *   2. reminds the owner and the lead of working claims in batches not
 *      closed: a milestone due within DIGEST_DUE_DAYS days (once per
 *      milestone: kind milestone.due on the milestone), a milestone or
 *      the deadline passed undone (once per milestone, and once per
 *      deadline: kind claim.overdue, on the milestone or the claim,
 *      after the deadline), no report for the last period (once per
 *      period: kind claim.report_due on the claim, since the latest
 *      report day);
 *   3. from DIGEST_HOUR local time, makes one digest per user and day of
 *      the unread notifications not yet in one, and sets their digest_id.
 * "Once" is remembered by the notifications themselves: a reminder is not
 * written when one of its kind on its object already exists (for a
 * period: was written since the period began). A tenant with nothing to
 * do writes nothing (its data version stays). Returns how many rows it
 * wrote (reminders, escalations, digests), or -1 (logged). */
int notify_digest_run(db *d, int64_t now);

/* user_id's latest digests, newest first, at most n_max. 0 or -1. */
int notify_digests(db *d, arena *a, int64_t tenant_id, int64_t user_id, int n_max, struct digest **out, int *n)
	__attribute__((warn_unused_result));

#endif
