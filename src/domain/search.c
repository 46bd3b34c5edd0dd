/* search.c - the character-pair index behind Chinese substring search:
 * splitting queries into terms, keeping a problem's searchable text and
 * pairs, and planning a query against the index (contract in search.h). */
#include "domain/search.h"

#include <string.h>

#include "domain/state.h"
#include "util/text.h"

#define PROBE_MAX 8      /* candidate pairs whose posting lists search_plan() counts */
#define PROBE_CAP 1000   /* counted up to this first */
#define GRAM_BATCH 32    /* pairs written per INSERT */

_Static_assert(PROBE_MAX >= SEARCH_MAX_PAIRS, "the plan's pairs come from the probed ones");

char *search_fold(arena *a, const char *s)
{
	char *out = arena_strdup(a, s);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

char *search_text(arena *a, const char *title, const char *description, const char *unit,
		  const char *lead, const char *owner)
{
	if (!unit)
		return search_fold(a, arena_printf(a, "%s\n%s", title, description));
	return search_fold(a, arena_printf(a, "%s\n%s\n%s\n%s\n%s", title, description, unit, lead, owner));
}

/* Byte offsets of each code point of s, plus one past the end; n points. */
static size_t *cp_offsets(arena *a, const char *s, size_t *n)
{
	size_t len = strlen(s);
	size_t *off = arena_alloc(a, (len + 1) * sizeof(*off));
	size_t k = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			off[k++] = i;
	off[k] = len;
	*n = k;
	return off;
}

/* The index leaves out pairs with an ASCII blank: no term holds one. */
static int is_blank_pair(const char *g)
{
	return strchr(" \t\r\n", g[0]) || strchr(" \t\r\n", g[strlen(g) - 1]);
}

/* The length in bytes of the blank that s starts with; 0 when none. Terms
 * are split at these: ASCII blanks and the full-width space U+3000. */
static size_t blank_len(const char *s)
{
	if (*s && strchr(" \t\r\n\v\f", *s))
		return 1;
	return strncmp(s, "\xe3\x80\x80", 3) ? 0 : 3;
}

/* Whether term i of t[0..n) is implied by another: it repeats an earlier
 * one or lies inside a longer one. */
static bool term_redundant(const char *const *t, int n, int i)
{
	for (int j = 0; j < n; j++) {
		if (j == i || !strstr(t[j], t[i]))
			continue;
		if (strcmp(t[j], t[i]) || j < i)
			return true;
	}
	return false;
}

int search_terms(arena *a, const char *q, const char **out, int max)
{
	const char *f = search_fold(a, q), **all = NULL;
	int n = 0, cap = 0, kept = 0;

	while (*f) {
		size_t len = 0, b;
		while ((b = blank_len(f)))
			f += b;
		while (f[len] && !blank_len(f + len))
			len++;
		if (len)
			*ARENA_PUSH(a, all, n, cap) = arena_strndup(a, f, len);
		f += len;
	}
	for (int i = 0; i < n; i++) {
		if (term_redundant(all, n, i))
			continue;
		if (kept < max)
			out[kept] = all[i];
		kept++;
	}
	return kept;
}

int search_grams(arena *a, const char *q, const char **out, int max)
{
	const char *f = search_fold(a, q);
	size_t n, *off = cp_offsets(a, f, &n);
	const char **all;
	int count = 0;

	if (n < 2 || max <= 0)
		return 0;
	all = arena_alloc(a, n * sizeof(*all));
	for (size_t i = 0; i + 1 < n; i++) {
		const char *g = arena_strndup(a, f + off[i], off[i + 2] - off[i]);
		int dup = is_blank_pair(g);
		for (int j = 0; j < count && !dup; j++)
			dup = !strcmp(all[j], g);
		if (!dup)
			all[count++] = g;
	}
	if (count <= max) {
		memcpy(out, all, (size_t)count * sizeof(*out));
		return count;
	}
	/* Too many: keep max pairs spread evenly, first and last included. */
	for (int k = 0; k < max; k++)
		out[k] = all[max > 1 ? (size_t)k * (size_t)(count - 1) / (size_t)(max - 1) : 0];
	return max;
}

const char *search_like(arena *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3), *w = p;

	if (!n)
		return "";
	*w++ = '%';
	for (const char *s = search_fold(a, q); *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*w++ = '\\';
		*w++ = *s;
	}
	*w++ = '%';
	*w = '\0';
	return p;
}

/* ---- keeping the index ---- */

/* The problem's title and description, and its counted claim's names
 * (NULL without one): the inputs of search_text(). */
