/* totp.c - two-factor log-in on the account page (domain/totp.h): enrol
 * by a QR code (SVG drawn from libqrencode's modules) or the key typed in,
 * confirm with a code, recovery codes shown once, new recovery codes, and
 * turning it off with a code. The log-in's second step is in auth.c. */
#include "web/web.h"

#include <qrencode.h>
#include <sodium.h>
#include <string.h>

#include "domain/perm.h"
#include "domain/session.h"
#include "domain/totp.h"
#include "http/form.h"
#include "web/fields.h"
#include "web/widgets.h"

#define QR_QUIET 4 /* modules of white around the symbol */

/* otpauth://totp/jiebang:LOGIN?secret=...&issuer=jiebang (Key Uri Format). */
static const char *otpauth_uri(struct req *r, const char *login, const char *secret)
{
	buf b = BUF_INIT;
	const char *s;

	buf_puts(&b, "otpauth://totp/" TOTP_ISSUER ":");
	buf_url(&b, login);
	buf_puts(&b, "?secret=");
	buf_puts(&b, secret);
	buf_puts(&b, "&issuer=" TOTP_ISSUER "&algorithm=SHA1&digits=6&period=30");
	s = arena_strdup(r->a, b.s);
	buf_release(&b);
	return s;
}

/* The QR code of text as an inline SVG: one path of unit squares. */
static void qr_svg(struct req *r, const char *text, const char *label)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	buf *b = &r->out;
	int w;

	if (!q) {
		HTML(b, "<p class=\"error\">二维码无法生成，请在身份验证器中手动输入下面的密钥。</p>\n");
		return;
	}
	w = q->width + 2 * QR_QUIET;
	buf_printf(b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
		      " role=\"img\" aria-labelledby=\"qr-title\" shape-rendering=\"crispEdges\"><title id=\"qr-title\">",
		   w, w, w * 5, w * 5);
	buf_html(b, label);
	buf_printf(b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", w, w);
	/* each run of dark modules in a row is one rectangle */
	for (int y = 0; y < q->width; y++) {
		for (int x = 0; x < q->width;) {
			int n = 0;

			while (x + n < q->width && (q->data[y * q->width + x + n] & 1))
				n++;
			if (n)
				buf_printf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, n, n);
			x += n ? n : 1;
		}
	}
	HTML(b, "\"/></svg>\n");
	QRcode_free(q);
}

/* The key in groups of four, as apps that take it typed show it. */
static void key_groups(buf *b, const char *secret)
{
	for (int i = 0; secret[i]; i++) {
		if (i && i % 4 == 0)
			buf_putc(b, ' ');
		buf_putc(b, secret[i]);
	}
}

static void code_field(buf *b, const char *id, const char *label)
{
	HTML(b, "<label>");
	buf_html(b, label);
	HTML(b, "<input name=\"code\" id=\"");
	buf_html(b, id);
	HTML(b, "\" autocomplete=\"one-time-code\" required maxlength=\"32\"></label>");
}

void totp_section(struct req *r)
{
	struct totp_state s;
	buf *b = &r->out;

	HTML(b, "<h2 id=\"totp\">两步验证</h2>\n");
	if (totp_get(r->db, r->a, r->tenant_id, r->who->user_id, &s) < 0) {
		HTML(b, "<p class=\"error\">两步验证的状态暂时无法读取，请稍后再试。</p>\n");
		return;
	}
	if (req_query(r, "totp_off"))
		HTML(b, "<p class=\"notice\" role=\"status\">两步验证已关闭。</p>\n");
	if (!s.enabled) {
		if (r->who->totp_required)
			HTML(b, "<p class=\"notice error-notice\" role=\"alert\">本单位要求管理员和联络员启用两步验证。"
				"启用之前，本账号不能进行其他操作。</p>\n");
		HTML(b, "<p>未启用。启用后，登录时除了密码，还要输入手机上身份验证器（腾讯身份验证器、Microsoft Authenticator、"
			"Google 身份验证器等）显示的 6 位验证码；密码泄露时别人也无法登录。</p>\n");
		if (r->csrf)
			html_button_form(r, "/account/totp/enrol", "启用两步验证", false);
		return;
	}
	HTML(b, "<p>已启用。登录时需要输入身份验证器上的验证码。</p>\n");
	buf_printf(b, "<p class=\"muted\">剩余恢复码 %d 个（每个只能用一次）。恢复码用完或遗失时，请重新生成。</p>\n",
		   s.recovery_left);
	if (!r->csrf)
		return;
	form_open(r, "/account/totp/recovery");
	code_field(b, "totp-renew-code", "身份验证器上当前的验证码");
	HTML(b, "<button type=\"submit\">重新生成恢复码</button></form>\n");
	form_open(r, "/account/totp/disable");
	code_field(b, "totp-off-code", "验证码或恢复码");
	HTML(b, "<button type=\"submit\" class=\"danger\">关闭两步验证</button></form>\n");
}

