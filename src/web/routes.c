/* routes.c - the route table: method, pattern, handler, preconditions
 * (checked by web/preconditions.c), the action audited when a
 * precondition refuses, and the body the route reads with its cap. */
#include "web/routes.h"

#include "web/supervise.h"
#include "web/web.h"

#define LOGIN NEED_LOGIN
#define CHANGE (NEED_LOGIN | NEED_CSRF)
#define FIRST ALLOW_MUST_CHANGE
#define SLOW ROUTE_SLOW /* hashes a password */
/* Open to anonymous senders (no session, so no CSRF token; a browser's
 * cross-site POST is refused by its Origin, as every unsafe request is),
 * while a cookie session must send its token as on any change. */
#define SENDER NEED_CSRF
#define FORM BODY_FORM
#define JSON BODY_JSON
#define MULTIPART BODY_MULTIPART /* files streamed to disk; KIB() caps the other fields */
#define KIB(n) BODY_MAX_KIB(n)

/* Every route, one a line. The state-changing ones name their action;
 * their handlers call perm_check() on the object before changing it. An
 * API route and the page route doing the same thing share one handler.
 * A route without FORM or JSON reads the default body (http/router.h):
 * none for GET and DELETE, else JSON under /api/ and a form elsewhere; one
 * without KIB() takes up to server_config.max_body (1 MiB). A route that
 * never needs that much says what it does need, so that no client makes
 * it buffer more. */
