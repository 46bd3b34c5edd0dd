/* deliver.c - POST one message to a robot or webhook (deliver.h). */
#include "net/deliver.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "util/egress.h"
#include "util/buf.h"

#define REPLY_MAX 4096  /* bytes of the answer kept to read errcode */

void deliver_hmac(const char *key, const unsigned char *msg, size_t len, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, out);
}

void deliver_dingtalk_sign(const char *secret, long long ts_ms, char *out, size_t outlen)
{
	unsigned char mac[32];
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	buf msg = BUF_INIT;
	char *esc;

	buf_printf(&msg, "%lld\n%s", ts_ms, secret);
	deliver_hmac(secret, (const unsigned char *)msg.s, msg.len, mac);
	buf_release(&msg);
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	esc = curl_easy_escape(NULL, b64, 0);
	snprintf(out, outlen, "%s", esc ? esc : "");
	curl_free(esc);
}

static size_t keep_reply(char *p, size_t size, size_t n, void *arg)
{
	buf *b = arg;
	size_t len = size * n;

	if (b->len < REPLY_MAX)
		buf_add(b, p, len < REPLY_MAX - b->len ? len : REPLY_MAX - b->len);
	return len;
}

/* Refuse connections to addresses the policy forbids (DNS rebinding). */
static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	if (purpose != CURLSOCKTYPE_IPCXN || !egress_addr_allowed(&a->addr))
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* A robot's answer: HTTP 200 and {"errcode": 0}. */
static bool robot_ok(long status, const buf *reply, char *err, size_t errlen)
{
	json_t *v, *code, *msg;
	bool ok;

	if (status != 200) {
		snprintf(err, errlen, "HTTP %ld", status);
		return false;
	}
	v = json_loadb(reply->s ? reply->s : "", reply->len, 0, NULL);
	code = v ? json_object_get(v, "errcode") : NULL;
	ok = json_is_integer(code) && json_integer_value(code) == 0;
	if (!ok) {
		msg = v ? json_object_get(v, "errmsg") : NULL;
		snprintf(err, errlen, "errcode %lld: %.200s", code ? (long long)json_integer_value(code) : -1LL,
			 json_is_string(msg) ? json_string_value(msg) : "回复不是机器人的 JSON");
	}
	json_decref(v);
	return ok;
}

bool deliver(const struct delivery *x, long timeout_ms, char *err, size_t errlen)
{
	bool dingtalk = !strcmp(x->kind, "dingtalk"), webhook = !strcmp(x->kind, "webhook");
	struct curl_slist *h = NULL;
	buf url = BUF_INIT, reply = BUF_INIT, line = BUF_INIT;
	CURL *e = curl_easy_init();
	CURLcode rc;
	long status = 0;
	bool ok = false;

	if (!e) {
		snprintf(err, errlen, "curl_easy_init failed");
		return false;
	}
	buf_puts(&url, x->url);
	if (dingtalk && *x->secret) {
		char sign[128];
		long long ts = now_ms();
		deliver_dingtalk_sign(x->secret, ts, sign, sizeof(sign));
		buf_printf(&url, "%stimestamp=%lld&sign=%s", strchr(x->url, '?') ? "&" : "?", ts, sign);
	}
	h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
	h = curl_slist_append(h, "Expect:");
	if (webhook) {
		buf_printf(&line, "X-Jiebang-Event: %s", x->event);
		h = curl_slist_append(h, line.s);
		buf_reset(&line);
		buf_printf(&line, "X-Jiebang-Delivery: %s", x->delivery_id);
		h = curl_slist_append(h, line.s);
		if (*x->secret) {
			unsigned char mac[32];
			char hex[65];
			deliver_hmac(x->secret, (const unsigned char *)x->body, strlen(x->body), mac);
			sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
			buf_reset(&line);
			buf_printf(&line, "X-Jiebang-Signature: sha256=%s", hex);
			h = curl_slist_append(h, line.s);
		}
	}
	curl_easy_setopt(e, CURLOPT_URL, url.s);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(x->body));
	curl_easy_setopt(e, CURLOPT_USERAGENT, "jiebang-outbox");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_reply);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &reply);
	rc = curl_easy_perform(e);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", rc == CURLE_COULDNT_CONNECT ? "无法连接（或地址不被允许）" : curl_easy_strerror(rc));
	else {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		if (webhook) {
			ok = status >= 200 && status < 300;
			if (!ok)
				snprintf(err, errlen, "HTTP %ld", status);
		} else
			ok = robot_ok(status, &reply, err, errlen);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(e);
	buf_release(&url);
	buf_release(&reply);
	buf_release(&line);
	return ok;
}
