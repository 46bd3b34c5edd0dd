/* labels.c - code values and their zh-CN labels. */
#include "domain/labels.h"

#include <string.h>

const struct label problem_states[] = {
	{ "proposed", "待遴选" },
	{ "selected", "已遴选" },
	{ "rejected", "未入选" },
	{ "merged", "已合并" },
	{ "published", "待揭榜" },
	{ "claimed", "已揭榜" },
	{ "in_progress", "攻坚中" },
	{ "solved", "已破题" },
	{ "accepted", "已验收" },
	{ "withdrawn", "已撤榜" },
	{ NULL, NULL },
};

const struct label claim_states[] = {
	{ "applied", "待审批" },
	{ "approved", "已批准" },
	{ "rejected", "未获批" },
	{ "signed", "已立军令状" },
	{ "solved", "已破题" },
	{ "accepted", "已验收" },
	{ "returned", "已退回" },
	{ "withdrawn", "已撤回" },
	{ NULL, NULL },
};

const struct label unit_kinds[] = {
	{ "county_dept", "县直单位" },
	{ "town", "镇街" },
	{ "village", "村社" },
	{ "enterprise", "企业" },
	{ "other", "其他单位" },
	{ NULL, NULL },
};

const struct label person_ranks[] = {
	{ "county", "县级干部" },
	{ "section", "科级干部" },
	{ "below_section", "股级以下干部" },
	{ "village", "村社党组织书记" },
	{ "none", "其他人员" },
	{ NULL, NULL },
};

const char *label_of(const struct label *t, const char *code)
{
	for (; code && t->code; t++)
		if (!strcmp(t->code, code))
			return t->zh;
	return NULL;
}
