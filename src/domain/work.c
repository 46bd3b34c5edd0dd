/* work.c - 我的工作 (work.h). */
#include "domain/work.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/labels.h"
#include "domain/state.h"
#include "domain/supervise.h"

const struct label work_kinds[] = {
	{ "proposal", "我的出卷" },
	{ "claim", "我的揭榜" },
	{ "milestone", "临近的节点" },
	{ "endorse", "待单位推荐" },
	{ "approve", "待审批揭榜" },
	{ "sign", "待签订军令状" },
	{ "accept", "待接受点将" },
	{ "report", "待报送进展" },
	{ "reply", "待答复督办" },
	{ "decide", "待审批延期" },
	{ "overdue_reply", "督办逾期未复" },
	{ NULL, NULL },
};

/* The claim row c concerns person $2 or user $3. */
#define MINE(c) "(" c ".owner_person_id = $2 OR " c ".lead_person_id = $2 OR " c ".applicant_user_id = $3" \
	" OR EXISTS (SELECT 1 FROM claim_member mm WHERE mm.tenant_id = " c ".tenant_id AND mm.claim_id = " c ".id" \
	" AND mm.person_id = $2))"
#define ROLE(c) "CASE WHEN " c ".owner_person_id = $2 THEN 'owner' WHEN " c ".lead_person_id = $2 THEN 'lead'" \
	" ELSE coalesce((SELECT mm.role FROM claim_member mm WHERE mm.tenant_id = " c ".tenant_id" \
	" AND mm.claim_id = " c ".id AND mm.person_id = $2), 'applicant') END"
#define JOIN_PROBLEM(c) " JOIN problem p ON p.tenant_id = " c ".tenant_id AND p.id = " c ".problem_id"

struct list {
	struct work_item **items;
	int *n, cap;
};

/* Rows of st (problem_id, claim_id, object_id, due, title, state, role,
 * detail) as items of kind. 0 or -1. */
static int collect(arena *a, db_stmt *st, const char *kind, struct list *l)
{
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*l->n >= WORK_MAX)
			continue;
		struct work_item *x = ARENA_PUSH(a, *l->items, *l->n, l->cap);
		x->kind = kind;
		x->problem_id = db_col_int(st, 0);
		x->claim_id = db_col_int(st, 1);
		x->object_id = db_col_int(st, 2);
		x->due = db_col_int(st, 3);
		x->title = arena_strdup(a, db_col_text(st, 4));
		x->state = arena_strdup(a, db_col_text(st, 5));
		x->role = arena_strdup(a, db_col_text(st, 6));
		x->detail = arena_strdup(a, db_col_text(st, 7));
		x->light = "";
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int proposals(db *d, arena *a, const struct principal *who, struct work *w)
{
	struct list l = { &w->proposals, &w->nproposals, 0 };

	return collect(a, db_query(d, "SELECT p.id, 0, 0, 0, p.title, p.state, '', '' FROM problem p"
				      " WHERE p.tenant_id = $1 AND p.proposer_user_id = $2 ORDER BY p.id DESC LIMIT $3",
				   "iii", who->tenant_id, who->user_id, (int64_t)WORK_MAX), "proposal", &l);
}

/* My claims with their lights (claim_light_of, claim.h: a closed batch's
 * as of its end); the unreported ones I own or lead are also reports due. */
static int claims(db *d, arena *a, const struct principal *who, int64_t now, struct work *w)
{
	struct list l = { &w->claims, &w->nclaims, 0 };
	int cap = 0;

	if (collect(a, db_query(d, "SELECT c.problem_id, c.id, 0, coalesce(c.deadline, 0), p.title, c.state, " ROLE("c")
				   ", '' FROM claim c" JOIN_PROBLEM("c") " WHERE c.tenant_id = $1 AND " MINE("c")
				   " ORDER BY c.id DESC LIMIT $4",
				"iiii", who->tenant_id, who->person_id ? who->person_id : (int64_t)-1, who->user_id,
				(int64_t)WORK_MAX), "claim", &l) < 0)
		return -1;
	for (int i = 0; i < w->nclaims; i++) {
		struct work_item *x = &w->claims[i];
		enum light light;
		if (claim_light_of(d, who->tenant_id, x->claim_id, now, &light) != 0)
			return -1;
		x->light = lights[light].code;
		if (light == LIGHT_UNREPORTED && (!strcmp(x->role, "owner") || !strcmp(x->role, "lead"))) {
			struct work_item *y = ARENA_PUSH(a, w->waiting, w->nwaiting, cap);
			*y = *x;
			y->kind = "report";
		}
	}
	return 0;
}

static int milestones(db *d, arena *a, const struct principal *who, int64_t now, struct work *w)
{
	struct list l = { &w->milestones, &w->nmilestones, 0 };

	return collect(a, db_query(d, "SELECT c.problem_id, c.id, m.id, m.due_at, p.title, c.state, " ROLE("c") ", m.title"
				      " FROM milestone m JOIN claim c ON c.tenant_id = m.tenant_id AND c.id = m.claim_id"
				      JOIN_PROBLEM("c") " WHERE m.tenant_id = $1 AND " MINE("c")
				      " AND c.state IN " STATE_SQL_WORKING_CLAIMS " AND m.done_at IS NULL"
				      " AND m.due_at >= $4 AND m.due_at <= $5 ORDER BY m.due_at, m.id LIMIT $6",
				   "iiiiii", who->tenant_id, who->person_id ? who->person_id : (int64_t)-1, who->user_id,
				   now - SUPERVISE_DAY, now + (int64_t)WORK_SOON_DAYS * SUPERVISE_DAY, (int64_t)WORK_MAX),
		       "milestone", &l);
}

