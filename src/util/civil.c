/* civil.c - civil dates as day numbers (civil.h). */
#include "util/civil.h"

int64_t civil_days(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

int civil_weekday(int64_t z)
{
	int64_t w = (z + 4) % 7; /* 1970-01-01 was a Thursday */

	return (int)(w < 0 ? w + 7 : w);
}

int civil_month_days(int64_t y, int64_t m)
{
	return (int)(civil_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - civil_days(y, m, 1));
}

int64_t civil_local_day(int64_t t)
{
	int64_t s = t + CIVIL_TZ_OFFSET;

	return (s >= 0 ? s : s - (CIVIL_DAY - 1)) / CIVIL_DAY;
}

int64_t civil_midnight(int64_t z)
{
	return z * CIVIL_DAY - CIVIL_TZ_OFFSET;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool civil_parse(const char *s, int64_t *z)
{
	int y, m, d;

	if (!s)
		return false;
	for (int i = 0; i < 10; i++)
		if (!s[i])
			return false;
	if (s[4] != '-' || s[7] != '-' || s[10] != '\0')
		return false;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > civil_month_days(y, m))
		return false;
	*z = civil_days(y, m, d);
	return true;
}

char *civil_format(int64_t z, char out[CIVIL_DATE_LEN])
{
	int64_t y, m, d;

	unsigned yy, mm, dd;

	civil_from_days(z, &y, &m, &d);
	yy = (unsigned)(y < 0 ? 0 : y % 10000);
	mm = (unsigned)m % 100;
	dd = (unsigned)d % 100;
	out[0] = (char)('0' + yy / 1000);
	out[1] = (char)('0' + yy / 100 % 10);
	out[2] = (char)('0' + yy / 10 % 10);
	out[3] = (char)('0' + yy % 10);
	out[4] = '-';
	out[5] = (char)('0' + mm / 10);
	out[6] = (char)('0' + mm % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
	return out;
}
