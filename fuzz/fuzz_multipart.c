/* fuzz_multipart.c - libFuzzer target: multipart/form-data bodies through
 * http/upload.c, as server.c drives it, on a real libmicrohttpd daemon in
 * this process (its post processor needs a connection): each input is
 * POSTed over a Unix socket. When the first byte is 'C' the input's first line
 * is the Content-Type; otherwise it is "multipart/form-data;
 * boundary=jbfuzz" and the input (after that byte) the body. Tight caps
 * (2 KiB a file, 4 KiB in all, 4 files, 1 KiB of fields, 32 fields) so
 * that the fuzzer reaches every refusal. After the body: a refused upload
 * has a 4xx/503 status and left no file; an accepted one hands over files
 * whose names are one line of UTF-8 without a directory, whose temporary
 * files hold exactly the bytes counted and hashed, and fields of valid
 * UTF-8; after upload_release() no temporary file is left. */
#include <arpa/inet.h>
#include <assert.h>
#include <dirent.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "http/req.h"
#include "http/upload.h"
#include "util/log.h"
#include "util/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct MHD_Daemon *daemon_;
static struct sockaddr_un addr;
static char updir[128];
static struct upload_limits lim;
/* Requests the daemon has finished with (on_completed): a run waits for
 * its own, so that everything it allocated is freed within the run
 * (else libFuzzer suspects a leak and replays inputs, each time waiting
 * on the daemon). */
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static unsigned long done;

static int files_in_dir(void)
{
	DIR *d = opendir(updir);
	struct dirent *e;
	int n = 0;

	assert(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void check_file(const struct upload_file *f)
{
	unsigned char h[crypto_hash_sha256_BYTES], chunk[4096];
	char hex[65];
	crypto_hash_sha256_state sha;
	struct stat st;
	FILE *in;
	size_t got;

	assert(f->field && utf8_valid(f->field, strlen(f->field)));
	assert(f->name && utf8_valid(f->name, strlen(f->name)));
	assert(!strpbrk(f->name, "/\\\t\r\n"));
	assert(f->size >= 0 && f->size <= lim.file_max);
	assert(stat(f->path, &st) == 0 && st.st_size == f->size);
	assert(!strncmp(f->path, updir, strlen(updir)));
	in = fopen(f->path, "rb");
	assert(in);
	crypto_hash_sha256_init(&sha);
	while ((got = fread(chunk, 1, sizeof(chunk), in)) > 0)
		crypto_hash_sha256_update(&sha, chunk, got);
	fclose(in);
	crypto_hash_sha256_final(&sha, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert(!strcmp(hex, f->sha256));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct req *r = *con_cls;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	int64_t total = 0;

	if (!r) {
		r = calloc(1, sizeof(*r));
		r->a = arena_new();
		r->conn = conn;
		snprintf(r->id, sizeof(r->id), "fuzz");
		upload_begin(r, &lim);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size) {
		upload_feed(r, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	upload_end(r);
	if (r->bad_request) {
		assert(r->bad_status == 400 || r->bad_status == 413 || r->bad_status == 503);
		assert(utf8_valid(r->bad_request, strlen(r->bad_request)));
		assert(files_in_dir() == 0);
	} else {
		assert(r->nfiles >= 0 && r->nfiles <= lim.files_max);
		assert(files_in_dir() == r->nfiles);
		for (int i = 0; i < r->nfiles; i++) {
			check_file(&r->files[i]);
			total += r->files[i].size;
		}
		assert(total <= lim.total_max);
		assert(r->nform >= 0 && r->nform <= lim.pairs_max);
		for (int i = 0; i < r->nform; i++) {
			assert(utf8_valid(r->form[i].key, strlen(r->form[i].key)));
			assert(utf8_valid(r->form[i].val, strlen(r->form[i].val)));
		}
	}
	upload_release(r);
	assert(files_in_dir() == 0);
	resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(conn, r->bad_request ? 400 : 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	if (!r)
		return;
	upload_release(r);
	arena_free(r->a);
	free(r);
	*con_cls = NULL;
	pthread_mutex_lock(&done_lock);
	done++;
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&done_lock);
}

/* Wait until the daemon has finished n requests in all: 0, or -1 after 8 s. */
static int wait_done(unsigned long n)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 8;
	pthread_mutex_lock(&done_lock);
	while (done < n && rc == 0)
		rc = pthread_cond_timedwait(&done_cond, &done_lock, &until);
	pthread_mutex_unlock(&done_lock);
	return done >= n ? 0 : -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int lfd;

	log_set_level(LOG_ERROR);
	if (sodium_init() < 0)
		abort();
	snprintf(updir, sizeof(updir), "%s", fuzz_path("up"));
	if (upload_dir_init(updir) < 0)
		abort();
	lim = (struct upload_limits){ .dir = updir, .file_max = 2048, .total_max = 4096, .files_max = 4,
				      .fields_max = 1024, .pairs_max = 32 };
	/* A Unix socket: no ephemeral ports to cycle through. */
	addr.sun_family = AF_UNIX;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fuzz_path("mhd.sock"));
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 64) < 0)
		abort();
	daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, NULL,
				   MHD_OPTION_LISTEN_SOCKET, lfd, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_END);
	if (!daemon_)
		abort();
	return 0;
}

/* Send one request to the daemon and read the answer to its end: 0, or
 * -1 when none came within 8 s. */
static int post(const char *head, size_t hl, const char *body, size_t n)
{
	struct timeval tv = { .tv_sec = 8 };
	char resp[512];
	ssize_t got;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		abort();
	if (send(fd, head, hl, MSG_NOSIGNAL) == (ssize_t)hl && n)
		(void)!send(fd, body, n, MSG_NOSIGNAL);
	while ((got = recv(fd, resp, sizeof(resp), 0)) > 0)
		;
	close(fd);
	return got < 0 ? -1 : 0;
}

static unsigned long sent;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ct[512] = "multipart/form-data; boundary=jbfuzz", head[1024];
	const char *body = (const char *)data;
	size_t n = size, hl;

	if (size >= 1 && data[0] == 'C') {
		const char *nl = memchr(data, '\n', size);
		size_t l = nl ? (size_t)(nl - body) - 1 : size - 1, k = 0;
		for (size_t i = 0; i < l && k + 1 < sizeof(ct); i++)
			if ((unsigned char)body[1 + i] >= 0x20 && body[1 + i] != 0x7f)
				ct[k++] = body[1 + i];
		ct[k] = 0;
		body = nl ? nl + 1 : body + size;
		n = size - (size_t)(body - (const char *)data);
	} else if (size >= 1) {
		body++;
		n--;
	}
	hl = (size_t)snprintf(head, sizeof(head),
			      "POST /upload HTTP/1.1\r\nHost: fuzz\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			      "Connection: close\r\n\r\n", ct, n);
	/* With libFuzzer's leak checks on, about one request in 50,000 got no
	 * answer for seconds (LeakSanitizer stops every thread, the daemon's
	 * too, to scan; replayed, the same input is answered at once), hence
	 * -detect_leaks=0 in fuzz_multipart.options. Should it happen anyway,
	 * one retry tells that from a real hang. */
	for (int attempt = 0;; attempt++) {
		sent++;
		int answered = post(head, hl, body, n) == 0;
		if (answered && wait_done(sent) == 0)
			break;
		if (attempt == 1) {
			fprintf(stderr, "fuzz_multipart: no answer within 8 s, twice (a hang)\n");
			abort();
		}
		fprintf(stderr, "fuzz_multipart: %s within 8 s; trying once more\n",
			answered ? "the daemon did not finish the request" : "no answer");
	}
	return 0;
}
