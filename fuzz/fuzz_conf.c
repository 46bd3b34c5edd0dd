/* fuzz_conf.c - libFuzzer target: the configuration file (util/conf.h
 * with jiebang's keys, domain/config.h): config_load() on the input as
 * the file, then what main.c does with it (config_finish), how it is
 * shown (config_where, conf_shown) and a reload of the same file. It must
 * never crash; a file it takes leaves only values of their key's type
 * (text without controls, whole numbers in range, one of the choices),
 * and a file it refuses changes nothing. */
#include <assert.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/config.h"
#include "fuzz_util.h"
#include "util/log.h"
#include "util/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_ERROR);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	unsetenv("JIEBANG_CONFIG");
	unsetenv("JIEBANG_QUIET");
	return 0;
}

static bool choice(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		if (l == n && !memcmp(p, v, n))
			return true;
		p += l + (bar ? 1 : 0);
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("jiebang.conf");
	char shown[4200], where[4200];
	int saved, rc;

	fuzz_write(path, data, size);
	/* config_load says why it refuses a file on stderr: not here */
	saved = dup(2);
	dup2(devnull, 2);
	rc = config_load(path);
	if (rc == 0)
		rc = config_finish(4) == 0 ? 0 : 1;
	dup2(saved, 2);
	close(saved);
	for (int i = 0; i < CF_COUNT; i++) {
		const char *v = conf_str(&config, i);
		const struct conf_key *k = &config.keys[i];
		assert(v && utf8_valid(v, strlen(v)));
		for (const unsigned char *p = (const unsigned char *)v; *p; p++)
			assert(*p >= 0x20 && *p != 0x7f);
		if (rc < 0) {
			assert(config.from[i] != CONF_FILE);
		} else if (config.from[i] == CONF_FILE) {
			assert(config.line[i] >= 1);
			if (k->type == CONF_UINT)
				assert(conf_uint(&config, i) >= k->min && conf_uint(&config, i) <= k->max);
			if (k->type == CONF_CHOICE)
				assert(choice(k->choices, v));
			if (k->type == CONF_BOOL)
				assert(!strcmp(v, "0") || !strcmp(v, "1"));
		}
		conf_shown(&config, i, shown, sizeof(shown));
		config_where(i, where, sizeof(where));
		if ((k->flags & CONF_SECRET) && *v && !strchr(v, ':') && !strchr(v, '='))
			assert(!strcmp(shown, "********"));
	}
	if (rc == 0)
		assert(config_reload() == 0);
	conf_release(&config);
	return 0;
}
