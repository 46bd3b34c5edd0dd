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

/* Every action the audit log records or refuses: the changes, the
 * permission names of refusals (perm.c) and the route actions (routes.c).
 * The titles of the problem transitions are the transition table's own
 * words (transition.c; tests/unit/test_timeline.c pins them together). */
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
	{ "problem.propose", "提出难题" },
	{ "problem.propose_public", "群众提出难题" },
	{ "problem.select", "遴选入选" },
	{ "problem.reject", "不予入选" },
	{ "problem.merge", "合并到其他难题" },
	{ "problem.return", "退回补充" },
	{ "problem.publish", "发榜" },
	{ "problem.withdraw", "撤榜" },
	{ "problem.screen_update", "调整类别或优先级" },
	{ "problem.revise", "补充修改" },
	{ "problem.carry", "转入下一批次" },
	{ "problem.claimed", "揭榜获批" },
	{ "problem.pledged", "签订军令状，进入攻坚" },
	{ "problem.solved", "申报破题，待验收" },
	{ "problem.resumed", "破题申报被退回，继续攻坚" },
	{ "problem.reopened", "退榜，重新待揭榜" },
	{ "problem.screen", "遴选难题" },
	{ "problem.read_internal", "查看未公开的难题" },
	{ "publication.create", "发布榜单" },
	{ "complaint.create", "提交投诉建议" },
	{ "complaint.answer", "答复投诉建议" },
	{ "category.manage", "管理类别" },
	{ "unit.manage", "管理单位" },
	{ "person.manage", "管理人员" },
	{ "claim.apply", "申请揭榜" },
	{ "claim.assign", "组织点将" },
	{ "claim.endorse", "单位推荐" },
	{ "claim.approve", "批准揭榜" },
	{ "claim.reject", "不予批准" },
	{ "claim.respond", "接受或婉拒点将" },
	{ "claim.accept_assignment", "接受点将" },
	{ "claim.decline_assignment", "婉拒点将" },
	{ "claim.sign", "签订军令状" },
	{ "claim.progress", "报送攻坚进展" },
	{ "claim.solve", "申报破题" },
	{ "claim.return", "退回破题申报" },
	{ "claim.withdraw", "退榜" },
	{ "claim.extend", "申请延期" },
	{ "claim.supervise", "发出督办单" },
	{ "claim.accept", "验收" },
	{ "extension.decide", "审批延期申请" },
	{ "extension.approve", "同意延期" },
	{ "extension.refuse", "不同意延期" },
	{ "supervision.reply", "答复督办" },
	{ "supervision.escalate", "督办逾期未复，提请县领导关注" },
	{ "comment.write", "发表意见" },
	{ "comment.edit", "修改意见" },
	{ "comment.remove", "删除意见" },
	{ "comment.read", "查看意见" },
	{ "person.pick", "查找人员" },
	{ "evaluation.score", "考评打分" },
	{ "export.read", "导出数据" },
	{ "refusal.summary", "被拒绝的请求（汇总）" },
	{ "demo.create", "创建演示数据" },
	{ "unknown", "未识别的操作" },
	{ NULL, NULL },
};

/* Action prefixes the audit log can be filtered by ("user." matches every
 * user.* action). */
const struct label audit_action_groups[] = {
	{ "session.", "登录和退出（全部）" },
	{ "user.", "用户管理（全部）" },
	{ "token.", "API 令牌（全部）" },
	{ "role.grant.", "授予角色（全部）" },
	{ "batch.", "批次（全部）" },
	{ "problem.", "难题办理（全部）" },
	{ "claim.", "揭榜（全部）" },
	{ "extension.", "延期申请（全部）" },
	{ "supervision.", "督办（全部）" },
	{ "comment.", "意见交流（全部）" },
	{ "complaint.", "投诉建议（全部）" },
	{ "tenant.", "访问域名（全部）" },
	{ NULL, NULL },
};

/* audit_event.object_type */
const struct label audit_objects[] = {
	{ "user", "用户" },
	{ "api_token", "API 令牌" },
	{ "batch", "批次" },
	{ "problem", "难题" },
	{ "publication", "发榜" },
	{ "complaint", "投诉建议" },
	{ "claim", "揭榜" },
	{ "extension", "延期申请" },
	{ "supervision", "督办单" },
	{ "comment", "意见" },
	{ "evidence", "佐证材料" },
	{ "person", "人员" },
	{ "unit", "单位" },
	{ "category", "类别" },
	{ "tenant", "租户" },
	{ "audit_event", "审计日志" },
	{ "route", "页面" },
	{ "address", "来源地址" },
	{ NULL, NULL },
};

/* Why a log-in failed or an action was refused (the "reason" of the entry). */
const struct label audit_reasons[] = {
	{ "permission", "没有权限" },
	{ "login", "未登录" },
	{ "csrf", "表单校验失败（页面已过期或来自其他网站）" },
	{ "origin", "请求来自其他网站" },
	{ "throttled", "尝试过于频繁，需稍后再试" },
	{ "locked", "失败次数过多，已暂时锁定" },
	{ "frequent", "登录过于频繁" },
	{ "password", "密码错误" },
	{ "unknown", "登录名不存在" },
	{ "disabled", "账号已停用" },
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