/* Claims in state, of unit (0: any), as waiting items of kind. */
static int claims_in(db *d, arena *a, const struct principal *who, int state, int64_t unit, const char *kind,
		     struct list *l)
{
	return collect(a, db_query(d, "SELECT c.problem_id, c.id, 0, coalesce(c.deadline, 0), p.title, c.state, '', u.name"
					" FROM claim c" JOIN_PROBLEM("c") " JOIN unit u ON u.tenant_id = c.tenant_id"
					" AND u.id = c.unit_id WHERE c.tenant_id = $1 AND c.state = $2 AND ($3 = 0 OR c.unit_id = $3)"
					" ORDER BY c.id LIMIT $4", "isii", who->tenant_id, claim_state_info[state].code, unit,
				     (int64_t)WORK_MAX), kind, l);
}

static int waiting(db *d, arena *a, const struct principal *who, int64_t now, struct work *w)
{
	struct perm_target all = { who->tenant_id, 0, 0, false };
	int64_t person = who->person_id ? who->person_id : -1, unit;
	/* The reports due are there already; a capacity equal to the count
	 * makes the next push copy them into a larger array. */
	struct list l = { &w->waiting, &w->nwaiting, w->nwaiting };

	if (perm_unit_scope(who, "claim.endorse", &unit) && claims_in(d, a, who, CLAIM_ENDORSING, unit, "endorse", &l) < 0)
		return -1;
	if (perm_check(who, "claim.approve", &all) && claims_in(d, a, who, CLAIM_APPLIED, 0, "approve", &l) < 0)
		return -1;
	if (collect(a, db_query(d, "SELECT c.problem_id, c.id, 0, coalesce(c.deadline, 0), p.title, c.state, " ROLE("c")
				   ", '' FROM claim c" JOIN_PROBLEM("c") " WHERE c.tenant_id = $1 AND c.state = $4"
				   " AND ((c.owner_person_id = $2 AND c.owner_signed_at IS NULL)"
				   " OR (c.lead_person_id = $2 AND c.lead_signed_at IS NULL)) AND $3 = $3 ORDER BY c.id",
				"iiis", who->tenant_id, person, who->user_id, claim_state_info[CLAIM_APPROVED].code),
		    "sign", &l) < 0 ||
	    collect(a, db_query(d, "SELECT c.problem_id, c.id, 0, coalesce(c.deadline, 0), p.title, c.state, 'owner', ''"
				   " FROM claim c" JOIN_PROBLEM("c") " WHERE c.tenant_id = $1 AND c.state = $3"
				   " AND c.owner_person_id = $2 ORDER BY c.id",
				"iis", who->tenant_id, person, claim_state_info[CLAIM_ASSIGNED].code), "accept", &l) < 0 ||
	    collect(a, db_query(d, "SELECT c.problem_id, c.id, s.id, s.reply_by, p.title, c.state, " ROLE("c") ", ''"
				   " FROM supervision s JOIN claim c ON c.tenant_id = s.tenant_id AND c.id = s.claim_id"
				   JOIN_PROBLEM("c") " WHERE s.tenant_id = $1 AND s.replied_at IS NULL"
				   " AND (c.owner_person_id = $2 OR c.lead_person_id = $2) AND $3 = $3 ORDER BY s.reply_by, s.id",
				"iii", who->tenant_id, person, who->user_id), "reply", &l) < 0)
		return -1;
	if (perm_check(who, "extension.decide", &all) &&
	    collect(a, db_query(d, "SELECT c.problem_id, c.id, e.id, e.new_deadline, p.title, c.state, '', e.reason"
				   " FROM extension e JOIN claim c ON c.tenant_id = e.tenant_id AND c.id = e.claim_id"
				   JOIN_PROBLEM("c") " WHERE e.tenant_id = $1 AND e.state = 'pending' ORDER BY e.id",
				"i", who->tenant_id), "decide", &l) < 0)
		return -1;
	if ((who->roles & (ROLE_LEADER | ROLE_ADMIN)) &&
	    collect(a, db_query(d, "SELECT c.problem_id, c.id, s.id, s.reply_by, p.title, c.state, '', u.name"
				   " FROM supervision s JOIN claim c ON c.tenant_id = s.tenant_id AND c.id = s.claim_id"
				   JOIN_PROBLEM("c") " JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
				   " WHERE s.tenant_id = $1 AND " SUPERVISE_OVERDUE_SQL("s", "$2") " ORDER BY s.reply_by, s.id",
				"ii", who->tenant_id, now), "overdue_reply", &l) < 0)
		return -1;
	return 0;
}

/* The numbers of the notices among the waiting items. */
static int number_notices(db *d, arena *a, const struct principal *who, int64_t now, struct work *w)
{
	for (int i = 0; i < w->nwaiting; i++) {
		struct work_item *x = &w->waiting[i];
		struct supervision s;
		if (strcmp(x->kind, "reply") && strcmp(x->kind, "overdue_reply"))
			continue;
		if (supervision_get(d, a, who->tenant_id, x->object_id, now, &s) != 0)
			return -1;
		x->detail = *x->detail ? arena_printf(a, "%s · %s", s.number, x->detail) : s.number;
	}
	return 0;
}

int work_of(db *d, arena *a, const struct principal *who, int64_t now, struct work *out)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!who->user_id)
		return 0;
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (proposals(d, a, who, out) < 0 || claims(d, a, who, now, out) < 0 || milestones(d, a, who, now, out) < 0 ||
	    waiting(d, a, who, now, out) < 0 || number_notices(d, a, who, now, out) < 0)
		rc = -1;
	if (rc < 0) {
		db_rollback(d);
		return -1;
	}
	return db_commit(d) < 0 ? -1 : 0;
}
