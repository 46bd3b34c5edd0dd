/* demo.h - the 滦南县 2022 "百名干部破百题" campaign as demo data, and this
 * year's batch open for proposals.
 *
 * The figures are the report's (shared/seed): 104 problems in 8 categories,
 * 86 claimed (28/9/16/10/10/4/1/8), 33 solved, claims by 62 county
 * departments and 17 towns, task forces with 209 section-level and 43
 * below-section cadres, 6 promotions, and the four named cases with their
 * figures. People's names are synthetic. The 2022 batch is closed as of
 * 2022-08-31 (the report's "截至2022年8月"), so its figures and overdue
 * nodes are those of that day (batch_as_of). Batch 2 is this year's
 * (2026年第一批 in 2026), in 征集 by hand, with six proposals not yet public
 * (five from units by the demo logins, one from a resident with a phone);
 * they are not on the board and not in the figures. The content is the
 * same on every run and on both stores for the same now: ids are 1..n per
 * table (tenant 1), the 2022 times are fixed UTC epoch seconds up to
 * 2022-08-31, the current batch's follow now, money is in fen.
 *
 * The campaign is played through the workflow's verbs, each step at its
 * moment (ctx.now) and only where the rules allow it then, so the demo is
 * also a test of the workflow: every problem is proposed by its unit in
 * 征集 (proposal_create), selected in 遴选 and published in one round on
 * the first day of 发榜揭榜 by the 组织部 (screen_apply_many); a claim is
 * applied for by its owner in 发榜揭榜 (claim_apply, 自荐), approved by the
 * 组织部 (which turns the competing applications down), signed by the
 * owner and a day later by the lead (claim_act), reported on by the owner
 * (claim_progress, cumulative figures and milestones done) and declared
 * solved by the owner (claim_solve: a solved claim's last entry). The few
 * claimed late without a pledge are 组织点将: assigned by the 组织部 in
 * 攻坚 (self-applying is closed then) and accepted by their owner; they
 * have no progress yet (a team reports once it has signed). Only the
 * tables no verb writes are written directly: tenant, batches and phases,
 * categories, units and people (promotions go through their verb).
 *
 * Who acts: the demo's people have no accounts. Each acts as a cadre
 * under a placeholder account id below zero (never an account's) whose
 * login is the person's name, so the audit log names the person; a unit
 * proposes as its unit administrator by the unit's name; the 组织部's
 * steps and this year's proposals are by the demo logins (admin ...)
 * before their accounts exist. The placeholders are cleared after each
 * stage: what they proposed or applied for has no account
 * (proposer_user_id, applicant_user_id NULL), and nobody is notified.
 *
 * Conventions the demo follows (other modules read it the same way):
 * progress_value.value is the cumulative figure as of that progress entry,
 * so a metric's achieved equals its latest value; the claim that took a
 * problem is the one in state approved/signed/solved (claimed/in_progress/
 * solved); id_seq holds the last id used, so db_next_id() continues. */
#ifndef JB_DEMO_H
#define JB_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* Creates the 滦南 2022 demo campaign in an empty, migrated store, in one
 * write transaction that the verbs join (they also fill the search
 * index). Returns 0, or -1 with a one-line reason in err and the store
 * unchanged: a store that already has a tenant is refused, and a step a
 * verb refuses fails the whole demo with the verb, the problem, the actor
 * and the verb's own message. */
int demo_create(db *d, char *err, size_t errlen) __attribute__((warn_unused_result));
/* The same with the current batch as of now (demo_create: the clock). */
int demo_create_at(db *d, int64_t now, char *err, size_t errlen) __attribute__((warn_unused_result));

/* The current batch's proposals made by a demo login name it in their
 * audit entries (the logins are created after the demo): point each one's
 * proposer_user_id at that login's account, once the accounts exist
 * (demo_users_create). 0 or -1. */
int demo_proposers_link(db *d, int64_t tenant_id) __attribute__((warn_unused_result));

/* The 2022 batch's panel 「2022年度考评组」 (evaluate.h), formed by the admin
 * login through the verbs once the accounts exist (demo_users_create): the
 * evaluator logins (evaluator, evaluator2..5) with every solved claim of
 * the batch assigned to it for the final stage, nothing scored or
 * accepted, so that a new user can score and accept. 0, or -1 with a
 * one-line reason in err. */
int demo_panel_create(db *d, int64_t tenant_id, char *err, size_t errlen) __attribute__((warn_unused_result));

#endif
