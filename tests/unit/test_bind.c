/* test_bind.c - the request binder: every type from a form and from JSON,
 * all field errors at once, nested lists with blank form rows, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/bind.h"
#include "domain/state.h"

struct member_in {
	int64_t person;
	const char *role;
};

struct claim_in {
	const char *title;
	const char *plan;
	int64_t year;
	int64_t unit;
	bool joint;
	int64_t deadline;
	const char *state;
	int64_t budget;       /* fen */
	struct bind_ids units;
	struct bind_list members;
};

static const struct label roles[] = { { "member", "成员" }, { "mentor", "帮带导师" }, { NULL, NULL } };

static const struct bind_field member_fields[] = {
	BIND_ID(struct member_in, person, "成员", BIND_REQUIRED),
	BIND_CHOICE(struct member_in, role, "成员角色", BIND_REQUIRED, roles),
	BIND_END,
};

static const struct bind_field claim_fields[] = {
	BIND_TEXT(struct claim_in, title, "标题", BIND_REQUIRED, 2, 10),
	BIND_TEXT(struct claim_in, plan, "方案", BIND_MULTILINE, 0, 1000),
	BIND_INT(struct claim_in, year, "年度", BIND_REQUIRED, 2000, 2100),
	BIND_ID(struct claim_in, unit, "单位", 0),
	BIND_BOOL(struct claim_in, joint, "联合揭榜"),
	BIND_DATE(struct claim_in, deadline, "完成时限", 0),
	BIND_CHOICE(struct claim_in, state, "状态", 0, problem_states),
	BIND_DECIMAL(struct claim_in, budget, "资金", 0, 2, 0, 100000000000),
	BIND_IDS(struct claim_in, units, "配合单位", 0, 5),
	BIND_LIST(struct claim_in, members, "战队成员", 0, 40, member_fields, struct member_in),
	BIND_END,
};

static struct ctx *new_ctx(arena *a)
{
	static const struct principal who = { .tenant_id = 1 };
	struct ctx *c = arena_alloc(a, sizeof(*c));

	ctx_init(c, NULL, a, &who, "");
	return c;
}

static const char *error_of(const struct ctx *c, const char *field)
{
	for (int i = 0; i < c->nerrs; i++)
		if (c->errs[i].field && !strcmp(c->errs[i].field, field))
			return c->errs[i].code;
	return NULL;
}

static void a_good_json_body_binds_every_type(void **state)
{
	arena *a = arena_new();
	struct ctx *c = new_ctx(a);
	json_t *j = json_loads("{\"title\": \"缆线整治\", \"plan\": \"第一步\\n第二步\", \"year\": 2027, \"unit\": \"6\","
			       " \"joint\": true, \"deadline\": \"2027-12-31\", \"state\": \"published\", \"budget\": 12.5,"
			       " \"units\": [3, \"4\"], \"members\": [{\"person\": 9, \"role\": \"mentor\"}],"
			       " \"unknown\": {\"ignored\": 1}}", 0, NULL);
	struct bind_src src = { .json = j };
	struct claim_in in;

	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_OK);
	assert_string_equal(in.title, "缆线整治");
	assert_string_equal(in.plan, "第一步\n第二步");
	assert_int_equal(in.year, 2027);
	assert_int_equal(in.unit, 6);
	assert_true(in.joint);
	assert_int_equal(in.deadline, bind_parse_date("2027-12-31"));
	assert_string_equal(in.state, "published");
	assert_int_equal(in.budget, 1250);
	assert_int_equal(in.units.n, 2);
	assert_int_equal(in.units.v[1], 4);
	assert_int_equal(in.members.n, 1);
	assert_int_equal(((struct member_in *)in.members.items)[0].person, 9);
	json_decref(j);
	arena_free(a);
}

static void every_wrong_field_is_reported_at_once(void **state)
{
	arena *a = arena_new();
	struct ctx *c = new_ctx(a);
	json_t *j = json_loads("{\"title\": \"x\", \"plan\": \"a\\u0000b\", \"year\": 1999, \"unit\": -3, \"joint\": \"maybe\","
			       " \"deadline\": \"2027-02-29\", \"state\": \"bogus\", \"budget\": \"1.234\","
			       " \"units\": [1, 2, 3, 4, 5, 6], \"members\": [{\"role\": \"boss\"}, 7]}", JSON_ALLOW_NUL, NULL);
	struct bind_src src = { .json = j };
	struct claim_in in;

	assert_non_null(j);
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	assert_string_equal(error_of(c, "title"), "too_short");
	assert_string_equal(error_of(c, "plan"), "bad_text");
	assert_string_equal(error_of(c, "year"), "bad_number");
	assert_string_equal(error_of(c, "unit"), "bad_id");
	assert_string_equal(error_of(c, "joint"), "bad_bool");
	assert_string_equal(error_of(c, "deadline"), "bad_date");
	assert_string_equal(error_of(c, "state"), "bad_choice");
	assert_string_equal(error_of(c, "budget"), "bad_number");
	assert_string_equal(error_of(c, "units"), "too_many");
	assert_string_equal(error_of(c, "members.0.person"), "missing_field");
	assert_string_equal(error_of(c, "members.0.role"), "bad_choice");
	assert_string_equal(error_of(c, "members.1"), "bad_item");
	assert_int_equal(c->nerrs, 12);
	/* Messages name the field in Chinese. */
	assert_non_null(strstr(ctx_message(c, JB_EINVALID), "标题"));
	json_decref(j);
	arena_free(a);
}

