/* egress.c - the outgoing address policy (egress.h). */
#include "util/egress.h"

#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static atomic_bool allow_private;

void egress_set_allow_private(bool allow)
{
	atomic_store(&allow_private, allow);
}

bool egress_allow_private(void)
{
	return atomic_load(&allow_private);
}

/* a.b.c.d as a host-order integer: public or not. */
static bool v4_public(uint32_t a)
{
	static const struct { uint32_t net, mask; } bad[] = {
		{ 0x00000000, 0xff000000 }, /* 0/8 "this network" */
		{ 0x0a000000, 0xff000000 }, /* 10/8 */
		{ 0x64400000, 0xffc00000 }, /* 100.64/10 CGNAT */
		{ 0x7f000000, 0xff000000 }, /* 127/8 loopback */
		{ 0xa9fe0000, 0xffff0000 }, /* 169.254/16 link-local (cloud metadata) */
		{ 0xac100000, 0xfff00000 }, /* 172.16/12 */
		{ 0xc0000000, 0xffffff00 }, /* 192.0.0/24 */
		{ 0xc0a80000, 0xffff0000 }, /* 192.168/16 */
		{ 0xc6120000, 0xfffe0000 }, /* 198.18/15 benchmarking */
		{ 0xe0000000, 0xe0000000 }, /* 224/3 multicast, reserved, broadcast */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if ((a & bad[i].mask) == bad[i].net)
			return false;
	return true;
}

static bool v6_public(const unsigned char *b)
{
	static const unsigned char zero[16], mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff },
				     nat64[12] = { 0, 0x64, 0xff, 0x9b };

	if (!memcmp(b, mapped, 12) || !memcmp(b, nat64, 12))
		return v4_public((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);
	if (!memcmp(b, zero, 15))           /* :: and ::1 */
		return false;
	if ((b[0] & 0xfe) == 0xfc)          /* fc00::/7 unique local */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* fe80::/10 link-local */
		return false;
	if (b[0] == 0xff)                   /* multicast */
		return false;
	return true;
}

bool egress_addr_allowed(const struct sockaddr *sa)
{
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return false;
	if (egress_allow_private())
		return true;
	if (sa->sa_family == AF_INET)
		return v4_public(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
	return v6_public(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
}

/* The host's addresses all allowed: NULL, else why not. */
static const char *host_check(const char *host)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	const char *why = NULL;

	if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
		return "无法解析这个地址的主机名";
	for (struct addrinfo *p = res; p && !why; p = p->ai_next)
		if (!egress_addr_allowed(p->ai_addr))
			why = "不能发往本机、内网或保留地址（部署方可以设置 webhook_allow_private = 1 允许）";
	freeaddrinfo(res);
	return why;
}

const char *egress_url_check(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	const char *why = NULL;

	if (!u)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		why = "地址格式不正确，应以 http:// 或 https:// 开头";
	else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
		 (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")))
		why = "只能使用 http:// 或 https:// 地址";
	else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host)
		why = "地址缺少主机名";
	else {
		/* IPv6 literals come back in brackets. */
		size_t n = strlen(host);
		if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
			memmove(host, host + 1, n - 2);
			host[n - 2] = 0;
		}
		why = host_check(host);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return why;
}
