/* widgets.h - HTML pieces that several pages share: the confirmation step
 * of a dangerous change and the person picker. Untrusted text is escaped
 * inside; callers pass plain strings. */
#ifndef JB_WIDGETS_H
#define JB_WIDGETS_H

#include <stdbool.h>

#include "domain/person.h"
#include "web/web.h"

/* A change that one click should not make (disabling an account, resetting
 * a password, revoking a token) asks first: "<ask> <strong>subject</strong>
 * <ask_end>". */
struct confirm {
	const char *title;     /* the page's title and heading: "停用账号" */
	const char *ask;       /* "确定要停用账号" */
	const char *subject;   /* "cadre", shown bold */
	const char *ask_end;   /* "吗？" */
	const char *detail;    /* what follows from it; NULL: nothing */
	const char *button;    /* the red button's text: "停用账号" */
	const char *back;      /* local path the cancel link goes to */
	enum nav nav;
};

/* Whether the change may go on: true under /api/ (scripts do not confirm)
 * and for a form that carries confirm=1. Otherwise answers with a page
 * asking q, whose red button posts confirm=1 and the CSRF field to the
 * same path, and returns false: nothing is changed. Call it after the
 * permission check, so that a refusal is never dressed as a question. */
bool confirmed_or_ask(struct req *r, const struct confirm *q);

/* A person search from the query string: the name substring from parameter
 * qname (spaces around it dropped) and the unit id from unitname (empty:
 * any). Answers 400 and returns -1 on a query longer than PERSON_QUERY_MAX
 * or a unit that is not a positive integer. Shared by the picker and
 * GET /api/v1/persons, so both accept the same. */
int person_query_or_respond(struct req *r, const char *qname, const char *unitname, struct person_query *q);

#endif