static void a_value_sent_twice_or_as_an_object_is_refused(void **state)
{
	arena *a = arena_new();
	struct ctx *c = new_ctx(a);
	json_t *j = json_loads("{\"title\": [\"ab\", \"cd\"], \"year\": {\"v\": 2027}}", 0, NULL);
	struct bind_src src = { .json = j };
	struct claim_in in;

	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	assert_string_equal(error_of(c, "title"), "not_single");
	assert_string_equal(error_of(c, "year"), "not_single");
	json_decref(j);
	/* ... and so is a body that is not an object. */
	j = json_loads("[1, 2]", 0, NULL);
	src.json = j;
	c = new_ctx(a);
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	assert_string_equal(c->errs[0].code, "bad_body");
	json_decref(j);
	arena_free(a);
}

static void a_form_binds_lists_skipping_blank_rows_with_no_cap_on_fields(void **state)
{
	arena *a = arena_new();
	struct ctx *c = new_ctx(a);
	struct bind_pair p[200];
	int n = 0;
	struct claim_in in;

	p[n++] = (struct bind_pair){ "title", "缆线" };
	p[n++] = (struct bind_pair){ "year", "2027" };
	p[n++] = (struct bind_pair){ "joint", "on" };
	p[n++] = (struct bind_pair){ "units", "3" };
	p[n++] = (struct bind_pair){ "units", "" };
	p[n++] = (struct bind_pair){ "units", "8" };
	p[n++] = (struct bind_pair){ "budget", "5000000" };
	/* a 30-person task force: 60 fields, and three blank rows the form offered */
	for (int i = 0; i < 33; i++) {
		p[n++] = (struct bind_pair){ arena_printf(a, "members.%d.person", i), i < 30 ? arena_printf(a, "%d", i + 1) : "" };
		p[n++] = (struct bind_pair){ arena_printf(a, "members.%d.role", i), i < 30 ? "member" : "" };
	}
	struct bind_src src = { .pairs = p, .npairs = n };
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_OK);
	assert_true(in.joint);
	assert_int_equal(in.units.n, 2);
	assert_int_equal(in.budget, 500000000);
	assert_int_equal(in.members.n, 30);
	assert_int_equal(((struct member_in *)in.members.items)[29].person, 30);
	assert_null(in.plan);
	/* Over the list's maximum, or a malformed index, is an error. */
	p[n++] = (struct bind_pair){ "members.40.person", "1" };
	src.npairs = n;
	c = new_ctx(a);
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	assert_string_equal(error_of(c, "members"), "too_many");
	p[n - 1] = (struct bind_pair){ "members.x.person", "1" };
	c = new_ctx(a);
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	/* A required field missing in a form. */
	p[1] = (struct bind_pair){ "year", "" };
	p[n - 1] = (struct bind_pair){ "ignored", "" };
	c = new_ctx(a);
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	assert_string_equal(error_of(c, "year"), "missing_field");
	assert_string_equal(ctx_message(c, JB_EINVALID), "请填写年度");
	arena_free(a);
}

static void decimals_and_dates(void **state)
{
	arena *a = arena_new();
	struct ctx *c = new_ctx(a);
	struct bind_pair p[] = { { "title", "ab" }, { "year", "2027" }, { "budget", "-1" } };
	struct bind_src src = { .pairs = p, .npairs = 3 };
	struct claim_in in;

	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	assert_string_equal(error_of(c, "budget"), "out_of_range");
	assert_non_null(strstr(c->errs[0].message, "0.00 到 1000000000.00"));
	for (const char *bad = "12.\0" "1e3\0" " 1\0" "--1\0" "1.2.3\0"; *bad; bad += strlen(bad) + 1) {
		p[2].val = bad;
		c = new_ctx(a);
		assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_EINVALID);
	}
	p[2].val = "0.05";
	c = new_ctx(a);
	assert_int_equal(bind_input(c, &src, claim_fields, &in), JB_OK);
	assert_int_equal(in.budget, 5);
	assert_int_equal(bind_parse_date("2024-02-29") - bind_parse_date("2024-02-28"), 86400);
	assert_int_equal(bind_parse_date("2023-02-29"), -1);
	assert_int_equal(bind_parse_date("2027-1-01"), -1);
	assert_int_equal(bind_parse_date("2027-01-01x"), -1);
	assert_int_equal(bind_parse_date("2022-08-31"), 1661904000 - 8 * 3600); /* 2022-08-31T00:00+08:00 */
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_good_json_body_binds_every_type),
		cmocka_unit_test(every_wrong_field_is_reported_at_once),
		cmocka_unit_test(a_value_sent_twice_or_as_an_object_is_refused),
		cmocka_unit_test(a_form_binds_lists_skipping_blank_rows_with_no_cap_on_fields),
		cmocka_unit_test(decimals_and_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
