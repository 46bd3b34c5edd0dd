/* openapi_docs.c - the description of every /api/ route (web/routes.c points
 * at these through web/api_docs.h): a summary, the bind table of its body
 * and the shape of its success body (the notation of api/openapi.h). The
 * shapes were first read off the answers the server tests receive
 * (JIEBANG_OPENAPI_DUMP, tests/server/openapi.mjs), then checked against
 * the handlers; the tests validate every answer against them. A new /api/
 * route adds its api_doc here and its declaration in web/api_docs.h. */
#include "api/openapi.h"
#include "web/api_docs.h"

#include "domain/batch.h"
#include "domain/bulletin.h"
#include "domain/calendar.h"
#include "domain/claim.h"
#include "domain/comment.h"
#include "domain/complaint.h"
#include "domain/evaluate.h"
#include "domain/notice.h"
#include "domain/practice.h"
#include "domain/promotion.h"
#include "domain/proposal.h"
#include "domain/rubric.h"
#include "domain/screen.h"
#include "domain/supervise.h"
#include "domain/tenant_admin.h"
#include "domain/tolerance.h"
#include "web/web.h"

/* Objects that several routes answer, as {"<name>": <object>}. */
const struct api_schema api_schemas[] = {
	{ "Batch",
	  "{'id':'int','name':'str','year':'int','phase':'str','phase_set':'str','by_dates':'bool','phases':[{'phase':'str',"
	  "'starts':'date','ends':'date'}],'as_of':'date','max_parallel':'int','report_day':'int','warn_days':'int',"
	  "'grade_excellent':'num','grade_good':'num','grade_pass':'num','excellent_cap':'int','notice_days':'int',"
	  "'midterm_on':'date?'}" },
	{ "Bulletin",
	  "{'n':'int','batch':{'?':{'id':'int','name':'str'}},'period_from':'date','period_to':'date','issued_on':'date',"
	  "'office':'str','created_by':'str','created_at':'at','figures':{'accepted':'int','as_of':'date','batch':'str?',"
	  "'by_category':[{'claimed':'int','name':'str','problems':'int','solved':'int'}],'claimed':'int','in_progress':'int',"
	  "'overdue':'int','practices':[{'id':'int','title':'str','state':'str','state_label?':'str','doc_no?':'str',"
	  "'issuer?':'str','author?':'bool'}],'practices_adopted':'int','problems':'int','promotions':'int',"
	  "'solved':'int','top_units':[{'claimed':'int','name':'str','overdue':'int'}],'unreported':'int'},"
	  "'highlights':[{'position':'int?','claim':'int?','text':'str'}]}" },
	{ "Calendar",
	  "{'year':'int','source':'str','own':'bool','updated_at':'at?','updated_by':'str','days':[{'day':'date',"
	  "'kind':'str?','name':'str'}]}" },
	{ "Claim",
	  "{'id':'int','problem_id':'int','problem_title':'str','problem_state':'str','state':'str','state_label':'str',"
	  "'route':'str','unit_id':'int?','unit':'str','light':'str','light_label':'str','lead_person_id':'int',"
	  "'owner_person_id':'int','lead':'str','owner':'str','batch':'str?','plan':'str','goals':'str','pledge':'str',"
	  "'reward_penalty':'str','reason':'str?','deadline':'int?','applied_at':'at','endorsed_at':'at?','approved_at':'at?',"
	  "'owner_signed_at':'at?','lead_signed_at':'at?','signed_at':'at?','solved_at':'at?','closed_at':'at?',"
	  "'as_of':'int','members':[{'person_id':'int?','name':'str','title':'str','unit_id':'int?','unit':'str',"
	  "'role':'str','role_label':'str'}],'cooperating_units':[{'id':'int','name':'str'}],'milestones':[{'id':'int',"
	  "'title':'str','due':'int?','done':'int?','overdue':'bool'}],'metrics':[{'id':'int','name':'str',"
	  "'kind':'str?','uom':'str','baseline':'str','target':'str','achieved':'str','completion':'int?'}],"
	  "'progress':[{'id':'int','at':'int?','kind':'str?','author':'str','text':'str','next_steps':'str',"
	  "'values':[{'metric_id':'int','value':'str'}],'files':[{'sha256':'str','name':'str','mime':'str',"
	  "'size':'int'}],'difficulties?':'str','help_needed?':'str'}],'actions':['str']}" },
	{ "Comment",
	  "{'id':'int','problem_id':'int','author':'str','body':'str','created_at':'at','edited_at':'at?','removed_at':'at?',"
	  "'removed':'bool','editable':'bool'}" },
	{ "Complaint",
	  "{'ref':'str','kind':'str?','state':'str','subject':'str','body':'str','created_at':'at','answer':'str?',"
	  "'answered_at':'at?','id?':'int','name?':'str','contact?':'str','sender?':'str?','answered_by?':'str'}" },
	{ "Evaluation",
	  "{'id':'int','state':'str','claim_id':'int?'}" },
	{ "Extension",
	  "{'id':'int','claim_id':'int?','state':'str','reason':'str?','old_deadline':'date?','new_deadline':'date?',"
	  "'requested_at':'at','requested_by':'str','decided_at':'at?','decided_by':'str','decision_reason':'str'}" },
	{ "File",
	  "{'sha256':'str','name':'str','mime':'str','size':'int'}" },
	{ "Notice",
	  "{'id':'int','batch_id':'int?','batch':'str?','kind':'str?','title':'str','body':'str','starts_on':'date',"
	  "'ends_on':'date','working_days':'int','state':'str','outcome':'str?','created_at':'at','closed_at':'at?',"
	  "'objections':'int','answered':'int','upheld':'int','items':[{'position':'int?','promotion_id?':'int',"
	  "'person?':'str','unit':'str','from_post?':'str','to_post?':'str','kind?':'str?','upheld':'bool',"
	  "'claim_id?':'int?','problem_id?':'int','problem?':'str','lead?':'str','owner?':'str','score?':'num?',"
	  "'grade?':'str?','final?':'bool'}]}" },
	{ "Objection",
	  "{'id':'int','notice_id?':'int','state?':'str','kind?':'str?','answer?':'str?'}" },
	{ "Panel",
	  "{'id':'int','name?':'str'}" },
	{ "Practice",
	  "{'id':'int','title':'str','summary':'str','steps':'str','conditions':'str','state':'str','state_label':'str',"
	  "'author':'str','created_at':'at','updated_at':'at?','recommended_at':'at?','doc_no':'str','issuer':'str',"
	  "'adopted_on':'date?','claims':[{'claim_id':'int?','problem_id':'int','problem_title':'str','unit':'str',"
	  "'lead':'str','owner':'str','state':'str'}],'author_login?':'str','recommended_by?':'str'}" },
	{ "Problem",
	  "{'id':'int','state':'str','state_label?':'str','title?':'str','description?':'str','expected_outcome?':'str',"
	  "'category?':'str','category_id?':'int','batch?':'str?','batch_id?':'int?','unit?':'str','unit_id?':'int?',"
	  "'proposer?':'str','from_resident?':'bool','residents_concern?':'bool','priority?':'int','priority_label?':'str',"
	  "'returned?':'bool','returned_at?':'at?','reason?':'str?','merged_into?':'int?','publication_id?':'int?',"
	  "'round?':'int?','is_public?':'bool','created_at?':'at','updated_at?':'at?','contact_name?':'str',"
	  "'contact_phone?':'str'}" },
	{ "Promotion",
	  "{'id':'int','person_id':'int?','person':'str','unit_id':'int?','unit':'str','at':'date?','kind':'str?',"
	  "'kind_zh':'str','from_post':'str','to_post':'str','doc_no':'str','note':'str','recorded_by':'str',"
	  "'created_at':'at','claims':[{'id':'int','title':'str'}]}" },
	{ "Record",
	  "{'person':{'id':'int','name':'str','unit_id':'int?','unit':'str','rank':'str','title':'str'},'summary':{'claims':'int',"
	  "'accepted':'int','grades':{'excellent':'int','good':'int','pass':'int','fail':'int'},'failed':'int',"
	  "'tolerated':'int','text':'str'},'claims':[{'claim_id':'int?','problem_id':'int','title':'str','unit':'str',"
	  "'role':'str','state':'str','state_zh':'str','light':'str','light_zh':'str','score':'num?','grade':'str?',"
	  "'failure':'str','failed':'bool','tolerated':'bool'}],'supervisions':[{'id':'int','claim_id':'int',"
	  "'number':'str','title?':'str','reason':'str','issued_at':'at','replied_at':'at?','overdue':'bool'}],"
	  "'practices':[{'id':'int','title':'str','state':'str','author':'bool'}],'promotions':[{'id':'int',"
	  "'person_id':'int?','person':'str','unit_id':'int?','unit':'str','at':'date?','kind':'str?','kind_zh':'str',"
	  "'from_post':'str','to_post':'str','doc_no':'str','note':'str','recorded_by':'str','created_at':'at',"
	  "'claims':[{'id':'int','title':'str'}]}],'tolerances':[{'id':'int','claim_id':'int?','title':'str',"
	  "'state':'str','state_zh':'str','reason':'str?','applied_at':'at','applied_by':'str','decided_at':'at?',"
	  "'decided_by':'str','basis':'str','tried':'str'}]}" },
	{ "Supervision",
	  "{'id':'int','number':'str','claim_id':'int?','reason':'str?','reply_by':'date?','issued_at':'at',"
	  "'issued_by':'str','reply':'str','replied_at':'at?','replied_by':'str','escalated_at':'at?','overdue':'bool',"
	  "'state':'str'}" },
	{ "Tolerance",
	  "{'id':'int','claim_id':'int?','title':'str','state':'str','state_zh':'str','reason':'str?','applied_at':'at',"
	  "'applied_by':'str','decided_at':'at?','decided_by':'str','basis':'str','tried':'str'}" },
	{ "Transition",
	  "{'from':'str','to':'str','moved':'int','publication_id?':'int?','round?':'int?'}" },
	{ "User",
	  "{'id':'int','login':'str','roles':['str'],'person_id':'int?','person':'str','unit_id':'int?','unit':'str',"
	  "'disabled':'bool','must_change':'bool','created_at':'at','password_at':'at'}" },
	{ "WorkItem",
	  "{'kind':'str','kind_zh':'str','problem_id':'int','claim_id':'int?','object_id':'int?','due':'date?',"
	  "'title':'str','state':'str','role':'str','detail':'str','light':'str'}" },
	{ "ImportResult",
	  "{'kind':'str?','dry_run':'bool','rows':'int','created':'int','updated':'int','unchanged':'int','rejected_total':'int',"
	  "'rejected':[{'line':'int','column':'str','reason':'str','value':'str'}],'format':'str','encoding':'str',"
	  "'sha256':'str','batch_id':'int?'}" },
	{ "RegionRow", /* web/region.c row_json(): the total has no tenant */
	  "{'tenants_below':'int','problems':'int','claimed':'int','in_progress':'int','solved':'int','accepted':'int',"
	  "'promotions':'int','practices_adopted':'int','overdue':'int','lights':{'green':'int','yellow':'int',"
	  "'red':'int','unreported':'int','awaiting':'int'},'tenant_id?':'int','slug?':'str','name?':'str'}" },
	{ NULL, NULL },
};