static const char reindex_read_sql[] =
	"SELECT p.title, p.description, u.name, l.name, o.name FROM problem p"
	" LEFT JOIN claim c ON c.tenant_id = p.tenant_id AND c.id = " SQL_COUNTED_CLAIM_OF("p")
	" LEFT JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" LEFT JOIN person l ON l.tenant_id = c.tenant_id AND l.id = c.lead_person_id"
	" LEFT JOIN person o ON o.tenant_id = c.tenant_id AND o.id = c.owner_person_id"
	" WHERE p.tenant_id = $1 AND p.id = $2";

/* GRAM_BATCH rows ($1 tenant, $2 object, pairs from $3) of table's
 * column col; a batch that is not full repeats its last pair, which ON
 * CONFLICT skips, as it skips pairs that occur twice in a text. */
#define GR(n) ", ($1, $" #n ", $2)"
#define GRAM_INSERT(table, col) \
	"INSERT INTO " table " (tenant_id, gram, " col ") VALUES ($1, $3, $2)" \
	GR(4) GR(5) GR(6) GR(7) GR(8) GR(9) GR(10) GR(11) GR(12) GR(13) GR(14) GR(15) GR(16) GR(17) \
	GR(18) GR(19) GR(20) GR(21) GR(22) GR(23) GR(24) GR(25) GR(26) GR(27) GR(28) GR(29) GR(30) \
	GR(31) GR(32) GR(33) GR(34) \
	" ON CONFLICT DO NOTHING"
#define GRAM_DELETE(table, col) "DELETE FROM " table " WHERE tenant_id = $1 AND " col " = $2"

/* How many objects hold each of up to PROBE_MAX pairs ($2...; '' for a
 * slot not used, which no object holds), each counted up to $10. Counting
 * index entries costs about a hundredth of checking a candidate, so
 * knowing which list is shortest pays for itself. */
#define PROBE(table, g) "(SELECT count(*) FROM (SELECT 1 FROM " table " WHERE tenant_id = $1 AND gram = " g " LIMIT $10) x)"
#define PROBE_SQL(t) \
	"SELECT " PROBE(t, "$2") ", " PROBE(t, "$3") ", " PROBE(t, "$4") ", " PROBE(t, "$5") ", " \
	PROBE(t, "$6") ", " PROBE(t, "$7") ", " PROBE(t, "$8") ", " PROBE(t, "$9")
_Static_assert(PROBE_MAX == 8, "PROBE_SQL has 8 slots");

/* One index: its table's statements, each a static text of its own (the
 * store caches statements by the address of their text). */
struct search_index {
	const char *insert_sql, *delete_sql, *probe_sql;
};
#define SEARCH_INDEX(table, col) { GRAM_INSERT(table, col), GRAM_DELETE(table, col), PROBE_SQL(table) }
const struct search_index search_problems = SEARCH_INDEX("problem_gram", "problem_id");
const struct search_index search_practices = SEARCH_INDEX("practice_gram", "practice_id");
#undef GR

