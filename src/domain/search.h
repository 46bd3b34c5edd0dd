/* search.h - Chinese substring search over problems (and, by the same
 * index code, over practices: domain/practice.h).
 *
 * A problem's searchable text (problem.search_text) is its title, its
 * description and, when it has a counted claim (STATE_SQL_COUNTED_CLAIMS;
 * the one with the lowest id should there be several), the names of the
 * claiming unit, the lead and the owner: one per line, ASCII letters
 * lowercased. Every pair of adjacent characters (code points) of it that
 * holds no ASCII blank is kept in problem_gram.
 *
 * A query is split into terms at blanks (ASCII space, tab, CR, LF, VT, FF
 * and the full-width space U+3000); a problem matches when its searchable
 * text contains every term (AND). The pairs of the terms narrow the
 * candidates through the index, the rarest first; each term is then
 * checked as an exact substring (LIKE, escaped), except a 2-character term
 * whose pair the index looked up, which the index alone decides. A query
 * whose terms are all one character scans. The same tables and SQL run on
 * both stores, so SQLite and PostgreSQL give the same answers.
 *
 * Contract for writers: the index is kept by the domain, not by triggers.
 * Every verb that changes what goes into a problem's searchable text calls
 * search_reindex_problem() for it inside its own write transaction: one
 * that writes a problem's title or description, one that makes a claim
 * counted or no longer counted (approval, withdrawal, rejection after
 * approval), and one that changes a counted claim's unit, lead or owner.
 * Renaming a unit or a person changes the text of every problem whose
 * counted claim names it: reindex each of those. */
#ifndef JB_SEARCH_H
#define JB_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

#define SEARCH_MAX_TERMS 5   /* terms of one query that are searched */
#define SEARCH_MAX_PAIRS 4   /* posting lists one query intersects */

/* A character-pair index: a table (tenant_id, gram, <object>_id) and its
 * statements. The board's is problem_gram; practices keep practice_gram
 * the same way (domain/practice.h). */
struct search_index;
extern const struct search_index search_problems;
extern const struct search_index search_practices;

/* Replace object id's entries in idx by the non-blank adjacent pairs of
 * text (folded here), inside the caller's write transaction. 0 or -1
 * (db_errmsg tells why). */
int search_index_write(db *d, const struct search_index *idx, int64_t tenant_id, int64_t id, const char *text)
	__attribute__((warn_unused_result));

/* Rebuild problem problem_id's searchable text and its index entries from
 * the store (its title and description, its counted claim's names), inside
 * the caller's write transaction. 0; 1 when there is no such problem; -1
 * when the store failed (db_errmsg tells why). */
int search_reindex_problem(db *d, int64_t tenant_id, int64_t problem_id);

/* The searchable text of a problem (the contract above): unit, lead and
 * owner NULL when it has no counted claim. Arena-allocated. */
char *search_text(arena *a, const char *title, const char *description, const char *unit,
		  const char *lead, const char *owner);

/* Lowercase ASCII letters; other characters unchanged. Arena-allocated. */
char *search_fold(arena *a, const char *s);

/* The terms of query q, folded, in the order typed: split at blanks, a
 * term that repeats another or lies inside another dropped. Writes at most
 * max of them to out[] and returns how many q has, which is more than max
 * when some were left out (a caller that refuses such queries compares it
 * with SEARCH_MAX_TERMS). Arena-allocated. */
int search_terms(arena *a, const char *q, const char **out, int max);

/* A LIKE pattern (with ESCAPE '\') for the substring q, folded, with
 * % _ \ escaped: "%q%"; "" when q is empty. Its tail from the second byte
 * on ("q%") matches q as a prefix. Arena-allocated. */
const char *search_like(arena *a, const char *q);

/* The distinct adjacent pairs of q (folded), at most max of them, chosen
 * spread across the query. Returns the count written to out[]. */
int search_grams(arena *a, const char *q, const char **out, int max);

/* How the board runs one query (problem.c binds it). */
struct search_plan {
	int nterms;                          /* 0: no search */
	const char *terms[SEARCH_MAX_TERMS]; /* the terms, folded */
	const char *like[SEARCH_MAX_TERMS];  /* per term: its LIKE pattern, "" when the pairs decide it */
	const char *pairs[SEARCH_MAX_PAIRS]; /* posting lists to intersect, the rarest first */
	int npairs;
	bool none;                           /* a pair has no posting: nothing matches */
};

/* Plan query q (NULL: none) for tenant_id: its first SEARCH_MAX_TERMS
 * terms, and when they have more than one distinct pair, the pairs ranked
 * by the length of their posting lists (one read counting each up to a
 * cap, a second counting them in full when all are longer; ties keep the
 * order typed). Runs in the caller's transaction, if any. 0, or -1 when
 * the store failed. */
int search_plan(db *d, arena *a, int64_t tenant_id, const char *q, struct search_plan *out);
/* The same against any index (search_plan() is it for search_problems). */
int search_plan_in(db *d, arena *a, const struct search_index *idx, int64_t tenant_id, const char *q,
		   struct search_plan *out);

/* Whether a candidate the plan's pairs found matches: its folded text
 * holds every term the pairs do not decide (like[i] not ""), as the LIKE
 * check would say, but in C, for searches that confirm candidates
 * outside SQL. */
bool search_plan_matches(const struct search_plan *p, const char *folded);

#endif
