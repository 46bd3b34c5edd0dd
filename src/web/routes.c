/* routes.c - the route table: method, pattern, handler, preconditions
 * (checked by web/preconditions.c), the action audited when a
 * precondition refuses, and the body the route reads with its cap. */
#include "web/routes.h"

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
	{ "GET", "/problems/:id/claim", page_claim_form, LOGIN, NULL },
	{ "POST", "/problems/:id/claim", act_claim_apply, CHANGE | FORM | KIB(256), "claim.apply" },
	{ "GET", "/problems/:id/claims", page_problem_claims, LOGIN, NULL },
	{ "GET", "/claims/:id", page_claim, 0, NULL },
	{ "GET", "/claims/:id/pledge", page_claim_pledge, 0, NULL },
	{ "POST", "/claims/:id/endorse", act_claim_act, CHANGE | FORM | KIB(4), "claim.endorse" },
	{ "POST", "/claims/:id/approve", act_claim_act, CHANGE | FORM | KIB(4), "claim.approve" },
	{ "POST", "/claims/:id/reject", act_claim_act, CHANGE | FORM | KIB(4), "claim.approve" },
	{ "POST", "/claims/:id/accept-assignment", act_claim_act, CHANGE | FORM | KIB(4), "claim.respond" },
	{ "POST", "/claims/:id/decline-assignment", act_claim_act, CHANGE | FORM | KIB(4), "claim.respond" },
	{ "POST", "/claims/:id/sign", act_claim_act, CHANGE | FORM | KIB(4), "claim.sign" },
	{ "POST", "/claims/:id/withdraw", act_claim_act, CHANGE | FORM | KIB(4), "claim.withdraw" },
	{ "POST", "/claims/:id/return", act_claim_act, CHANGE | FORM | KIB(4), "claim.return" },
	{ "GET", "/claims/:id/progress", page_claim_progress, LOGIN, NULL },
	{ "POST", "/claims/:id/progress", act_claim_progress, CHANGE | FORM | KIB(64), "claim.progress" },
	{ "GET", "/claims/:id/solve", page_claim_solve, LOGIN, NULL },
	{ "POST", "/claims/:id/solve", act_claim_solve, CHANGE | FORM | KIB(64), "claim.solve" },
	{ "GET", "/feedback", page_feedback, 0, NULL },
	{ "POST", "/feedback", act_feedback_submit, SENDER | FORM | KIB(16), "complaint.create" },
	{ "GET", "/feedback/lookup", page_feedback_lookup, 0, NULL },
	{ "GET", "/me/feedback", page_my_feedback, LOGIN, NULL },
	{ "GET", "/admin/feedback", page_feedback_queue, LOGIN, NULL },
	{ "GET", "/admin/feedback/:id", page_feedback_item, LOGIN, NULL },
	{ "POST", "/admin/feedback/:id", act_feedback_answer, CHANGE | FORM | KIB(16), "complaint.answer" },
	{ "GET", "/api/v1/problems", api_problems, 0, NULL },
	{ "GET", "/api/v1/problems/similar", api_similar, 0, NULL },
	{ "GET", "/api/v1/problems/:id", api_problem, 0, NULL },
	{ "POST", "/api/v1/problems", api_proposal_create, CHANGE | KIB(16), "problem.propose" },
	{ "POST", "/api/v1/public/problems", api_public_proposal_create, SENDER | KIB(16), "problem.propose" },
	{ "POST", "/api/v1/problems/transitions", api_transitions, CHANGE | KIB(8), "problem.screen" },
	{ "POST", "/api/v1/problems/carry", api_carry, CHANGE | KIB(8), "batch.manage" },
	{ "POST", "/api/v1/problems/:id/transitions", api_transition, CHANGE | KIB(4), "problem.screen" },
	{ "PATCH", "/api/v1/problems/:id", api_screen_update, CHANGE | KIB(2), "problem.screen" },
	{ "GET", "/api/v1/proposals/:id", api_proposal, LOGIN, NULL },
	{ "POST", "/api/v1/proposals/:id/revise", api_proposal_revise, CHANGE | KIB(16), "problem.revise" },
	{ "GET", "/api/v1/me/proposals", api_my_proposals, LOGIN, NULL },
	{ "GET", "/api/v1/notifications", api_notifications, LOGIN, NULL },
	{ "POST", "/api/v1/notifications/read", api_notifications_read, CHANGE | KIB(1), "notification.read" },
	{ "POST", "/api/v1/notifications/:id/read", api_notification_read, CHANGE | KIB(1), "notification.read" },
	{ "GET", "/api/v1/batches/:id/publications", api_publications, LOGIN, NULL },
	{ "GET", "/api/v1/stats", api_stats, 0, NULL },
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
	{ "GET", "/api/v1/people", api_people, LOGIN, NULL },
	{ "POST", "/api/v1/feedback", act_feedback_submit, SENDER | JSON | KIB(16), "complaint.create" },
	{ "GET", "/api/v1/feedback/:ref", page_feedback_lookup, 0, NULL },
	{ "GET", "/api/v1/me/feedback", page_my_feedback, LOGIN, NULL },
	{ "GET", "/api/v1/admin/feedback", page_feedback_queue, LOGIN, NULL },
	{ "GET", "/api/v1/admin/feedback/:id", page_feedback_item, LOGIN, NULL },
	{ "POST", "/api/v1/feedback/:id/answer", act_feedback_answer, CHANGE | JSON | KIB(16), "complaint.answer" },
	{ "GET", "/healthz", api_healthz, NO_TENANT, NULL },
};
const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
