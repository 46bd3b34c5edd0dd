/* fuzz_search.c - libFuzzer target: search pairs (domain/search.h) as a
 * differential test. The input is "QUERY|TEXT" (valid UTF-8, no NUL).
 * TEXT is indexed as problem 1's pairs (search_index_write) in a store
 * made once per process, QUERY is planned (search_plan) and the plan's
 * answer for that problem - its pairs all in TEXT's index, no empty
 * posting list, the terms the pairs do not decide substrings of TEXT
 * (search_plan_matches) - must equal the contract's: TEXT (folded) holds
 * every one of the query's first SEARCH_MAX_TERMS terms. Also the pure
 * helpers: terms without blanks, pairs of two characters, LIKE patterns
 * with their metacharacters escaped. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/search.h"
#include "fuzz_util.h"
#include "store/db.h"
#include "util/log.h"
#include "util/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static db *store;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char url[160], err[512];

	log_set_level(LOG_ERROR);
	snprintf(url, sizeof(url), "sqlite:%s", fuzz_path("s.db"));
	if (!(store = db_open(url, err, sizeof(err))) || db_migrate(store, err, sizeof(err)) < 0 ||
	    db_exec(store,
		    "INSERT INTO tenant (id, slug, name, created_at) VALUES (1, 'a', 'A', 0);"
		    "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, 'b', 2026, 'collecting', 0, 0);"
		    "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '其他', 1);"
		    "INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '县委', 'county_dept');"
		    "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		    " proposer_unit_id, state, is_public, created_at, updated_at, proposer_user_id, contact_name,"
		    " contact_phone, expected_outcome, residents_concern)"
		    " VALUES (1, 1, 1, 1, 't', 'd', 'p', 1, 'proposed', 0, 0, 0, NULL, '', '', '', 0);"
		    "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		    " proposer_unit_id, state, is_public, created_at, updated_at, proposer_user_id, contact_name,"
		    " contact_phone, expected_outcome, residents_concern)"
		    " VALUES (1, 2, 1, 1, 't', 'd', 'p', 1, 'proposed', 0, 0, 0, NULL, '', '', '', 0);") < 0) {
		fprintf(stderr, "fuzz_search: %s\n", store ? db_errmsg(store) : err);
		abort();
	}
	/* problem 2 holds every pair of a fixed text, so posting lists differ in length */
	if (search_index_write(store, &search_problems, 1, 2, "老旧小区加装电梯 abc 农村污水治理") < 0)
		abort();
	return 0;
}

static bool has_gram(const char *folded, const char *g)
{
	return strstr(folded, g) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bar, *terms[SEARCH_MAX_TERMS], *grams[8];
	char *q, *text, *folded;
	struct search_plan plan;
	bool engine, truth = true;
	int n, nterms;
	arena *a;

	if (!utf8_valid((const char *)data, size) || memchr(data, 0, size) || !(bar = memchr(data, '|', size)))
		return 0;
	a = arena_new();
	q = arena_strndup(a, (const char *)data, (size_t)(bar - (const char *)data));
	text = arena_strndup(a, bar + 1, size - (size_t)(bar + 1 - (const char *)data));
	folded = search_fold(a, text);

	/* the helpers */
	nterms = search_terms(a, q, terms, SEARCH_MAX_TERMS);
	assert(nterms >= 0);
	for (int i = 0; i < nterms && i < SEARCH_MAX_TERMS; i++) {
		assert(terms[i][0] && !strpbrk(terms[i], " \t\r\n\v\f") && !strstr(terms[i], "\xe3\x80\x80"));
		const char *like = search_like(a, terms[i]);
		assert(like[0] == '%' && like[strlen(like) - 1] == '%');
		for (const char *p = like + 1; p[1]; p++) {
			if (*p == '\\') {
				assert(p[1] == '%' || p[1] == '_' || p[1] == '\\');
				p++;
			} else {
				assert(*p != '%' && *p != '_');
			}
		}
	}
	n = search_grams(a, q, grams, 8);
	assert(n >= 0 && n <= 8);
	for (int i = 0; i < n; i++)
		assert(utf8_len(grams[i]) == 2);

	/* the plan against the index */
	if (db_begin(store, DB_WRITE) < 0)
		abort();
	if (search_index_write(store, &search_problems, 1, 1, text) < 0 || search_plan(store, a, 1, q, &plan) < 0) {
		fprintf(stderr, "fuzz_search: %s\n", db_errmsg(store));
		abort();
	}
	assert(plan.nterms == (nterms < SEARCH_MAX_TERMS ? nterms : SEARCH_MAX_TERMS));
	assert(plan.npairs >= 0 && plan.npairs <= SEARCH_MAX_PAIRS);
	engine = !plan.none && search_plan_matches(&plan, folded);
	for (int i = 0; i < plan.npairs && engine; i++) {
		int64_t k = 0;
		assert(utf8_len(plan.pairs[i]) == 2);
		db_stmt *st = db_query(store, "SELECT COUNT(*) FROM problem_gram WHERE tenant_id = 1 AND problem_id = 1"
				       " AND gram = $1", "s", plan.pairs[i]);
		if (!st || db_step(st) != DB_ROW)
			abort();
		k = db_col_int(st, 0);
		db_done(st);
		engine = k > 0;
		assert(engine == (has_gram(folded, plan.pairs[i]) && !strpbrk(plan.pairs[i], " \t\r\n")));
	}
	for (int i = 0; i < plan.nterms; i++)
		truth = truth && strstr(folded, plan.terms[i]);
	if (engine != truth) {
		fprintf(stderr, "fuzz_search: query \"%s\" on \"%s\": the plan says %d, the text %d\n", q, text, engine, truth);
		abort();
	}
	db_rollback(store);
	arena_free(a);
	return 0;
}