/* Insert the k pairs g[0..k), 1 <= k <= GRAM_BATCH, in one statement. */
static int insert_batch(db *d, const struct search_index *idx, int64_t tenant_id, int64_t id, const char *const *g,
			int k)
{
	db_stmt *st = db_prepare(d, idx->insert_sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	for (int j = 0; j < GRAM_BATCH; j++)
		db_bind_text(st, 3 + j, g[j < k ? j : k - 1]);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int search_index_write(db *d, const struct search_index *idx, int64_t tenant_id, int64_t id, const char *text)
{
	arena *a = arena_new();
	size_t n, *off;
	const char **pairs;
	int k = 0, rc = -1;

	text = search_fold(a, text);
	off = cp_offsets(a, text, &n);
	pairs = arena_alloc(a, (n + 1) * sizeof(*pairs));
	for (size_t i = 0; i + 1 < n; i++) {
		const char *g = arena_strndup(a, text + off[i], off[i + 2] - off[i]);
		if (!is_blank_pair(g))
			pairs[k++] = g;
	}
	if (db_run(d, idx->delete_sql, "ii", tenant_id, id) != DB_DONE)
		goto out;
	for (int i = 0; i < k; i += GRAM_BATCH)
		if (insert_batch(d, idx, tenant_id, id, pairs + i, k - i < GRAM_BATCH ? k - i : GRAM_BATCH) < 0)
			goto out;
	rc = 0;
out:
	arena_free(a);
	return rc;
}

int search_reindex_problem(db *d, int64_t tenant_id, int64_t problem_id)
{
	arena *a = arena_new();
	const char *text = NULL;
	db_stmt *st = db_query(d, reindex_read_sql, "ii", tenant_id, problem_id);
	int rc = -1;

	if (!st)
		goto out;
	rc = db_step(st);
	if (rc == DB_ROW)
		text = search_text(a, db_col_text(st, 0), db_col_text(st, 1),
				   db_col_null(st, 2) ? NULL : db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4));
	db_done(st);
	if (rc != DB_ROW) {
		rc = rc == DB_DONE ? 1 : -1;
		goto out;
	}
	rc = -1;
	if (db_run(d, "UPDATE problem SET search_text = $3 WHERE tenant_id = $1 AND id = $2", "iis",
		   tenant_id, problem_id, text) != DB_DONE ||
	    search_index_write(d, &search_problems, tenant_id, problem_id, text) < 0)
		goto out;
	rc = 0;
out:
	arena_free(a);
	return rc;
}

/* ---- planning a query ---- */

static int probe(db *d, const struct search_index *idx, int64_t tenant_id, const char *const *pairs, int n,
		 int64_t cap, int64_t *count)
{
	db_stmt *st = db_prepare(d, idx->probe_sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	for (int i = 0; i < PROBE_MAX; i++)
		db_bind_text(st, 2 + i, i < n ? pairs[i] : "");
	db_bind_int(st, 10, cap);
	rc = db_step(st);
	for (int i = 0; rc == DB_ROW && i < n; i++)
		count[i] = db_col_int(st, i);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The lengths of the posting lists of pairs[0..n): counted up to
 * PROBE_CAP, which tells a short list from the others at a bounded cost;
 * when every list is longer than that, counted in full (the query will
 * read one of them in full anyway, a hundred times more slowly). */
static int posting_lengths(db *d, const struct search_index *idx, int64_t tenant_id, const char *const *pairs, int n,
			   int64_t *count)
{
	int64_t least = PROBE_CAP;

	if (probe(d, idx, tenant_id, pairs, n, PROBE_CAP, count) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		least = count[i] < least ? count[i] : least;
	return least < PROBE_CAP ? 0 : probe(d, idx, tenant_id, pairs, n, INT64_MAX, count);
}

/* The candidate pairs of terms t[0..n): each term's spread pairs, taken in
 * turn (the first of every term, then the second ...), distinct, at most
 * max. Returns how many. */
static int candidates(arena *a, const char *const *t, int n, const char **out, int max)
{
	const char *per[SEARCH_MAX_TERMS][SEARCH_MAX_PAIRS];
	int nper[SEARCH_MAX_TERMS], count = 0;

	for (int i = 0; i < n; i++)
		nper[i] = search_grams(a, t[i], per[i], SEARCH_MAX_PAIRS);
	for (int k = 0; k < SEARCH_MAX_PAIRS; k++) {
		for (int i = 0; i < n && count < max; i++) {
			bool dup = k >= nper[i];
			for (int j = 0; j < count && !dup; j++)
				dup = !strcmp(out[j], per[i][k]);
			if (!dup)
				out[count++] = per[i][k];
		}
	}
	return count;
}

static bool has_pair(const struct search_plan *p, const char *g)
{
	for (int i = 0; i < p->npairs; i++)
		if (!strcmp(p->pairs[i], g))
			return true;
	return false;
}

int search_plan_in(db *d, arena *a, const struct search_index *idx, int64_t tenant_id, const char *q,
		   struct search_plan *out)
{
	const char *terms[SEARCH_MAX_TERMS], *cand[PROBE_MAX];
	int64_t count[PROBE_MAX];
	int n;

	memset(out, 0, sizeof(*out));
	if (!q)
		return 0;
	n = search_terms(a, q, terms, SEARCH_MAX_TERMS);
	out->nterms = n < SEARCH_MAX_TERMS ? n : SEARCH_MAX_TERMS;
	n = candidates(a, terms, out->nterms, cand, PROBE_MAX);
	if (n > 1) {
		if (posting_lengths(d, idx, tenant_id, cand, n, count) < 0)
			return -1;
		/* Rarest first; a stable insertion sort keeps ties in order. */
		for (int i = 1; i < n; i++) {
			for (int j = i; j > 0 && count[j] < count[j - 1]; j--) {
				int64_t c = count[j];
				const char *g = cand[j];
				count[j] = count[j - 1], cand[j] = cand[j - 1];
				count[j - 1] = c, cand[j - 1] = g;
			}
		}
		out->none = count[0] == 0;
	}
	out->npairs = n < SEARCH_MAX_PAIRS ? n : SEARCH_MAX_PAIRS;
	memcpy(out->pairs, cand, (size_t)out->npairs * sizeof(*cand));
	for (int i = 0; i < out->nterms; i++) {
		out->terms[i] = terms[i];
		out->like[i] = utf8_len(terms[i]) == 2 && has_pair(out, terms[i]) ? "" : search_like(a, terms[i]);
	}
	return 0;
}

int search_plan(db *d, arena *a, int64_t tenant_id, const char *q, struct search_plan *out)
{
	return search_plan_in(d, a, &search_problems, tenant_id, q, out);
}

bool search_plan_matches(const struct search_plan *p, const char *folded)
{
	for (int i = 0; i < p->nterms; i++)
		if (*p->like[i] && !strstr(folded, p->terms[i]))
			return false;
	return true;
}
