# jiebang - one Makefile. `make` builds ./jiebang; `make test` runs every
# test; `make SANITIZE=address,undefined test` runs them under ASan+UBSan.

CC ?= cc
LIBS_PKG := libmicrohttpd sqlite3 libsodium jansson libpq libmagic xlsxwriter libzip expat libsystemd libcurl liboath libqrencode
TEST_PKG := cmocka

ifdef SANITIZE
BUILD := build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT := -O1 -g
else
BUILD := build/rel
OPT := -O2 -g
endif

# Install missing Debian packages before pkg-config is asked anything
# (not for make install/uninstall, which only copy what `make` built).
ifneq ($(MAKECMDGOALS),)
NO_DEPS := $(if $(filter-out install uninstall,$(MAKECMDGOALS)),,yes)
endif
ifneq ($(NO_DEPS),yes)
DEPS_OK := $(shell pkg-config --exists $(LIBS_PKG) $(TEST_PKG) && test -e /usr/include/uninorm.h -a -e /usr/include/csv.h -a -d /usr/lib/python3/dist-packages/openpyxl -a -d /usr/lib/python3/dist-packages/docx && for c in node npm tidy sqlite3 psql ss dpkg-shlibdeps lintian man groff systemd-analyze; do command -v $$c >/dev/null || exit 1; done && test -x /usr/sbin/nginx -a -x /usr/lib/postgresql/15/bin/initdb -a -x /usr/bin/chromium -a -f node_modules/playwright-core/package.json -a -f node_modules/axe-core/package.json -a node_modules/.package-lock.json -nt package-lock.json && echo yes)
ifneq ($(DEPS_OK),yes)
$(info installing missing packages (scripts/install-deps.sh) ...)
DEPS_RC := $(shell ./scripts/install-deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/install-deps.sh failed; install the packages it names and retry)
endif
endif
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wvla \
	-Wwrite-strings -Wmissing-prototypes -Wno-unused-parameter
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) $(SANFLAGS) -Isrc -I$(BUILD) \
	$(shell pkg-config --cflags $(LIBS_PKG))
LDFLAGS := -pie -Wl,-z,relro,-z,now $(SANFLAGS)
# libunistring (NFKC for the common-password list) and libcsv (imports)
# have no .pc file on Debian 12.
LDLIBS := $(shell pkg-config --libs $(LIBS_PKG)) -lcsv -lunistring -lpthread -lm

SRC := $(wildcard src/*.c src/*/*.c)
OBJ := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
LIBOBJ := $(filter-out $(BUILD)/src/main.o,$(OBJ))
ASSETS := $(sort $(wildcard web/*))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test bench soak clean fuzz install uninstall deb
all: jiebang

ifdef SANITIZE
jiebang: $(BUILD)/jiebang
else
jiebang: $(BUILD)/jiebang
	cp $< $@
endif

$(BUILD)/jiebang: $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard src/*.h src/*/*.h) | $(BUILD)/embedded.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O1 $(WARN) -o $@ $<

$(BUILD)/embedded.c $(BUILD)/embedded.h: $(BUILD)/embed $(ASSETS)
	$(BUILD)/embed $(BUILD)/embedded.c $(BUILD)/embedded.h $(ASSETS)

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $(filter-out %.h,$^) $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

# Serve the demo: create it on first run, then serve on 127.0.0.1:$(PORT)
# (make run PORT=8081). The server prints its URL once it listens.
PORT ?= 8080
run: jiebang
	@test -e data/jiebang.db || ./jiebang demo --data data
	@echo "demo logins: admin, unit, cadre, evaluator, leader; password jiebang-demo (Ctrl-C stops)"
	./jiebang serve --data data --port $(PORT)

# Unit tests, then the server tests on SQLite and on a throwaway PostgreSQL.
test: $(BUILD)/jiebang $(UNIT_BIN)
	./tests/run.sh $(BUILD)

bench: jiebang
	./bench/run.sh

# SOAK_SECONDS (default 600) of mixed traffic on each store (SOAK_STORES):
# throughput, p99, no 5xx, resident memory every 10 s, flat (bench/soak.mjs).
soak: jiebang
	JIEBANG_BIN=./jiebang node bench/soak.mjs

# libFuzzer targets (clang; fuzz/README.md): every source but main.c is
# compiled once into build/fuzz/libjiebang.a with ASan+UBSan and the
# fuzzer's coverage, and each fuzz/fuzz_*.c is linked against it. `make
# fuzz` runs each target FUZZ_SECONDS over a copy of its seed corpus
# (fuzz/corpus/TARGET/, kept as it is) and fails on any crash;
# `make fuzz-merge` adds what the runs found that covers new code to the
# seed corpora. FUZZ_TARGETS=fuzz_csv,fuzz_xlsx runs only those.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FZ := build/fuzz
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) -Wno-unused-command-line-argument -Wno-format-nonliteral \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-Isrc -I$(BUILD) -Ifuzz $(shell pkg-config --cflags $(LIBS_PKG))
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(FZ)/%)
FUZZ_LIBOBJ := $(patsubst %.c,$(FZ)/obj/%.o,$(filter-out src/main.c,$(SRC))) $(FZ)/obj/embedded.o

