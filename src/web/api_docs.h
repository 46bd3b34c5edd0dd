/* api_docs.h - the description of every /api/ route, for the route table
 * (web/routes.c): struct api_doc is api/openapi.h's, the objects are in
 * api/openapi_docs.c; web needs only their addresses. */
#ifndef JB_WEB_API_DOCS_H
#define JB_WEB_API_DOCS_H

#include "http/req.h"

struct api_doc;

/* GET /api/v1/openapi.json (api/openapi.c). */
void api_openapi(struct req *r);

extern const struct api_doc doc_get_me_evaluations;
extern const struct api_doc doc_get_claims_id_scores;
extern const struct api_doc doc_post_batches_id_panels;
extern const struct api_doc doc_patch_panels_id;
extern const struct api_doc doc_post_panels_id_assignments;
extern const struct api_doc doc_post_claims_id_scores;
extern const struct api_doc doc_post_claims_id_accept;
extern const struct api_doc doc_post_evaluations_id_reopen;
extern const struct api_doc doc_get_notices;
extern const struct api_doc doc_get_notices_id;
extern const struct api_doc doc_get_notices_id_objections;
extern const struct api_doc doc_get_batches_id_notice_candidates;
extern const struct api_doc doc_post_batches_id_notices;
extern const struct api_doc doc_post_public_objections;
extern const struct api_doc doc_post_objections_id_answer;
extern const struct api_doc doc_post_notices_id_close;
extern const struct api_doc doc_get_calendar_year;
extern const struct api_doc doc_put_calendar_year;
extern const struct api_doc doc_get_me_work;
extern const struct api_doc doc_get_claims_id_supervisions;
extern const struct api_doc doc_post_claims_id_supervisions;
extern const struct api_doc doc_post_supervisions_id_reply;
extern const struct api_doc doc_post_claims_id_extend;
extern const struct api_doc doc_post_extensions_id_approve;
extern const struct api_doc doc_post_extensions_id_refuse;
extern const struct api_doc doc_get_problems_id_comments;
extern const struct api_doc doc_post_problems_id_comments;
extern const struct api_doc doc_patch_comments_id;
extern const struct api_doc doc_post_comments_id_remove;
extern const struct api_doc doc_get_promotions;
extern const struct api_doc doc_post_promotions;
extern const struct api_doc doc_get_people_id_record;
extern const struct api_doc doc_post_claims_id_tolerance;
extern const struct api_doc doc_post_tolerances_id_decide;
extern const struct api_doc doc_get_bulletins;
extern const struct api_doc doc_post_bulletins;
extern const struct api_doc doc_get_bulletins_n;
extern const struct api_doc doc_get_batches_id_report_docx;
extern const struct api_doc doc_get_problems;
extern const struct api_doc doc_get_problems_similar;
extern const struct api_doc doc_get_problems_id;
extern const struct api_doc doc_post_problems;
extern const struct api_doc doc_post_public_problems;
extern const struct api_doc doc_post_problems_transitions;
extern const struct api_doc doc_post_problems_carry;
extern const struct api_doc doc_post_problems_id_transitions;
extern const struct api_doc doc_patch_problems_id;
extern const struct api_doc doc_get_problems_id_claims;
extern const struct api_doc doc_post_problems_id_claims;
extern const struct api_doc doc_get_claims_id;
extern const struct api_doc doc_post_claims_id_endorse;
extern const struct api_doc doc_post_claims_id_approve;
extern const struct api_doc doc_post_claims_id_reject;
extern const struct api_doc doc_post_claims_id_accept_assignment;
extern const struct api_doc doc_post_claims_id_decline_assignment;
extern const struct api_doc doc_post_claims_id_sign;
extern const struct api_doc doc_post_claims_id_withdraw;
extern const struct api_doc doc_post_claims_id_return;
extern const struct api_doc doc_post_claims_id_progress;
extern const struct api_doc doc_post_claims_id_solve;
extern const struct api_doc doc_get_proposals_id;
extern const struct api_doc doc_post_proposals_id_revise;
extern const struct api_doc doc_get_me_proposals;
extern const struct api_doc doc_get_me_sessions;
extern const struct api_doc doc_delete_me_sessions_id;
extern const struct api_doc doc_get_notifications;
extern const struct api_doc doc_post_notifications_read;
extern const struct api_doc doc_post_notifications_id_read;
extern const struct api_doc doc_get_batches_id_publications;
extern const struct api_doc doc_get_stats;
extern const struct api_doc doc_get_files_sha256;
extern const struct api_doc doc_post_session;
extern const struct api_doc doc_post_session_totp;
extern const struct api_doc doc_post_me_reauth;
extern const struct api_doc doc_post_me_totp;
extern const struct api_doc doc_post_me_totp_confirm;
extern const struct api_doc doc_post_me_totp_disable;
extern const struct api_doc doc_post_me_totp_recovery;
extern const struct api_doc doc_delete_session;
extern const struct api_doc doc_get_me;
extern const struct api_doc doc_post_me_password;
extern const struct api_doc doc_get_tokens;
extern const struct api_doc doc_post_tokens;
extern const struct api_doc doc_delete_tokens_id;
extern const struct api_doc doc_get_batches;
extern const struct api_doc doc_post_batches;
extern const struct api_doc doc_get_batches_id;
extern const struct api_doc doc_patch_batches_id;
extern const struct api_doc doc_get_batches_id_rubric;
extern const struct api_doc doc_put_batches_id_rubric;
extern const struct api_doc doc_post_claims_id_risk;
extern const struct api_doc doc_get_users;
extern const struct api_doc doc_post_users;
extern const struct api_doc doc_get_users_id;
extern const struct api_doc doc_post_users_id_disable;
extern const struct api_doc doc_post_users_id_enable;
extern const struct api_doc doc_post_users_id_roles;
extern const struct api_doc doc_post_users_id_link;
extern const struct api_doc doc_post_users_id_reset_password;
extern const struct api_doc doc_get_audit;
extern const struct api_doc doc_get_persons;
extern const struct api_doc doc_get_people;
extern const struct api_doc doc_post_feedback;
extern const struct api_doc doc_get_feedback_ref;
extern const struct api_doc doc_get_me_feedback;
extern const struct api_doc doc_get_admin_feedback;
extern const struct api_doc doc_get_admin_feedback_id;
extern const struct api_doc doc_post_feedback_id_answer;
extern const struct api_doc doc_get_practices;
extern const struct api_doc doc_post_practices;
extern const struct api_doc doc_get_practices_id;
extern const struct api_doc doc_patch_practices_id;
extern const struct api_doc doc_post_practices_id_recommend;
extern const struct api_doc doc_post_practices_id_adopt;
extern const struct api_doc doc_post_import_kind;
extern const struct api_doc doc_get_export_list;
extern const struct api_doc doc_get_region;
extern const struct api_doc doc_post_tenants;
extern const struct api_doc doc_get_robots;
extern const struct api_doc doc_get_openapi_json;

#endif
