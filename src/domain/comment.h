/* comment.h - 意见交流: comments on a problem by its team and the admins.
 *
 * Who writes (comment.write): admins on any problem of the tenant; a cadre
 * or a unit liaison on a problem whose counted claim (STATE_SQL_COUNTED_CLAIMS)
 * has them on its task force (claim_member), or whose claim they applied
 * for. Who reads (comment.read): the same people, and the county leaders;
 * never the public. A body is 1-2000 characters, line breaks allowed,
 * stored as typed and escaped wherever it is shown.
 *
 * Its author may edit a comment within COMMENT_EDIT_SECONDS of writing it
 * (later: a conflict); an admin removes one (comment.remove), which keeps
 * the row and marks it: the thread shows "此意见已由管理员删除（时间）" in its
 * place, and the body is no longer returned. Audited: comment.write,
 * comment.edit (with the body before and after), comment.remove. */
#ifndef JB_COMMENT_H
#define JB_COMMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "store/db.h"
#include "util/arena.h"

#define COMMENT_MAX 2000
#define COMMENT_EDIT_SECONDS (15 * 60)

struct comment {
	int64_t id, problem_id, user_id, created_at, edited_at, removed_at;  /* 0: not */
	const char *author;        /* the author's person's name, else login */
	const char *body;          /* "" once removed */
	const char *removed_by;
	bool editable;             /* by the reader, now */
};

struct comment_in {
	const char *body;
};
extern const struct bind_field comment_fields[];

/* Whether who may read / write comments on problem_id. 0 / 1 in *ok, or -1. */
int comment_may(db *d, const struct principal *who, int64_t problem_id, const char *action, bool *ok)
	__attribute__((warn_unused_result));

/* The thread of problem_id as who reads it, oldest first. JB_OK,
 * JB_ENOTFOUND (no such problem), JB_EDENIED (may not read), or -1. */
int comment_list(db *d, arena *a, const struct principal *who, int64_t problem_id, int64_t now, struct comment **out,
		 int *n) __attribute__((warn_unused_result));
/* One comment (removed ones too): 0, 1 none, -1. */
int comment_get(db *d, arena *a, const struct principal *who, int64_t id, int64_t now, struct comment *out)
	__attribute__((warn_unused_result));

/* Verbs: JB_ENOTFOUND, JB_EDENIED, JB_EINVALID, JB_ECONFLICT (too late to
 * edit, removed already). */
int comment_write(struct ctx *c, int64_t problem_id, const struct comment_in *in, int64_t *id)
	__attribute__((warn_unused_result));
int comment_edit(struct ctx *c, int64_t id, const struct comment_in *in) __attribute__((warn_unused_result));
int comment_remove(struct ctx *c, int64_t id) __attribute__((warn_unused_result));

#endif