static bool totp_perm_or_respond(struct req *r)
{
	struct perm_target t = { r->tenant_id, r->who->unit_id, r->who->user_id, false };

	return perm_or_respond(r, "account.totp", "user", r->who->user_id, &t);
}

void page_totp(struct req *r)
{
	buf *b = &r->out;

	page_begin(r, "两步验证", NAV_ACCOUNT);
	HTML(b, "<h1>两步验证</h1>\n");
	totp_section(r);
	HTML(b, "<p><a href=\"");
	html_path(b, r, "/account");
	HTML(b, "\">返回我的账号</a></p>\n");
	page_end(r);
}

/* An enrolment under way: the QR code, the key, the code to confirm. */
struct enrolment {
	const char *secret, *error;
};

static json_t *enrolment_json(struct req *r, const void *outcome)
{
	const struct enrolment *e = outcome;

	return json_pack("{s:s, s:s}", "secret", e->secret, "otpauth_uri", otpauth_uri(r, r->who->login, e->secret));
}

static void enrolment_page(struct req *r, const void *outcome, int status)
{
	const struct enrolment *e = outcome;
	buf *b = &r->out;

	r->no_store = true;
	page_begin(r, "启用两步验证", NAV_ACCOUNT);
	HTML(b, "<h1>启用两步验证</h1>\n");
	if (e->error) {
		HTML(b, "<p class=\"notice error-notice\" role=\"alert\">");
		buf_html(b, e->error);
		HTML(b, "</p>\n");
	}
	HTML(b, "<ol class=\"steps\">\n<li><p>在手机上打开身份验证器（腾讯身份验证器、Microsoft Authenticator、Google 身份验证器等），"
		"选择“扫描二维码”，扫描下图：</p>\n");
	qr_svg(r, otpauth_uri(r, r->who->login, e->secret),
	       arena_printf(r->a, "两步验证二维码：账号 %s 的密钥（无法扫码时请手动输入下方密钥）", r->who->login));
	HTML(b, "<p>无法扫码时，选择“输入设置密钥”（基于时间），账号填 <strong>");
	buf_html(b, r->who->login);
	HTML(b, "</strong>，密钥：</p>\n<p class=\"secret\"><code id=\"totp-secret\">");
	key_groups(b, e->secret);
	HTML(b, "</code></p></li>\n<li><p>输入应用上显示的 6 位验证码，确认启用：</p>\n");
	form_open(r, "/account/totp/confirm");
	HTML(b, "<label>验证码<input name=\"code\" autocomplete=\"one-time-code\" inputmode=\"numeric\" required"
		" maxlength=\"8\" pattern=\"[0-9 ]{6,8}\" autofocus></label>"
		"<button type=\"submit\">确认启用</button></form></li>\n</ol>\n<p><a href=\"");
	html_path(b, r, "/account");
	HTML(b, "\">取消</a></p>\n");
	page_finish(r, status);
}

void act_totp_enrol(struct req *r)
{
	char secret[TOTP_B32_CHARS + 1];
	struct enrolment e = { secret, NULL };
	struct totp_state s;
	int rc;

	/* Enrolling locks out whoever lacks the phone: a session that has
	 * not proved the password lately proves it first. */
	if (!totp_perm_or_respond(r) || !reauth_or_ask(r))
		return;
	if ((rc = totp_get(r->db, r->a, r->tenant_id, r->who->user_id, &s)) != 0) {
		web_store_error(r);
		return;
	}
	if (s.enabled) {
		/* a new phone replaces the key only after turning it off, by a code */
		reply_error(r, 409, "totp_on", "两步验证已启用；更换手机请先用验证码或恢复码关闭，再重新启用", NULL);
		return;
	}
	if (totp_enrol_start(r->db, r->tenant_id, r->who->user_id, secret) < 0) {
		web_store_error(r);
		return;
	}
	r->no_store = true;
	present(r, 200, &(struct presentation){ .json = enrolment_json, .page = enrolment_page }, &e);
}

struct code_in {
	const char *code;
};

const struct bind_field totp_code_fields[] = {
	BIND_TEXT(struct code_in, code, "验证码", BIND_REQUIRED, 0, 32),
	BIND_END,
};

/* Recovery codes just made, shown this once. */
static json_t *codes_json(struct req *r, const void *outcome)
{
	const struct totp_codes *c = outcome;
	json_t *a = json_array();

	(void)r;
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++)
		json_array_append_new(a, json_string(c->code[i]));
	return json_pack("{s:o}", "recovery_codes", a);
}

