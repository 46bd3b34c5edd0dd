/* certificate.h - the acceptance certificate (验收证书) of an accepted
 * claim: what it states beside the claim itself (claim_get()).
 *
 * Its number is 〔year〕验字第N号: year is the year of the acceptance
 * (evaluated_at, Asia/Shanghai) and N the claim's place among the
 * tenant's claims accepted that year, in the order they were accepted
 * (then by id), so numbers run 1, 2, 3 ... each year. */
#ifndef JB_CERTIFICATE_H
#define JB_CERTIFICATE_H

#include <stdint.h>

#include "domain/action.h"
#include "domain/claim.h"

struct certificate {
	int64_t score;            /* hundredths */
	const char *grade;        /* a code of grades[] (rubric.h), "" when none */
	int64_t evaluated_at;
	int year;                 /* of evaluated_at */
	int64_t number;           /* N of 〔year〕验字第N号 */
	const char *county;       /* the tenant's name */
};

/* Claim id as c->who may see it (claim_get()) and its certificate.
 * JB_OK; JB_ENOTFOUND when the reader may not see it or it is not
 * accepted (the message says which: 这项揭榜尚未通过验收); store errors as
 * claim_get(). county: the tenant's name, kept as it is. */
int certificate_get(struct ctx *c, int64_t id, const char *county, struct claim_detail *d, struct certificate *out)
	__attribute__((warn_unused_result));

#endif