/* GET /api/v1/me/evaluations (api_my_evaluations) */
const struct api_doc doc_get_me_evaluations = {
	.summary = "我的考评任务",
	.ok =
		"{'evaluations':[{'claim_id':'int?','problem_id':'int','problem':'str','unit':'str','stage':'str',"
		"'panel':'str?','state':'str','state_zh':'str','recused':'str?','reason':'str?'}]}",
};
/* GET /api/v1/claims/:id/scores (api_claim_scores) */
const struct api_doc doc_get_claims_id_scores = {
	.summary = "揭榜的评分表与评分",
	.ok =
		"{'claim_id':'int?','stage':'str','round':'int?','blind':'bool','may_score':'bool','panel':'#Panel',"
		"'rubric':[{'name':'str','weight':'int','max':'num?','description':'str','bands':[{'label':'str',"
		"'score':'num?'}]}],'recused':'str?','mine':{'?':{'id':'int','user_id':'int','evaluator':'str','round':'int?',"
		"'state':'str','total':'num?','comment':'str','submitted_at':'at','scores':[{'criterion':'str','score':'num?',"
		"'band':'int?'}],'reopened_by':'str','reopen_reason':'str'}},'evaluators?':'int','submitted?':'int',"
		"'complete?':'bool','trimmed?':'bool','score?':'num?','grade?':'str?','grade_code?':'str?','totals?':['num'],"
		"'members?':[{'user_id':'int','login':'str','name':'str','organisation':'str','external':'bool','recused':'str?',"
		"'reason':'str?','submitted':'bool'}],'evaluations?':[{'id':'int','user_id':'int','evaluator':'str',"
		"'round':'int?','state':'str','total':'num?','comment':'str','submitted_at':'at','scores':[{'criterion':'str',"
		"'score':'num?','band':'int?'}],'reopened_by':'str','reopen_reason':'str'}],'history?':[{'round':'int?',"
		"'submitted':'int','complete':'bool','trimmed':'bool','score':'num?','grade':'str?','grade_code':'str?'}]}",
	.query = "stage",
};
/* POST /api/v1/batches/:id/panels (act_panel_create) */
const struct api_doc doc_post_batches_id_panels = {
	.summary = "建立考评组",
	.body = panel_fields,
	.ok =
		"{'panel':'#Panel'}",
};
/* PATCH /api/v1/panels/:id (act_panel_update) */
const struct api_doc doc_patch_panels_id = {
	.summary = "修改考评组",
	.body = panel_update_fields,
	.ok =
		"{'panel':'#Panel'}",
};
/* POST /api/v1/panels/:id/assignments (act_panel_assign) */
const struct api_doc doc_post_panels_id_assignments = {
	.summary = "给考评组分配揭榜",
	.body = assign_fields,
	.ok =
		"{'panel_id':'int','assigned':'int'}",
};
/* POST /api/v1/claims/:id/scores (act_score_submit) */
const struct api_doc doc_post_claims_id_scores = {
	.summary = "提交评分",
	.body = submit_fields,
	.ok =
		"{'claim_id':'int?','stage':'str','round':'int?','blind':'bool','may_score':'bool','panel':'#Panel',"
		"'rubric':[{'name':'str','weight':'int','max':'num?','description':'str','bands':[{'label':'str',"
		"'score':'num?'}]}],'recused':'str?','mine':{'id':'int','user_id':'int','evaluator':'str','round':'int?',"
		"'state':'str','total':'num?','comment':'str','submitted_at':'at','scores':[{'criterion':'str','score':'num?',"
		"'band':'int?'}],'reopened_by':'str','reopen_reason':'str'},'evaluators':'int','submitted':'int',"
		"'complete':'bool','trimmed':'bool','score':'num?','grade':'str?','grade_code':'str?','totals':['num'],"
		"'members':[{'user_id':'int','login':'str','name':'str','organisation':'str','external':'bool','recused':'str?',"
		"'reason':'str?','submitted':'bool'}],'evaluations':[{'id':'int','user_id':'int','evaluator':'str',"
		"'round':'int?','state':'str','total':'num?','comment':'str','submitted_at':'at','scores':[{'criterion':'str',"
		"'score':'num?','band':'int?'}],'reopened_by':'str','reopen_reason':'str'}],'history':[{'round':'int',"
		"'submitted':'int','complete':'bool','trimmed':'bool','score':'num?','grade':'str?','grade_code':'str?'}]}",
};
/* POST /api/v1/claims/:id/accept (act_claim_accept) */
const struct api_doc doc_post_claims_id_accept = {
	.summary = "验收定等次",
	.ok =
		"{'claim_id':'int?','state':'str','score':'num?','grade':'str?','grade_code':'str?','over_cap':'bool',"
		"'warning':'str?'}",
};
/* POST /api/v1/evaluations/:id/reopen (act_evaluation_reopen) */
const struct api_doc doc_post_evaluations_id_reopen = {
	.summary = "重新打开评分",
	.body = reopen_fields,
	.ok =
		"{'evaluation':'#Evaluation'}",
};
/* GET /api/v1/notices (page_notices) */
const struct api_doc doc_get_notices = {
	.summary = "公示列表",
	.ok =
		"{'notices':[{'id':'int','batch_id':'int','batch':'str','kind':'str','title':'str','body':'str','starts_on':'date',"
		"'ends_on':'date','working_days':'int','state':'str','outcome':'str?','created_at':'at','closed_at':'at?',"
		"'objections':'int','answered':'int','upheld':'int'}]}",
};
/* GET /api/v1/notices/:id (page_notice) */
const struct api_doc doc_get_notices_id = {
	.summary = "一项公示",
	.ok =
		"{'notice':'#Notice'}",
};
/* GET /api/v1/notices/:id/objections (api_notice_objections) */
const struct api_doc doc_get_notices_id_objections = {
	.summary = "公示收到的异议",
	.ok =
		"{'objections':[{'id':'int','notice_id':'int','position':'int?','name':'str','contact':'str','body':'str',"
		"'created_at':'at','answer':'str?','kind':'str?','answered_at':'at?','answered_by':'str'}]}",
};
/* GET /api/v1/batches/:id/notice-candidates (api_notice_candidates) */
const struct api_doc doc_get_batches_id_notice_candidates = {
	.summary = "可以公示的事项",
	.ok =
		"{'kind':'str?','candidates':[{'id':'int','text':'str','noticed':'bool'}]}",
	.query = "kind",
};
/* POST /api/v1/batches/:id/notices (act_notice_create) */
const struct api_doc doc_post_batches_id_notices = {
	.summary = "发布公示",
	.body = notice_fields,
	.ok =
		"{'notice':'#Notice'}",
};
/* POST /api/v1/public/objections (act_objection_lodge) */
const struct api_doc doc_post_public_objections = {
	.summary = "提出异议（实名）",
	.body = objection_fields,
	.ok =
		"{'objection':'#Objection'}",
};
/* POST /api/v1/objections/:id/answer (act_objection_answer) */
const struct api_doc doc_post_objections_id_answer = {
	.summary = "答复异议",
	.body = objection_answer_fields,
	.ok =
		"{'objection':'#Objection'}",
};
/* POST /api/v1/notices/:id/close (act_notice_close) */
const struct api_doc doc_post_notices_id_close = {
	.summary = "结束公示",
	.ok =
		"{'notice':'#Notice','finalized':'int','held':'int'}",
};
/* GET /api/v1/calendar/:year (page_calendar) */
const struct api_doc doc_get_calendar_year = {
	.summary = "工作日历",
	.ok =
		"{'calendar':'#Calendar'}",
};
/* PUT /api/v1/calendar/:year (act_calendar_set) */
const struct api_doc doc_put_calendar_year = {
	.summary = "设置本单位的工作日历",
	.body = calendar_fields,
	.ok =
		"{'calendar':'#Calendar'}",
};
/* GET /api/v1/me/work (api_work) */
const struct api_doc doc_get_me_work = {
	.summary = "我的工作",
	.ok =
		"{'waiting':['#WorkItem'],'milestones':['#WorkItem'],'claims':['#WorkItem'],'proposals':['#WorkItem']}",
};
/* GET /api/v1/claims/:id/supervisions (api_supervisions) */
const struct api_doc doc_get_claims_id_supervisions = {
	.summary = "揭榜的督办、延期",
	.ok =
		"{'supervisions':['#Supervision'],'extensions':['#Extension'],'red':'bool','deadline':'date?'}",
};
/* POST /api/v1/claims/:id/supervisions (act_supervise) */
const struct api_doc doc_post_claims_id_supervisions = {
	.summary = "发出督办单",
	.body = supervision_fields,
	.ok =
		"{'supervision':'#Supervision'}",
};
/* POST /api/v1/supervisions/:id/reply (act_supervision_reply) */
const struct api_doc doc_post_supervisions_id_reply = {
	.summary = "答复督办",
	.body = reply_fields,
	.ok =
		"{'supervision':'#Supervision'}",
};
/* POST /api/v1/claims/:id/extend (act_extend) */
const struct api_doc doc_post_claims_id_extend = {
	.summary = "申请延期",
	.body = extend_fields,
	.ok =
		"{'extension':'#Extension'}",
};
/* POST /api/v1/extensions/:id/approve (act_extension_approve) */
const struct api_doc doc_post_extensions_id_approve = {
	.summary = "批准延期",
	.body = decide_fields,
	.ok =
		"{'extension':'#Extension'}",
};
/* POST /api/v1/extensions/:id/refuse (act_extension_refuse) */
const struct api_doc doc_post_extensions_id_refuse = {
	.summary = "不批准延期",
	.body = decide_fields,
	.ok =
		"{'extension':'#Extension'}",
};
/* GET /api/v1/problems/:id/comments (api_comments) */
const struct api_doc doc_get_problems_id_comments = {
	.summary = "难题的意见交流",
	.ok =
		"{'items':['#Comment']}",
};
/* POST /api/v1/problems/:id/comments (act_comment_write) */
const struct api_doc doc_post_problems_id_comments = {
	.summary = "发表意见",
	.body = comment_fields,
	.ok =
		"{'comment':'#Comment'}",
};
/* PATCH /api/v1/comments/:id (act_comment_edit) */
const struct api_doc doc_patch_comments_id = {
	.summary = "修改意见",
	.body = comment_fields,
	.ok =
		"{'comment':'#Comment'}",
};
/* POST /api/v1/comments/:id/remove (act_comment_remove) */
const struct api_doc doc_post_comments_id_remove = {
	.summary = "删除意见",
	.ok =
		"{'comment':'#Comment'}",
};
/* GET /api/v1/promotions (api_promotions) */
const struct api_doc doc_get_promotions = {
	.summary = "提拔使用记录",
	.ok =
		"{'promotions':[{'id':'int','person_id':'int?','person':'str','unit_id':'int?','unit':'str','at':'date?',"
		"'kind':'str?','kind_zh':'str','from_post':'str','to_post':'str','doc_no':'str','note':'str','recorded_by':'str',"
		"'created_at':'at','claims':[{'id':'int','title':'str'}]}],'total':'int?'}",
	.query = "kind person",
};
/* POST /api/v1/promotions (act_promotion_create) */
const struct api_doc doc_post_promotions = {
	.summary = "登记提拔使用",
	.body = promotion_fields,
	.ok =
		"{'promotion':'#Promotion'}",
};
/* GET /api/v1/people/:id/record (api_record) */
const struct api_doc doc_get_people_id_record = {
	.summary = "干部实绩档案",
	.ok =
		"{'record':'#Record'}",
};
/* POST /api/v1/claims/:id/tolerance (act_tolerance_apply) */
const struct api_doc doc_post_claims_id_tolerance = {
	.summary = "申请容错",
	.body = tolerance_fields,
	.ok =
		"{'tolerance':'#Tolerance'}",
};
/* POST /api/v1/tolerances/:id/decide (act_tolerance_decide) */
const struct api_doc doc_post_tolerances_id_decide = {
	.summary = "容错认定",
	.body = tolerance_decide_fields,
	.ok =
		"{'tolerance':'#Tolerance'}",
};
/* GET /api/v1/bulletins (api_bulletins) */
const struct api_doc doc_get_bulletins = {
	.summary = "简报列表",
	.ok =
		"{'items':[{'n':'int','batch':{'?':{'id':'int','name':'str'}},'period_from':'date','period_to':'date',"
		"'issued_on':'date','office':'str','created_by':'str','created_at':'at','figures':{'accepted':'int',"
		"'as_of':'date','batch':'str?','by_category':[{'claimed':'int','name':'str','problems':'int','solved':'int'}],"
		"'claimed':'int','in_progress':'int','overdue':'int','practices':[{'id':'int','title':'str','state':'str',"
		"'state_label?':'str','doc_no?':'str','issuer?':'str','author?':'bool'}],'practices_adopted':'int',"
		"'problems':'int','promotions':'int','solved':'int','top_units':[{'claimed':'int','name':'str','overdue':'int'}],"
		"'unreported':'int'}}]}",
};
/* POST /api/v1/bulletins (api_bulletin_issue) */
const struct api_doc doc_post_bulletins = {
	.summary = "编发简报",
	.body = bulletin_fields,
	.ok =
		"{'bulletin':'#Bulletin'}",
};
/* GET /api/v1/bulletins/:n (api_bulletin) */
const struct api_doc doc_get_bulletins_n = {
	.summary = "一期简报（:n 为期号，或“期号.docx”下载 Word）",
	.ok =
		"{'bulletin':'#Bulletin'}",
	.media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};