.PHONY: fuzz-build fuzz-merge
$(FZ)/obj/%.o: %.c $(wildcard src/*.h src/*/*.h) | $(BUILD)/embedded.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

$(FZ)/obj/embedded.o: $(BUILD)/embedded.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

$(FZ)/libjiebang.a: $(FUZZ_LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(FZ)/fuzz_%: fuzz/fuzz_%.c $(FZ)/libjiebang.a $(wildcard fuzz/*.h)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FZ)/libjiebang.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS=$(FUZZ_TARGETS) scripts/fuzz.sh run

fuzz-merge: fuzz-build
	FUZZ_TARGETS=$(FUZZ_TARGETS) scripts/fuzz.sh merge

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary `make` built (it
# is never rebuilt here, so `make && sudo make install` leaves no root-owned
# objects in the tree), the man pages, the systemd units (their paths
# rewritten for PREFIX), the example configuration (kept when one exists;
# under /etc for PREFIX=/usr, else PREFIX/etc) and the documentation.
# The file list is INSTALL_FILES; the .deb (make deb) holds the same files.
PREFIX ?= /usr/local
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man
DOCDIR := $(PREFIX)/share/doc/jiebang
UNITDIR ?= $(PREFIX)/lib/systemd/system
UNITS := jiebang.service jiebang-backup.service jiebang-backup.timer
DOCS := README.md docs/operations.md docs/nginx-jiebang.conf
UNIT_SED := -e 's|/usr/bin/jiebang|$(BINDIR)/jiebang|g' -e 's|/etc/jiebang/|$(SYSCONFDIR)/jiebang/|g' \
	-e 's|/usr/share/doc/jiebang/|$(DOCDIR)/|g'
INSTALL_FILES := $(BINDIR)/jiebang $(MANDIR)/man1/jiebang.1 $(MANDIR)/man5/jiebang.conf.5 \
	$(UNITS:%=$(UNITDIR)/%) $(SYSCONFDIR)/jiebang/jiebang.conf $(addprefix $(DOCDIR)/,$(notdir $(DOCS)))

install:
	@test -x $(BUILD)/jiebang || { echo "make install: $(BUILD)/jiebang is missing; run 'make' first (as yourself)" >&2; exit 1; }
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSCONFDIR)/jiebang $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BUILD)/jiebang $(DESTDIR)$(BINDIR)/jiebang
	install -m 0644 docs/jiebang.1 $(DESTDIR)$(MANDIR)/man1/jiebang.1
	install -m 0644 docs/jiebang.conf.5 $(DESTDIR)$(MANDIR)/man5/jiebang.conf.5
	for u in $(UNITS); do sed $(UNIT_SED) packaging/$$u > $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	test -e $(DESTDIR)$(SYSCONFDIR)/jiebang/jiebang.conf || \
		install -m 0644 packaging/jiebang.conf $(DESTDIR)$(SYSCONFDIR)/jiebang/jiebang.conf
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/

# Removes what install wrote; the configuration only if it is unchanged.
uninstall:
	cmp -s packaging/jiebang.conf $(DESTDIR)$(SYSCONFDIR)/jiebang/jiebang.conf && \
		rm -f $(DESTDIR)$(SYSCONFDIR)/jiebang/jiebang.conf || true
	rm -f $(addprefix $(DESTDIR),$(filter-out $(SYSCONFDIR)/%,$(INSTALL_FILES)))
	-rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/jiebang 2>/dev/null

# The Debian package build/jiebang_VERSION_ARCH.deb, from make install
# DESTDIR=build/deb/root PREFIX=/usr and debian/ (scripts/mkdeb.sh; no root).
deb: $(BUILD)/jiebang
	scripts/mkdeb.sh $(BUILD)

clean:
	rm -rf build jiebang