const struct route routes[] = {
	{ "GET", "/", page_board, 0, NULL },
	{ "GET", "/problems/:id", page_problem, 0, NULL },
	{ "GET", "/stats", page_stats, 0, NULL },
	{ "GET", "/files/:sha256", page_file, 0, NULL },
	{ "GET", "/login", page_login, FIRST, NULL },
	{ "POST", "/login", act_login, FIRST | SLOW | FORM | KIB(4), "session.create" },
	{ "POST", "/logout", act_logout, CHANGE | FIRST | FORM | KIB(1), "session.delete" },
	{ "GET", "/account", page_account, LOGIN, NULL },
	{ "GET", "/account/password", page_password, LOGIN | FIRST, NULL },
	{ "POST", "/account/password", act_password, CHANGE | FIRST | SLOW | FORM | KIB(8), "account.password" },
	{ "POST", "/account/tokens", act_token_create, CHANGE | FORM | KIB(2), "token.manage" },
	{ "POST", "/account/tokens/:id/revoke", act_token_revoke, CHANGE | FORM | KIB(1), "token.manage" },
	{ "GET", "/admin/batches", page_batches, LOGIN, NULL },
	{ "POST", "/admin/batches", act_batch_create, CHANGE | FORM | KIB(16), "batch.manage" },
	{ "GET", "/admin/batches/:id", page_batch, LOGIN, NULL },
	{ "POST", "/admin/batches/:id", act_batch_update, CHANGE | FORM | KIB(16), "batch.manage" },
	{ "GET", "/admin/users", page_users, LOGIN, NULL },
	{ "POST", "/admin/users", act_user_create, CHANGE | SLOW | FORM | KIB(4), "user.manage" },
	{ "GET", "/admin/users/:id", page_user, LOGIN, NULL },
	{ "POST", "/admin/users/:id/disable", act_user_disable, CHANGE | FORM | KIB(1), "user.manage" },
	{ "POST", "/admin/users/:id/enable", act_user_enable, CHANGE | FORM | KIB(1), "user.manage" },
	{ "POST", "/admin/users/:id/roles", act_user_roles, CHANGE | FORM | KIB(2), "user.manage" },
	{ "POST", "/admin/users/:id/link", act_user_link, CHANGE | FORM | KIB(2), "user.manage" },
	{ "POST", "/admin/users/:id/reset-password", act_user_reset, CHANGE | SLOW | FORM | KIB(1), "user.manage" },
	{ "GET", "/admin/audit", page_audit, LOGIN, NULL },
	{ "GET", "/propose", page_propose, LOGIN, NULL },
	{ "POST", "/propose", act_propose, CHANGE, "problem.propose" },
	{ "GET", "/public/propose", page_public_propose, 0, NULL },
	{ "POST", "/public/propose", act_public_propose, SENDER, "problem.propose" },
	{ "GET", "/proposals/:id", page_proposal, LOGIN, NULL },
	{ "POST", "/proposals/:id/transitions", act_proposal_transition, CHANGE, "problem.screen" },
	{ "POST", "/proposals/:id/screening", act_proposal_screening, CHANGE, "problem.screen" },
	{ "POST", "/proposals/:id/revise", act_proposal_revise, CHANGE, "problem.propose" },
	{ "GET", "/admin/screening", page_screening, LOGIN, NULL },
	{ "POST", "/admin/screening/bulk", act_screening_bulk, CHANGE, "problem.screen" },
	{ "GET", "/me/proposals", page_my_proposals, LOGIN, NULL },
	{ "GET", "/me/notifications", page_notifications, LOGIN, NULL },
	{ "POST", "/me/notifications/read", act_notifications_read, CHANGE, "notification.read" },
	{ "POST", "/me/notifications/:id/read", act_notification_read, CHANGE, "notification.read" },
	{ "GET", "/feedback", page_feedback, 0, NULL },
	{ "POST", "/feedback", act_feedback_submit, SENDER | FORM | KIB(16), "complaint.create" },
	{ "GET", "/feedback/lookup", page_feedback_lookup, 0, NULL },
	{ "GET", "/me/feedback", page_my_feedback, LOGIN, NULL },
	{ "GET", "/admin/feedback", page_feedback_queue, LOGIN, NULL },
	{ "GET", "/admin/feedback/:id", page_feedback_item, LOGIN, NULL },
	{ "POST", "/admin/feedback/:id", act_feedback_answer, CHANGE | FORM | KIB(16), "complaint.answer" },
	/* 督办, 延期, 意见交流, 我的工作 (web/supervise.h) */
	{ "GET", "/me/work", page_work, LOGIN, NULL },
	{ "GET", "/claims/:id/supervisions/new", page_supervise_new, LOGIN, NULL },
	{ "POST", "/claims/:id/supervisions", act_supervise, CHANGE | FORM | KIB(16), "claim.supervise" },
	{ "POST", "/supervisions/:id/reply", act_supervision_reply, CHANGE | FORM | KIB(16), "supervision.reply" },
	{ "GET", "/claims/:id/extend", page_extend_new, LOGIN, NULL },
	{ "POST", "/claims/:id/extend", act_extend, CHANGE | FORM | KIB(16), "claim.extend" },
	{ "POST", "/extensions/:id/approve", act_extension_approve, CHANGE | FORM | KIB(16), "extension.decide" },
	{ "GET", "/extensions/:id/refuse", page_refuse_new, LOGIN, NULL },
	{ "POST", "/extensions/:id/refuse", act_extension_refuse, CHANGE | FORM | KIB(16), "extension.decide" },
	{ "POST", "/problems/:id/comments", act_comment_write, CHANGE | FORM | KIB(16), "comment.write" },
	{ "GET", "/comments/:id/edit", page_comment_edit, LOGIN, NULL },
	{ "POST", "/comments/:id/edit", act_comment_edit, CHANGE | FORM | KIB(16), "comment.edit" },
	{ "POST", "/comments/:id/remove", act_comment_remove, CHANGE | FORM | KIB(2), "comment.remove" },
	{ "GET", "/api/v1/me/work", api_work, LOGIN, NULL },
	{ "GET", "/api/v1/claims/:id/supervisions", api_supervisions, LOGIN, NULL },
	{ "POST", "/api/v1/claims/:id/supervisions", act_supervise, CHANGE | JSON | KIB(16), "claim.supervise" },
	{ "POST", "/api/v1/supervisions/:id/reply", act_supervision_reply, CHANGE | JSON | KIB(16), "supervision.reply" },
	{ "POST", "/api/v1/claims/:id/extend", act_extend, CHANGE | JSON | KIB(16), "claim.extend" },
	{ "POST", "/api/v1/extensions/:id/approve", act_extension_approve, CHANGE | JSON | KIB(16), "extension.decide" },
	{ "POST", "/api/v1/extensions/:id/refuse", act_extension_refuse, CHANGE | JSON | KIB(16), "extension.decide" },
	{ "GET", "/api/v1/problems/:id/comments", api_comments, 0, NULL },
	{ "POST", "/api/v1/problems/:id/comments", act_comment_write, CHANGE | JSON | KIB(16), "comment.write" },
	{ "PATCH", "/api/v1/comments/:id", act_comment_edit, CHANGE | JSON | KIB(16), "comment.edit" },
	{ "POST", "/api/v1/comments/:id/remove", act_comment_remove, CHANGE | JSON | KIB(2), "comment.remove" },
	{ "GET", "/api/v1/problems", api_problems, 0, NULL },
	{ "GET", "/api/v1/problems/similar", api_similar, 0, NULL },
	{ "GET", "/api/v1/problems/:id", api_problem, 0, NULL },
	{ "POST", "/api/v1/problems", api_proposal_create, CHANGE | KIB(16), "problem.propose" },
	{ "POST", "/api/v1/public/problems", api_public_proposal_create, SENDER | KIB(16), "problem.propose" },
	{ "POST", "/api/v1/problems/transitions", api_transitions, CHANGE | KIB(8), "problem.screen" },
	{ "POST", "/api/v1/problems/carry", api_carry, CHANGE | KIB(8), "batch.manage" },
	{ "POST", "/api/v1/problems/:id/transitions", api_transition, CHANGE | KIB(4), "problem.screen" },
	{ "PATCH", "/api/v1/problems/:id", api_screen_update, CHANGE | KIB(2), "problem.screen" },
	{ "GET", "/api/v1/problems/:id/claims", api_problem_claims, 0, NULL },
	{ "POST", "/api/v1/problems/:id/claims", api_claim_apply, CHANGE | KIB(256), "claim.apply" },
	{ "GET", "/api/v1/claims/:id", api_claim, 0, NULL },
	{ "POST", "/api/v1/claims/:id/endorse", api_claim_act, CHANGE | KIB(4), "claim.endorse" },
	{ "POST", "/api/v1/claims/:id/approve", api_claim_act, CHANGE | KIB(4), "claim.approve" },
	{ "POST", "/api/v1/claims/:id/reject", api_claim_act, CHANGE | KIB(4), "claim.approve" },
	{ "POST", "/api/v1/claims/:id/accept-assignment", api_claim_act, CHANGE | KIB(4), "claim.respond" },
	{ "POST", "/api/v1/claims/:id/decline-assignment", api_claim_act, CHANGE | KIB(4), "claim.respond" },
	{ "POST", "/api/v1/claims/:id/sign", api_claim_act, CHANGE | KIB(4), "claim.sign" },
	{ "POST", "/api/v1/claims/:id/withdraw", api_claim_act, CHANGE | KIB(4), "claim.withdraw" },
	{ "POST", "/api/v1/claims/:id/return", api_claim_act, CHANGE | KIB(4), "claim.return" },
	{ "POST", "/api/v1/claims/:id/progress", api_claim_progress, CHANGE | JSON | MULTIPART | KIB(64), "claim.progress" },
	{ "POST", "/api/v1/claims/:id/solve", api_claim_solve, CHANGE | JSON | MULTIPART | KIB(64), "claim.solve" },
	{ "GET", "/api/v1/proposals/:id", api_proposal, LOGIN, NULL },
	{ "POST", "/api/v1/proposals/:id/revise", api_proposal_revise, CHANGE | KIB(16), "problem.revise" },
	{ "GET", "/api/v1/me/proposals", api_my_proposals, LOGIN, NULL },
	{ "GET", "/api/v1/notifications", api_notifications, LOGIN, NULL },
	{ "POST", "/api/v1/notifications/read", api_notifications_read, CHANGE | KIB(1), "notification.read" },
	{ "POST", "/api/v1/notifications/:id/read", api_notification_read, CHANGE | KIB(1), "notification.read" },
	{ "GET", "/api/v1/batches/:id/publications", api_publications, LOGIN, NULL },
	{ "GET", "/api/v1/stats", api_stats, 0, NULL },
	{ "GET", "/api/v1/files/:sha256", page_file, 0, NULL },
	{ "POST", "/api/v1/session", act_login, FIRST | SLOW | JSON | KIB(4), "session.create" },
	{ "DELETE", "/api/v1/session", act_logout, CHANGE | FIRST, "session.delete" },
	{ "GET", "/api/v1/me", api_me, LOGIN | FIRST, NULL },
	{ "POST", "/api/v1/me/password", act_password, CHANGE | FIRST | SLOW | JSON | KIB(8), "account.password" },
	{ "GET", "/api/v1/tokens", api_tokens, LOGIN, NULL },
	{ "POST", "/api/v1/tokens", act_token_create, CHANGE | JSON | KIB(2), "token.manage" },
	{ "DELETE", "/api/v1/tokens/:id", act_token_revoke, CHANGE, "token.manage" },
	{ "GET", "/api/v1/batches", page_batches, LOGIN, NULL },
	{ "POST", "/api/v1/batches", act_batch_create, CHANGE | JSON | KIB(16), "batch.manage" },
	{ "GET", "/api/v1/batches/:id", page_batch, LOGIN, NULL },
	{ "PATCH", "/api/v1/batches/:id", act_batch_update, CHANGE | JSON | KIB(16), "batch.manage" },
	{ "GET", "/api/v1/users", page_users, LOGIN, NULL },
	{ "POST", "/api/v1/users", act_user_create, CHANGE | SLOW | JSON | KIB(4), "user.manage" },
	{ "GET", "/api/v1/users/:id", page_user, LOGIN, NULL },
	{ "POST", "/api/v1/users/:id/disable", act_user_disable, CHANGE | JSON | KIB(1), "user.manage" },
	{ "POST", "/api/v1/users/:id/enable", act_user_enable, CHANGE | JSON | KIB(1), "user.manage" },
	{ "POST", "/api/v1/users/:id/roles", act_user_roles, CHANGE | JSON | KIB(2), "user.manage" },
	{ "POST", "/api/v1/users/:id/link", act_user_link, CHANGE | JSON | KIB(2), "user.manage" },
	{ "POST", "/api/v1/users/:id/reset-password", act_user_reset, CHANGE | SLOW | JSON | KIB(1), "user.manage" },
	{ "GET", "/api/v1/audit", page_audit, LOGIN, NULL },
	{ "GET", "/api/v1/persons", api_persons, LOGIN, NULL },
	{ "POST", "/api/v1/feedback", act_feedback_submit, SENDER | JSON | KIB(16), "complaint.create" },
	{ "GET", "/api/v1/feedback/:ref", page_feedback_lookup, 0, NULL },
	{ "GET", "/api/v1/me/feedback", page_my_feedback, LOGIN, NULL },
	{ "GET", "/api/v1/admin/feedback", page_feedback_queue, LOGIN, NULL },
	{ "GET", "/api/v1/admin/feedback/:id", page_feedback_item, LOGIN, NULL },
	{ "POST", "/api/v1/feedback/:id/answer", act_feedback_answer, CHANGE | JSON | KIB(16), "complaint.answer" },
	{ "GET", "/healthz", api_healthz, NO_TENANT, NULL },
};
const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
