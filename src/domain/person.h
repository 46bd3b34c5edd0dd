/* person.h - the people of a tenant (人员: cadres, leaders, liaisons),
 * found by name and unit for the person pickers of the user forms and the
 * claim form.
 *
 * Reading people is allowed to those who may read users (user.read): an
 * admin or a county leader reads the whole tenant, a unit liaison only its
 * own unit; cadres, evaluators and anonymous readers none. Picking people
 * (person.pick: the lead, owner and team of a claim) reaches the whole
 * tenant for admins, liaisons, cadres and leaders, and shows a person's
 * name, unit and title only. Results live on the caller's arena. */
#ifndef JB_PERSON_H
#define JB_PERSON_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"

#define PERSON_QUERY_MAX 32     /* code points of a name query */
#define PERSON_SEARCH_LIMIT 20  /* people one search returns */

struct person {
	int64_t id, unit_id;
	const char *name, *unit, *title, *rank;  /* rank: a person_ranks code */
};

struct person_query {
	const char *q;      /* a substring of the name (ASCII case folded); NULL or "": any */
	int64_t unit_id;    /* only this unit's people; 0: every unit the reader reaches */
	bool pick;          /* person.pick instead of user.read: rank is "" */
};

struct person_hits {
	struct person items[PERSON_SEARCH_LIMIT];
	int n;
	bool more;          /* more people matched than are here */
};

/* The people matching q that c->who may read, at most PERSON_SEARCH_LIMIT:
 * names starting with q first, then by unit (as units are listed) and id,
 * the same on both stores. A unit outside the reader's reach, or a reader
 * who reaches none, is refused (JB_EDENIED, with the reason in c); else
 * JB_OK, or JB_EBUSY / JB_ESTORE. Reads only; no transaction of its own. */
int person_search(struct ctx *c, const struct person_query *q, struct person_hits *out)
	__attribute__((warn_unused_result));

/* Person id as a picker shows it once chosen (name, unit, title; rank
 * ""): JB_OK, JB_ENOTFOUND, or JB_EDENIED when c->who may not pick people
 * (person.pick). Reads only. */
int person_pick_get(struct ctx *c, int64_t id, struct person *out) __attribute__((warn_unused_result));

/* Person id of tenant_id into *out: 0, 1 when there is none, -1 on a store
 * error. No permission check: for showing the person an account the
 * caller may read is linked to. */
int person_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct person *out)
	__attribute__((warn_unused_result));

#endif
