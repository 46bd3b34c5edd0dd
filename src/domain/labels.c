/* labels.c - code values and their zh-CN labels. */
#include "domain/labels.h"

#include <string.h>

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

const struct label audit_actions[] = {
	{ "session.create", "登录" },
	{ "session.delete", "退出登录" },
	{ "account.password", "修改本人密码" },
	{ "user.create", "创建用户" },
	{ "user.disable", "停用用户" },
	{ "user.enable", "启用用户" },
	{ "user.roles", "修改角色" },
	{ "user.link", "关联人员和单位" },
	{ "user.password", "修改密码" },
	{ "user.password_reset", "重置密码" },
	{ "user.manage", "管理用户" },
	{ "user.read", "查看用户" },
	{ "token.create", "创建 API 令牌" },
	{ "token.revoke", "撤销 API 令牌" },
	{ "token.manage", "管理 API 令牌" },
	{ "audit.read", "查看审计日志" },
	{ "role.grant.admin", "授予管理员角色" },
	{ "role.grant.unit_admin", "授予单位联络员角色" },
	{ "role.grant.cadre", "授予干部角色" },
	{ "role.grant.evaluator", "授予考评组成员角色" },
	{ "role.grant.leader", "授予县领导角色" },
	{ "batch.create", "创建批次" },
	{ "batch.update", "修改批次" },
	{ "batch.manage", "管理批次" },
	{ "complaint.create", "提交投诉建议" },
	{ "complaint.answer", "答复投诉建议" },
	{ "tenant.domain_add", "添加访问域名" },
	{ "tenant.domain_remove", "移除访问域名" },
	{ NULL, NULL },
};

const struct label audit_outcomes[] = {
	{ "ok", "成功" },
	{ "failed", "失败" },
	{ "denied", "拒绝" },
	{ NULL, NULL },
};

const struct label current_state_labels[] = {
	{ "claimed", "已揭榜（待立军令状）" },
	{ "solved", "已破题（待验收）" },
	{ NULL, NULL },
};

const char *label_of(const struct label *t, const char *code)
{
	for (; code && t->code; t++)
		if (!strcmp(t->code, code))
			return t->zh;
	return NULL;
}
