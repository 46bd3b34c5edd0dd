/* asof.h - the moment a batch's figures describe, as an SQL expression, so
 * that queries over many batches (the board, the statistics) judge each row
 * as of its own batch.
 *
 * BATCH_AS_OF_SQL(b, now) is batch_as_of() (batch.h) in SQL, for the batch
 * row aliased b at now (an SQL expression such as "$7"): a closed batch is
 * as of the end of its last dated phase before 结束 (its closes_at when no
 * such phase is dated) if that has passed; any other batch as of now. A
 * batch is closed when its phase is set to 结束 by hand, or when it follows
 * its dates (by_dates) and its 结束 phase has begun: 结束 is the last phase
 * and dated phases do not overlap, so batch_phase_now() then answers 结束.
 * No column stores the moment, because a batch that follows its dates
 * closes as time passes, without a write. tests/unit/test_asof.c pins the
 * expression to batch_as_of() on both stores.
 *
 * Overdue (a milestone not done, due before that moment, on a problem being
 * worked on) is judged at it, so a batch closed in August 2022 shows what
 * was overdue then, not everything still open today. */
#ifndef JB_ASOF_H
#define JB_ASOF_H

#include "domain/state.h"

/* Whether batch b is closed at now. */
#define BATCH_CLOSED_SQL(b, now) \
	"((" b ".by_dates = 0 AND " b ".phase = " PHASE_SQL_CLOSED ")" \
	" OR (" b ".by_dates <> 0 AND EXISTS (SELECT 1 FROM batch_phase bpc WHERE bpc.tenant_id = " b ".tenant_id" \
	" AND bpc.batch_id = " b ".id AND bpc.phase = " PHASE_SQL_CLOSED " AND bpc.starts_at <> 0" \
	" AND bpc.starts_at <= " now ")))"

/* The end of batch b's work: its last dated phase before 结束, else closes_at. */
#define BATCH_END_SQL(b) \
	"coalesce((SELECT max(bpe.ends_at) FROM batch_phase bpe WHERE bpe.tenant_id = " b ".tenant_id" \
	" AND bpe.batch_id = " b ".id AND bpe.phase <> " PHASE_SQL_CLOSED " AND bpe.ends_at > 0), " b ".closes_at)"

#define BATCH_AS_OF_SQL(b, now) \
	"(CASE WHEN " BATCH_CLOSED_SQL(b, now) " AND " BATCH_END_SQL(b) " > 0 AND " BATCH_END_SQL(b) " < " now \
	" THEN " BATCH_END_SQL(b) " ELSE " now " END)"

#endif
