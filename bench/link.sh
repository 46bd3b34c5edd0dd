#!/bin/sh
# link.sh OUT SRC: build a bench tool from SRC on the objects of build/rel
# (every src/*/*.c but main.c, which `make` has built) with the libraries
# the Makefile links jiebang with (its LIBS_PKG and LDLIBS lines, read
# here rather than by running make). From the top of the tree.
set -eu
pkgs=$(sed -n 's/^LIBS_PKG := //p' Makefile)
extra=$(sed -n 's/^LDLIBS := $(shell pkg-config --libs $(LIBS_PKG)) //p' Makefile)
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o "$1" "$2" $(ls src/*/*.c | sed 's|^\(.*\)\.c$|build/rel/\1.o|') build/rel/embedded.o \
	$(pkg-config --libs $pkgs) $extra
