/* robot.h - a tenant's outgoing channels: 钉钉 and 企业微信 group robots
 * and generic webhooks (issue 12 §4), configured by an admin
 * (robot.manage), and the outbox the verbs write their events to.
 *
 * outbox_event() runs inside a verb's transaction, next to its notify()
 * calls: a message exists exactly when its change committed. The body is
 * rendered once, at that moment, for the robot's kind, with a random
 * delivery id; the worker (net/outbox_worker.h) only sends those bytes,
 * so a resend is byte for byte the same message with the same id. */
#ifndef JB_ROBOT_H
#define JB_ROBOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/labels.h"

#define ROBOT_MAX 50         /* robots per tenant */
#define OUTBOX_PAGE 50       /* rows of the outbox the admin page shows */

extern const struct label robot_kinds[];   /* dingtalk, wecom, webhook */
extern const struct label robot_events[];  /* board_published ... overdue_digest */

struct robot {
	int64_t id, created_at, updated_at;
	const char *kind, *name, *url;
	const char *events;          /* comma-separated codes of robot_events */
	bool has_secret, enabled;
};

/* A robot as an admin sends it. secret NULL or "": keep the one set (a
 * new robot has none); clear_secret removes it. events: codes of
 * robot_events, at most one each. */
struct robot_in {
	const char *kind, *name, *url, *secret;
	const char *events[8];
	int nevents;
	bool enabled, clear_secret;
};

struct outbox_row {
	int64_t id, robot_id, attempts, next_at_ms, created_at, sent_at;
	const char *event, *delivery_id, *state, *last_error, *robot_name;
};

/* Whether the robot's comma list events holds code. */
bool robot_has_event(const char *events, const char *code);

/* The tenant's robots, by id. 0 or -1. */
int robot_list(db *d, arena *a, int64_t tenant_id, struct robot **out, int *n) __attribute__((warn_unused_result));
/* One robot: 0, 1 none, -1. */
int robot_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct robot *out) __attribute__((warn_unused_result));

/* Verbs (robot.manage, audited robot.create / robot.update / robot.delete
 * without the secret's value). Save: id 0 creates (*id set). The URL must
 * be http(s) and resolve to public addresses only (util/egress.h); the
 * field errors are "kind", "name", "url", "secret", "events". Delete also
 * deletes its outbox rows. */
int robot_save(struct ctx *c, int64_t id, const struct robot_in *in, int64_t *out_id)
	__attribute__((warn_unused_result));
int robot_delete(struct ctx *c, int64_t id) __attribute__((warn_unused_result));
/* Verb: queue a test message (event "test") to robot id, enabled or not.
 * Audited robot.test. */
int robot_test(struct ctx *c, int64_t id) __attribute__((warn_unused_result));

/* Inside a verb: queue event (a robot_events code) to every enabled robot
 * of c's tenant that receives it. title and text are zh-CN plain text
 * (text may hold markdown lines); path is the local path of the thing
 * ("/problems/12"), linked from the tenant's base URL; data (stolen, may be
 * NULL) is the webhook's "data" object, to which title, text and url are
 * added. How many rows were queued, or -1. */
int outbox_event(struct ctx *c, const char *event, const char *title, const char *text, const char *path,
		 json_t *data) __attribute__((warn_unused_result));

/* The background task's part, inside its tenant transaction: from
 * DIGEST_HOUR local time, once a day, queue the overdue digest (逾期汇总:
 * working claims past their deadline) to the robots that receive it.
 * *n: rows queued. 0 or -1. */
int outbox_overdue_digest(struct ctx *c, int *n) __attribute__((warn_unused_result));

/* The tenant's newest outbox rows (state NULL: any), newest first. 0 or -1. */
int outbox_list(db *d, arena *a, int64_t tenant_id, const char *state, int max, struct outbox_row **out, int *n)
	__attribute__((warn_unused_result));
/* The outbox of every tenant by state, for /metrics: rows waiting to be
 * sent (pending), dead, and sent. 0 or -1. */
int outbox_counts(db *d, int64_t *pending, int64_t *dead, int64_t *sent) __attribute__((warn_unused_result));
/* Verb: put a dead row back to pending, due now, its attempts reset
 * (robot.manage; audited outbox.resend). A row not dead: JB_ECONFLICT. */
int outbox_resend(struct ctx *c, int64_t id) __attribute__((warn_unused_result));

#endif