/* GET /api/v1/batches/:id/report.docx (page_batch_report_docx) */
const struct api_doc doc_get_batches_id_report_docx = {
	.summary = "年度汇报材料（Word）",
	.media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};
/* GET /api/v1/problems (api_problems) */
const struct api_doc doc_get_problems = {
	.summary = "榜单：难题列表",
	.ok =
		"{'items':[{'id':'int','title':'str','batch':'str?','category':'str','state':'str','claim_unit?':'str?',"
		"'claim_unit_kind?':'str?','owner?':'str?','updated_at':'at?','overdue?':'bool','state_label?':'str',"
		"'unit?':'str','proposer?':'str','priority?':'int','residents_concern?':'bool','from_resident?':'bool',"
		"'returned?':'bool','created_at?':'at'}],'total':'int?','page':'int','per_page?':'int','counts?':{'proposed':'int',"
		"'selected':'int','rejected':'int','merged':'int','published':'int','claimed':'int','in_progress':'int',"
		"'solved':'int','accepted':'int','withdrawn':'int'}}",
	.query = "q category state unit_kind light sort page per_page returned residents",
};
/* GET /api/v1/problems/similar (api_similar) */
const struct api_doc doc_get_problems_similar = {
	.summary = "相似的难题（出卷前查重）",
	.ok =
		"{'items':[{'id':'int','title':'str','batch':'str?','state':'str','state_label':'str','url':'str?'}]}",
	.query = "title",
};
/* GET /api/v1/problems/:id (api_problem) */
const struct api_doc doc_get_problems_id = {
	.summary = "一道难题",
	.ok =
		"{'id':'int','title':'str','description':'str','batch':'str?','category':'str','state':'str','proposer':'str',"
		"'proposer_unit':'str','created_at':'at','updated_at':'at?','overdue':'bool','claim':{'?':{'id':'int',"
		"'state':'str','unit':'str','unit_kind':'str','lead':'str','lead_title':'str','owner':'str','owner_title':'str',"
		"'pledge':'str','deadline':'int?','applied_at':'at','members':[{'name':'str','title':'str','rank':'str',"
		"'unit':'str','unit_kind':'str','role':'str'}],'milestones':[{'title':'str','due_at':'at','done_at':'at?',"
		"'overdue':'bool'}],'metrics':[{'id':'int','name':'str','kind':'str?','uom':'str','target':'int',"
		"'achieved':'int'}],'progress':[{'at':'int?','title':'str','body':'str','author':'str'}],'member_units':'int'}},"
		"'timeline':[{'at':'int?','actor':'str','action':'str','title':'str','detail':'str','from':'str?',"
		"'to':'str?','reason':'str?','login?':'str'}],'timeline_more':'bool'}",
};
/* POST /api/v1/problems (api_proposal_create) */
const struct api_doc doc_post_problems = {
	.summary = "出卷：提出难题",
	.body = proposal_fields,
	.ok =
		"{'problem':'#Problem'}",
};
/* POST /api/v1/public/problems (api_public_proposal_create) */
const struct api_doc doc_post_public_problems = {
	.summary = "群众出卷",
	.body = public_proposal_fields,
	.ok =
		"{'problem':'#Problem'}",
};
/* POST /api/v1/problems/transitions (api_transitions) */
const struct api_doc doc_post_problems_transitions = {
	.summary = "批量遴选",
	.body = bulk_transition_fields,
	.ok =
		"{'transition':'#Transition'}",
};
/* POST /api/v1/problems/carry (api_carry) */
const struct api_doc doc_post_problems_carry = {
	.summary = "转入下一批次",
	.body = carry_fields,
	.ok =
		"{'moved':'int','batch_id':'int?'}",
};
/* POST /api/v1/problems/:id/transitions (api_transition) */
const struct api_doc doc_post_problems_id_transitions = {
	.summary = "遴选：改变难题状态",
	.body = transition_fields,
	.ok =
		"{'problem':'#Problem','transition':'#Transition'}",
};
/* PATCH /api/v1/problems/:id (api_screen_update) */
const struct api_doc doc_patch_problems_id = {
	.summary = "遴选时修改难题",
	.body = screen_update_fields,
	.ok =
		"{'problem':'#Problem'}",
};
/* GET /api/v1/problems/:id/claims (api_problem_claims) */
const struct api_doc doc_get_problems_id_claims = {
	.summary = "难题的揭榜",
	.ok =
		"{'claims':[{'id':'int','state':'str','route':'str','unit':'str','lead':'str','owner':'str','applied_at':'at',"
		"'deadline':'int?','members':'int','units':'int','milestones':'int','metrics':'int','light':'str'}]}",
};
/* POST /api/v1/problems/:id/claims (api_claim_apply) */
const struct api_doc doc_post_problems_id_claims = {
	.summary = "揭榜",
	.body = claim_fields,
	.ok =
		"{'claim':'#Claim'}",
};
/* GET /api/v1/claims/:id (api_claim) */
const struct api_doc doc_get_claims_id = {
	.summary = "一项揭榜",
	.ok =
		"{'claim':'#Claim'}",
};
/* POST /api/v1/claims/:id/endorse (api_claim_act) */
const struct api_doc doc_post_claims_id_endorse = {
	.summary = "单位推荐",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/approve (api_claim_act) */
const struct api_doc doc_post_claims_id_approve = {
	.summary = "批准揭榜",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/reject (api_claim_act) */
const struct api_doc doc_post_claims_id_reject = {
	.summary = "不批准揭榜",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/accept-assignment (api_claim_act) */
const struct api_doc doc_post_claims_id_accept_assignment = {
	.summary = "接受点将",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/decline-assignment (api_claim_act) */
const struct api_doc doc_post_claims_id_decline_assignment = {
	.summary = "谢绝点将",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/sign (api_claim_act) */
const struct api_doc doc_post_claims_id_sign = {
	.summary = "签订军令状",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/withdraw (api_claim_act) */
const struct api_doc doc_post_claims_id_withdraw = {
	.summary = "撤回揭榜",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/return (api_claim_act) */
const struct api_doc doc_post_claims_id_return = {
	.summary = "退回",
	.body = claim_act_fields,
	.ok =
		"{'claim':'#Claim','transition':{'from':'str','to':'str','problem_moved':'bool'}}",
};
/* POST /api/v1/claims/:id/progress (api_claim_progress) */
const struct api_doc doc_post_claims_id_progress = {
	.summary = "报送进展（JSON 或带附件的 multipart）",
	.body = progress_fields,
	.ok =
		"{'claim':'#Claim','progress_id':'int'}",
};
/* POST /api/v1/claims/:id/solve (api_claim_solve) */
const struct api_doc doc_post_claims_id_solve = {
	.summary = "申报破题（JSON 或带附件的 multipart）",
	.body = progress_fields,
	.ok =
		"{'claim':'#Claim','progress_id':'int'}",
};
/* GET /api/v1/proposals/:id (api_proposal) */
const struct api_doc doc_get_proposals_id = {
	.summary = "一条出卷",
	.ok =
		"{'problem':'#Problem'}",
};
/* POST /api/v1/proposals/:id/revise (api_proposal_revise) */
const struct api_doc doc_post_proposals_id_revise = {
	.summary = "修改退回的出卷",
	.body = proposal_fields,
	.ok =
		"{'problem':'#Problem'}",
};
/* GET /api/v1/me/proposals (api_my_proposals) */
const struct api_doc doc_get_me_proposals = {
	.summary = "我的出卷",
	.ok =
		"{'items':[{'id':'int','state':'str','state_label':'str','title':'str','description':'str','expected_outcome':'str',"
		"'category':'str','category_id':'int','batch':'str?','batch_id':'int?','unit':'str','unit_id':'int?',"
		"'proposer':'str','from_resident':'bool','residents_concern':'bool','priority':'int','priority_label':'str',"
		"'returned':'bool','returned_at':'at?','reason':'str?','merged_into':'int?','publication_id':'int?',"
		"'round':'int?','is_public':'bool','created_at':'at','updated_at':'at?','merged_title?':'str'}]}",
};
/* GET /api/v1/notifications (api_notifications) */
const struct api_doc doc_get_notifications = {
	.summary = "我的通知",
	.ok =
		"{'items':[{'id':'int','kind':'str?','object_type':'str','object_id':'int?','title':'str','body':'str',"
		"'created_at':'at','read_at':'at?','read':'bool'}],'unread':'int','more':'bool'}",
};
/* POST /api/v1/notifications/read (api_notifications_read) */
const struct api_doc doc_post_notifications_read = {
	.summary = "全部标为已读",
	.ok =
		"{'unread':'int'}",
};
/* POST /api/v1/notifications/:id/read (api_notification_read) */
const struct api_doc doc_post_notifications_id_read = {
	.summary = "一条通知标为已读",
	.ok =
		"{'unread':'int'}",
};
/* GET /api/v1/batches/:id/publications (api_publications) */
const struct api_doc doc_get_batches_id_publications = {
	.summary = "批次的发榜记录",
	.ok =
		"{'items':[{'id':'int','batch_id':'int?','round':'int?','published_at':'at','n':'int','actor':'str'}]}",
};
/* GET /api/v1/stats (api_stats) */
const struct api_doc doc_get_stats = {
	.summary = "统计",
	.ok =
		"{'batch':{'?':{'id':'int','name':'str'}},'as_of':'date','problems':'int','claimed':'int','solved':'int',"
		"'accepted':'int','promotions':'int','problems_by_category':{'*':'int'},'claimed_by_category':{'*':'int'},"
		"'solved_by_category':{'*':'int'},'by_state':{'claimed?':'int','in_progress?':'int','published?':'int',"
		"'solved?':'int','accepted?':'int'},'claiming_units':{'*':'int'},'claiming_cadres':{'*':'int'},'lights':{'green':'int',"
		"'yellow':'int','red':'int','unreported':'int','awaiting':'int'},'in_progress':'int','overdue_total':'int',"
		"'practices_adopted':'int','scored':'int','average_score':'num?','grades':{'excellent':'int','good':'int',"
		"'pass':'int','fail':'int'},'grades_by_category':{'*':{'scored':'int','average':'num?','grades':{'excellent':'int',"
		"'good':'int','pass':'int','fail':'int'}}},'problems_by_batch':{'*':'int'},'months':[{'month':'str',"
		"'claimed':'int','solved':'int','accepted':'int'}],'overdue':[{'claim_id':'int?','problem_id':'int',"
		"'title':'str','deadline':'date?','days_over':'int','unit?':'str'}],'unit_table?':[{'unit_id':'int?',"
		"'name':'str','kind':'str?','claimed':'int','solved':'int','accepted':'int','overdue':'int','scored':'int',"
		"'average':'num?'}]}",
	.query = "batch as_of",
};
/* GET /api/v1/files/:sha256 (page_file) */
const struct api_doc doc_get_files_sha256 = {
	.summary = "附件下载",
	.media = "*/*",
};
/* POST /api/v1/session (act_login) */
const struct api_doc doc_post_session = {
	.summary = "登录（账号启用了两步验证时答 202，再用 pending 和验证码调用 POST /api/v1/session/totp）",
	.body = login_fields,
	.ok =
		"{'user':{'id':'int','login':'str','roles':['str'],'person_id':'int?','unit_id':'int?','must_change':'bool',"
		"'via':'str','csrf_token':'str?'},'csrf_token':'str'}",
	.more = "{'202':{'second_factor':'str','pending':'str'}}",
};
/* POST /api/v1/session/totp (act_login_totp) */
const struct api_doc doc_post_session_totp = {
	.summary = "登录第二步：身份验证器的 6 位验证码或一个恢复码（pending 来自 POST /api/v1/session 的 202 答复）",
	.body = totp_login_fields,
	.ok =
		"{'user':{'id':'int','login':'str','roles':['str'],'person_id':'int?','unit_id':'int?','must_change':'bool',"
		"'via':'str','csrf_token':'str?'},'csrf_token':'str'}",
};
/* POST /api/v1/me/reauth (act_reauth) */
const struct api_doc doc_post_me_reauth = {
	.summary = "敏感操作前验证密码：此后 5 分钟内本会话可修改角色、停用账号、重置密码、修改设置、导出个人信息",
	.body = reauth_fields,
	.ok = "{'fresh_until':'at'}",
};
/* POST /api/v1/me/totp (act_totp_enrol) */
const struct api_doc doc_post_me_totp = {
	.summary = "开始启用两步验证：新密钥（base32）和 otpauth:// 地址，用验证码确认后生效；已启用时 409",
	.ok = "{'secret':'str','otpauth_uri':'str'}",
};
/* POST /api/v1/me/totp/confirm (act_totp_confirm) */
const struct api_doc doc_post_me_totp_confirm = {
	.summary = "用身份验证器的验证码确认启用两步验证；答复 10 个恢复码（只显示这一次）",
	.body = totp_code_fields,
	.ok = "{'recovery_codes':['str']}",
};
/* POST /api/v1/me/totp/disable (act_totp_disable) */
const struct api_doc doc_post_me_totp_disable = {
	.summary = "关闭两步验证（验证码或恢复码）",
	.body = totp_code_fields,
	.ok = "{'ok':'bool'}",
};
/* POST /api/v1/me/totp/recovery (act_totp_codes) */
const struct api_doc doc_post_me_totp_recovery = {
	.summary = "重新生成恢复码（身份验证器的验证码；旧恢复码作废）",
	.body = totp_code_fields,
	.ok = "{'recovery_codes':['str']}",
};
/* DELETE /api/v1/session (act_logout) */
const struct api_doc doc_delete_session = {
	.summary = "退出登录",
	.ok =
		"{'ok':'bool'}",
};
/* GET /api/v1/me (api_me) */
const struct api_doc doc_get_me = {
	.summary = "当前用户",
	.ok =
		"{'id':'int','login':'str','roles':['str'],'person_id':'int?','unit_id':'int?','must_change':'bool',"
		"'via':'str','csrf_token':'str?'}",
};
/* POST /api/v1/me/password (act_password) */
const struct api_doc doc_post_me_password = {
	.summary = "修改密码",
	.body = password_fields,
	.ok =
		"{'ok':'bool'}",
};
/* GET /api/v1/tokens (api_tokens) */
const struct api_doc doc_get_tokens = {
	.summary = "我的 API 令牌",
	.ok =
		"{'items':[{'id':'int','name':'str','created_at':'at','used_at':'at?','revoked_at':'at?'}]}",
};
/* POST /api/v1/tokens (act_token_create) */
const struct api_doc doc_post_tokens = {
	.summary = "新建 API 令牌（令牌只显示这一次）",
	.body = token_fields,
	.ok =
		"{'id':'int','name':'str','token':'str'}",
};
/* DELETE /api/v1/tokens/:id (act_token_revoke) */
const struct api_doc doc_delete_tokens_id = {
	.summary = "吊销 API 令牌",
	.ok =
		"{'ok':'bool'}",
};
/* GET /api/v1/me/sessions (api_sessions) */
const struct api_doc doc_get_me_sessions = {
	.summary = "我的登录会话（设备、地址、最近活动）",
	.ok =
		"{'items':[{'id':'str','created_at':'at','seen_at':'at','addr':'str','user_agent':'str','current':'bool'}]}",
};
/* DELETE /api/v1/me/sessions/:id (act_session_end) */
const struct api_doc doc_delete_me_sessions_id = {
	.summary = "结束我的一个登录会话（id 为 others：结束其他全部会话）",
	.ok =
		"{'ended':'int'}",
};
/* GET /api/v1/batches (page_batches) */
const struct api_doc doc_get_batches = {
	.summary = "批次列表",
	.ok =
		"{'items':[{'id':'int','name':'str','year':'int','phase':'str','phase_set':'str','by_dates':'bool',"
		"'phases':[{'phase':'str','starts':'date','ends':'date'}],'as_of':'date','max_parallel':'int','report_day':'int',"
		"'warn_days':'int','grade_excellent':'num','grade_good':'num','grade_pass':'num','excellent_cap':'int',"
		"'notice_days':'int','midterm_on':'date?'}]}",
};
/* POST /api/v1/batches (act_batch_create) */
const struct api_doc doc_post_batches = {
	.summary = "新建批次",
	.body = batch_fields,
	.ok =
		"{'batch':'#Batch'}",
};
/* GET /api/v1/batches/:id (page_batch) */
const struct api_doc doc_get_batches_id = {
	.summary = "一个批次",
	.ok =
		"{'batch':'#Batch'}",
};
/* PATCH /api/v1/batches/:id (act_batch_update) */
const struct api_doc doc_patch_batches_id = {
	.summary = "修改批次",
	.body = batch_fields,
	.ok =
		"{'batch':'#Batch'}",
};
/* GET /api/v1/batches/:id/rubric (page_rubric) */
const struct api_doc doc_get_batches_id_rubric = {
	.summary = "批次的评分标准",
	.ok =
		"{'batch_id':'int?','stage':'str','is_default':'bool','locked':'bool','criteria':[{'name':'str','weight':'int',"
		"'max':'num?','description':'str','bands':[{'label':'str','score':'num?'}]}]}",
};
/* PUT /api/v1/batches/:id/rubric (act_rubric_save) */
const struct api_doc doc_put_batches_id_rubric = {
	.summary = "保存评分标准",
	.body = rubric_fields,
	.ok =
		"{'batch_id':'int?','stage':'str','is_default':'bool','locked':'bool','criteria':[{'name':'str','weight':'int',"
		"'max':'num?','description':'str','bands':[{'label':'str','score':'num?'}]}]}",
};
/* POST /api/v1/claims/:id/risk (act_claim_risk) */
const struct api_doc doc_post_claims_id_risk = {
	.summary = "设置揭榜的风险等级",
	.body = risk_fields,
	.ok =
		"{'claim_id':'int?','risk':'str','note':'str','light':'str'}",
};
/* GET /api/v1/users (page_users) */
const struct api_doc doc_get_users = {
	.summary = "用户列表",
	.ok =
		"{'items':[{'id':'int','login':'str','roles':['str'],'person_id':'int?','person':'str','unit_id':'int?',"
		"'unit':'str','disabled':'bool','must_change':'bool','created_at':'at','password_at':'at'}],'total':'int?',"
		"'page':'int','per_page':'int'}",
};
/* POST /api/v1/users (act_user_create) */
const struct api_doc doc_post_users = {
	.summary = "新建用户（返回一次性初始密码）",
	.body = new_user_fields,
	.ok =
		"{'user':'#User','initial_password':'str'}",
};
/* GET /api/v1/users/:id (page_user) */
const struct api_doc doc_get_users_id = {
	.summary = "一个用户",
	.ok =
		"{'id':'int','login':'str','roles':['str'],'person_id':'int?','person':'str','unit_id':'int?','unit':'str',"
		"'disabled':'bool','must_change':'bool','created_at':'at','password_at':'at'}",
};
/* POST /api/v1/users/:id/disable (act_user_disable) */
const struct api_doc doc_post_users_id_disable = {
	.summary = "停用用户",
	.ok =
		"{'user':'#User'}",
};
/* POST /api/v1/users/:id/enable (act_user_enable) */
const struct api_doc doc_post_users_id_enable = {
	.summary = "启用用户",
	.ok =
		"{'user':'#User'}",
};
/* POST /api/v1/users/:id/roles (act_user_roles) */
const struct api_doc doc_post_users_id_roles = {
	.summary = "设置用户角色",
	.ok =
		"{'user':'#User'}",
};
/* POST /api/v1/users/:id/link (act_user_link) */
const struct api_doc doc_post_users_id_link = {
	.summary = "关联人员与单位",
	.body = link_fields,
	.ok =
		"{'user':'#User'}",
};
/* POST /api/v1/users/:id/reset-password (act_user_reset) */
const struct api_doc doc_post_users_id_reset_password = {
	.summary = "重置密码（返回一次性初始密码）",
	.ok =
		"{'user':'#User','initial_password':'str'}",
};
/* GET /api/v1/audit (page_audit) */
const struct api_doc doc_get_audit = {
	.summary = "审计日志",
	.ok =
		/* before and after: the audited object's fields, whatever the action wrote */
		"{'items':[{'id':'int','at':'at','actor':'str','action':'str','object_type':'str','object_id':'int?',"
		"'before':{'=':{'type':['object','null']}},'after':{'=':{'type':['object','null']}},'client_addr':'str',"
		"'outcome':'str?','title':'str','detail':'str'}],'next_before':'int?'}",
	.query = "actor action object object_id from to before",
};
/* GET /api/v1/persons (api_persons) */
const struct api_doc doc_get_persons = {
	.summary = "人员查找",
	.ok =
		"{'items':[{'id':'int','name':'str','unit_id':'int?','unit':'str','title':'str','rank':'str'}],'more':'bool'}",
};
/* GET /api/v1/people (api_people) */
const struct api_doc doc_get_people = {
	.summary = "人员名单",
	.ok =
		"{'items':[{'id':'int','name':'str','unit_id':'int?','unit':'str','title':'str'}],'more':'bool'}",
};
/* POST /api/v1/feedback (act_feedback_submit) */
const struct api_doc doc_post_feedback = {
	.summary = "投诉建议",
	.body = complaint_fields,
	.ok =
		"{'complaint':'#Complaint'}",
};
/* GET /api/v1/feedback/:ref (page_feedback_lookup) */
const struct api_doc doc_get_feedback_ref = {
	.summary = "凭查询码查看投诉建议",
	.ok =
		"{'complaint':'#Complaint'}",
};
/* GET /api/v1/me/feedback (page_my_feedback) */
const struct api_doc doc_get_me_feedback = {
	.summary = "我的投诉建议",
	.ok =
		"{'items':[{'ref':'str','kind':'str?','state':'str','subject':'str','body':'str','created_at':'at',"
		"'answer':'str?','answered_at':'at?','id':'int'}],'more':'bool'}",
};
/* GET /api/v1/admin/feedback (page_feedback_queue) */
const struct api_doc doc_get_admin_feedback = {
	.summary = "投诉建议办理列表",
	.ok =
		"{'items':[{'ref':'str','kind':'str?','state':'str','subject':'str','body':'str','created_at':'at',"
		"'answer':'str?','answered_at':'at?','id':'int','name':'str','contact':'str','sender':'str?','answered_by':'str'}],"
		"'more':'bool','open':'int','answered':'int'}",
	.query = "state page",
};
/* GET /api/v1/admin/feedback/:id (page_feedback_item) */
const struct api_doc doc_get_admin_feedback_id = {
	.summary = "一件投诉建议",
	.ok =
		"{'complaint':'#Complaint'}",
};
/* POST /api/v1/feedback/:id/answer (act_feedback_answer) */
const struct api_doc doc_post_feedback_id_answer = {
	.summary = "答复投诉建议",
	.body = complaint_answer_fields,
	.ok =
		"{'complaint':'#Complaint'}",
};
/* GET /api/v1/practices (api_practices) */
const struct api_doc doc_get_practices = {
	.summary = "经验做法",
	.ok =
		"{'items':[{'id':'int','title':'str','summary':'str','steps':'str','conditions':'str','state':'str',"
		"'state_label':'str','author':'str','created_at':'at','updated_at':'at?','recommended_at':'at?','doc_no':'str',"
		"'issuer':'str','adopted_on':'date?','claims':[{'claim_id':'int?','problem_id':'int','problem_title':'str',"
		"'unit':'str','lead':'str','owner':'str','state':'str'}],'author_login?':'str','recommended_by?':'str'}],"
		"'total':'int?','page':'int','per_page':'int'}",
	.query = "state",
};
/* POST /api/v1/practices (api_practice_create) */
const struct api_doc doc_post_practices = {
	.summary = "总结经验做法",
	.body = practice_fields,
	.ok =
		"{'practice':'#Practice'}",
};
/* GET /api/v1/practices/:id (api_practice) */
const struct api_doc doc_get_practices_id = {
	.summary = "一项经验做法",
	.ok =
		"{'practice':'#Practice'}",
};
/* PATCH /api/v1/practices/:id (api_practice_update) */
const struct api_doc doc_patch_practices_id = {
	.summary = "修改经验做法",
	.body = practice_fields,
	.ok =
		"{'practice':'#Practice'}",
};
/* POST /api/v1/practices/:id/recommend (api_practice_recommend) */
const struct api_doc doc_post_practices_id_recommend = {
	.summary = "推荐经验做法",
	.ok =
		"{'practice':'#Practice'}",
};
/* POST /api/v1/practices/:id/adopt (api_practice_adopt) */
const struct api_doc doc_post_practices_id_adopt = {
	.summary = "登记采用经验做法",
	.body = practice_adopt_fields,
	.ok =
		"{'practice':'#Practice'}",
};
/* POST /api/v1/import/:kind (api_import) */
const struct api_doc doc_post_import_kind = {
	.summary = "导入单位、人员或难题（multipart 字段 file）",
	.ok = "'#ImportResult'",
	.more = "{'422':'#ImportResult'}",
	.query = "dry_run batch_id",
};
/* GET /api/v1/region (api_region) */
const struct api_doc doc_get_region = {
	.summary = "辖区汇总：下辖地区的数字（每个地区含其下辖地区）",
	.ok = "{'total':'#RegionRow','tenants':['#RegionRow']}",
};
/* POST /api/v1/tenants (act_tenant_create) */
const struct api_doc doc_post_tenants = {
	.summary = "平台运维：新建地区及其第一个管理员（返回一次性初始密码）",
	.body = tenant_fields,
	.ok = "{'id':'int','slug':'str','name':'str','admin':{'login':'str','initial_password':'str'}}",
};
/* GET /api/v1/robots (api_robots) */
const struct api_doc doc_get_robots = {
	.summary = "推送机器人和最近的推送记录（state=pending|sent|dead 筛选推送记录）",
	.ok = "{'robots':[{'id':'int','kind':'str','name':'str','url':'str','events':'str','secret_set':'bool',"
	      "'enabled':'bool','created_at':'at','updated_at':'at'}],'outbox':[{'id':'int','robot_id':'int','event':'str',"
	      "'delivery_id':'str','state':'str','attempts':'int','last_error':'str','created_at':'at','sent_at':'at?'}]}",
	.query = "state",
};
/* GET /api/v1/export/:list (api_export) */
const struct api_doc doc_get_export_list = {
	.summary = "导出台账（:list 为“名称.csv”或“名称.xlsx”）",
	.media = "text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};
/* GET /api/v1/openapi.json (api_openapi) */
const struct api_doc doc_get_openapi_json = {
	.summary = "本接口说明（OpenAPI 3.1）",
	.ok =
		"{'openapi':{'=':{'const':'3.1.0'}},'info':{'title':'str','version':'str'},'paths':{'=':{'type':'object'}},"
		"'components':{'=':{'type':'object'}}}",
};
