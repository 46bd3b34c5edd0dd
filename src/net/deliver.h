/* deliver.h - one HTTP POST of an outbox row to its robot or webhook,
 * over libcurl, signed as the receiver expects:
 *   dingtalk: &timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256(secret,
 *             timestamp "\n" secret)> appended when a secret is set;
 *             success is HTTP 200 with errcode 0;
 *   wecom:    the key is in the URL; HTTP 200 with errcode 0;
 *   webhook:  X-Jiebang-Event, X-Jiebang-Delivery and (with a secret)
 *             X-Jiebang-Signature: sha256=<hex HMAC-SHA256(secret, body)>;
 *             success is any 2xx.
 * No redirects are followed; every connection's address passes
 * util/egress.h. Blocks for at most timeout_ms. Thread-safe (one easy
 * handle per call; curl_global_init is done once by the worker). */
#ifndef JB_DELIVER_H
#define JB_DELIVER_H

#include <stdbool.h>
#include <stddef.h>

struct delivery {
	const char *kind, *url, *secret, *event, *delivery_id, *body;
};

/* Sign HMAC-SHA256(key, msg) into out (32 bytes). */
void deliver_hmac(const char *key, const unsigned char *msg, size_t len, unsigned char out[32]);
/* The DingTalk signature of ts_ms with secret, URL-encoded, into out. */
void deliver_dingtalk_sign(const char *secret, long long ts_ms, char *out, size_t outlen);

/* POST it. true on success; else why (zh-CN/technical, short) in err. */
bool deliver(const struct delivery *x, long timeout_ms, char *err, size_t errlen);

#endif