static void codes_page(struct req *r, const void *outcome, int status)
{
	const struct totp_codes *c = outcome;
	buf *b = &r->out;

	r->no_store = true;
	page_begin(r, "恢复码", NAV_ACCOUNT);
	HTML(b, "<h1>请保存恢复码</h1>\n<p>手机丢失或无法使用身份验证器时，可以用下面的恢复码登录，"
		"每个只能使用一次。<strong>恢复码只显示这一次</strong>，请抄写或打印后妥善保管。</p>\n"
		"<ul class=\"recovery-codes\">\n");
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		HTML(b, "<li><code>");
		buf_html(b, c->code[i]);
		HTML(b, "</code></li>\n");
	}
	HTML(b, "</ul>\n<p><a href=\"");
	html_path(b, r, "/account");
	HTML(b, "\">我已保存，返回我的账号</a></p>\n");
	page_finish(r, status);
}

/* The code field of the request, or answered. */
static const char *code_or_respond(struct req *r)
{
	struct code_in f;
	struct ctx c;
	int rc;

	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, totp_code_fields, &f, NULL)) != JB_OK) {
		outcome_error(r, &c, rc);
		return NULL;
	}
	return f.code;
}

static void enrol_refused_page(struct req *r, const void *outcome, int status)
{
	struct totp_state s;
	struct enrolment e = { "", outcome };

	if (totp_get(r->db, r->a, r->tenant_id, r->who->user_id, &s) != 0 || !*s.pending) {
		web_store_error(r);
		return;
	}
	e.secret = s.pending;
	enrolment_page(r, &e, status);
}

void act_totp_confirm(struct req *r)
{
	struct actor by = req_actor(r);
	struct totp_codes codes;
	const char *code;

	if (!totp_perm_or_respond(r) || !(code = code_or_respond(r)))
		return;
	switch (totp_enrol_confirm(r->db, &by, r->who->user_id, code, &codes)) {
	case TOTP_DONE:
		r->no_store = true;
		present(r, 200, &(struct presentation){ .json = codes_json, .page = codes_page }, &codes);
		sodium_memzero(&codes, sizeof(codes));
		return;
	case TOTP_BAD_CODE:
		present_refusal(r, 400, "bad_code", "验证码不正确：请输入身份验证器上当前显示的 6 位数字", "code",
				enrol_refused_page, "验证码不正确：请输入身份验证器上当前显示的 6 位数字");
		return;
	case TOTP_NO_ENROLMENT:
		reply_error(r, 409, "no_enrolment", "没有进行中的启用：请先点击“启用两步验证”", NULL);
		return;
	default:
		web_store_error(r);
		return;
	}
}

/* A refused code on the account page: the page again with the message. */
static void account_refused_page(struct req *r, const void *outcome, int status)
{
	buf *b = &r->out;

	page_begin(r, "两步验证", NAV_ACCOUNT);
	HTML(b, "<h1>两步验证</h1>\n<p class=\"notice error-notice\" role=\"alert\">");
	buf_html(b, outcome);
	HTML(b, "</p>\n");
	totp_section(r);
	page_finish(r, status);
}

static void code_refused(struct req *r, enum totp_result res)
{
	const char *msg = "验证码不正确或已使用过";

	if (res == TOTP_NO_ENROLMENT) {
		reply_error(r, 409, "no_totp", "本账号没有启用两步验证", NULL);
		return;
	}
	if (res != TOTP_BAD_CODE) {
		web_store_error(r);
		return;
	}
	present_refusal(r, 400, "bad_code", msg, "code", account_refused_page, msg);
}

void act_totp_disable(struct req *r)
{
	struct actor by = req_actor(r);
	enum totp_result res;
	const char *code;

	/* a stolen session guessing codes meets the password first */
	if (!totp_perm_or_respond(r) || !reauth_or_ask(r) || !(code = code_or_respond(r)))
		return;
	res = totp_disable(r->db, &by, r->who->user_id, code);
	if (res != TOTP_DONE) {
		code_refused(r, res);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = "/account?totp_off=1#totp" }, NULL);
}

void act_totp_codes(struct req *r)
{
	struct actor by = req_actor(r);
	struct totp_codes codes;
	enum totp_result res;
	const char *code;

	if (!totp_perm_or_respond(r) || !reauth_or_ask(r) || !(code = code_or_respond(r)))
		return;
	res = totp_renew_codes(r->db, &by, r->who->user_id, code, &codes);
	if (res != TOTP_DONE) {
		code_refused(r, res);
		return;
	}
	r->no_store = true;
	present(r, 200, &(struct presentation){ .json = codes_json, .page = codes_page }, &codes);
	sodium_memzero(&codes, sizeof(codes));
}
