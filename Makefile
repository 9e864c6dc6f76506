# neurotop — hand-written Makefile.
# Targets: all run test bench fuzz fault asan clean deps run-sample install uninstall
# Objects go to build/<mode>/; V=1 shows the commands.

MODE ?= release
CC ?= cc
PKGS := ncursesw openblas lapacke zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRITERION_LIBS := $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wcast-qual -Wwrite-strings -Wundef
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $(WARN) -Iinclude $(PKG_CFLAGS)

ifeq ($(MODE),asan)
  OPT := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Werror
  LDMODE := -fsanitize=address,undefined
else ifeq ($(MODE),test)
  OPT := -O2 -Werror
  LDMODE :=
else
  OPT := -O2
  LDMODE :=
endif

CFLAGS_ALL := $(BASE_CFLAGS) $(OPT) $(CFLAGS)
LDLIBS_ALL := $(PKG_LIBS) -lpthread -lm
OUT := build/$(MODE)
# Rules below come before `all`; a bare `make` still builds ./neurotop.
.DEFAULT_GOAL := all

# Where `make install` puts things (DESTDIR is prepended, for packaging).
# The binary looks for its shipped files in DATADIR (compiled into
# src/core/datadir.c) after the places core/datadir.h lists first.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/neurotop
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/neurotop
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
# A stamp holding DATADIR, rewritten only when it changes, so a new PREFIX
# recompiles datadir.c and nothing else.
DATADIR_STAMP := $(OUT)/datadir.stamp
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(shell { mkdir -p $(OUT) && [ "$$(cat $(DATADIR_STAMP) 2>/dev/null)" = '$(DATADIR)' ] || printf '%s\n' '$(DATADIR)' >$(DATADIR_STAMP); } 2>/dev/null)
endif
$(OUT)/src/core/datadir.o: $(DATADIR_STAMP)
$(OUT)/src/core/datadir.o: CFLAGS_ALL += -DNEUROTOP_DATADIR='"$(DATADIR)"'

# Debian packages the tests need beyond the build (tools/install-deps.sh):
# tmux drives the TUI tests, groff and man check the manual page.
TEST_PKGS := tmux groff-base man-db
# Installs (as root) or names the missing packages; $(1) adds packages.
DEPS = NEUROTOP_EXTRA_PKGS="$(strip $(NEUROTOP_EXTRA_PKGS) $(1))" sh tools/install-deps.sh

SRCS := $(shell find src -name '*.c' | sort)
MAIN_SRC := src/cli/main.c
LIB_SRCS := $(filter-out $(MAIN_SRC),$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(OUT)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(OUT)/%.o)
# The unit tests: every tests/**/test_*.c outside bench and fuzz, plus the
# shared fixtures of tests/support (included as "support/support.h").
TEST_SRCS := $(shell find tests -path tests/bench -prune -o -path tests/fuzz -prune -o -name 'test_*.c' -print | sort) \
             $(sort $(wildcard tests/support/*.c))
TEST_OBJS := $(TEST_SRCS:%.c=$(OUT)/%.o)
BIN := $(OUT)/neurotop
TEST_BIN := $(OUT)/neurotop-tests
LIB := $(OUT)/libneurotop.a

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

.PHONY: all run test unit-test asan bench fuzz fuzz-build fault clean deps run-sample \
        install uninstall

all: $(if $(filter release,$(MODE)),neurotop,$(BIN))

# The top-level ./neurotop is a copy of the release binary, for convenience;
# other modes (test, asan) build only under build/<mode>/, so ./neurotop (and
# what `make bench` times) is always the release build.
ifeq ($(MODE),release)
neurotop: $(BIN)
	$(Q)cp $(BIN) $@.tmp && mv -f $@.tmp $@
else
.PHONY: neurotop
neurotop:
	$(Q)$(MAKE) --no-print-directory MODE=release neurotop
endif

$(BIN): $(MAIN_OBJ) $(LIB)
	@echo "  LD   $@"
	$(Q)$(CC) $(LDMODE) -o $@ $(MAIN_OBJ) $(LIB) $(LDLIBS_ALL)

$(LIB): $(LIB_OBJS)
	@echo "  AR   $@"
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJS)

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# -Isrc: tests of a module's internal helpers include its *_internal.h
$(TEST_OBJS): CFLAGS_ALL += -Itests -Isrc

$(TEST_BIN): $(TEST_OBJS) $(LIB)
	@echo "  LD   $@"
	$(Q)$(CC) $(LDMODE) -o $@ $(TEST_OBJS) $(LIB) $(CRITERION_LIBS) $(LDLIBS_ALL)

deps:
	$(Q)$(call DEPS,)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	./neurotop

run-sample: deps
	$(Q)$(MAKE) --no-print-directory all
	./neurotop replay sample-runs/mlp-mnist --lesson sample-runs/mlp-mnist/phases.lesson

# The whole suite: Criterion unit tests, then CLI and TUI tests, all built with -Werror.
test:
	$(Q)$(call DEPS,$(TEST_PKGS))
	$(Q)$(MAKE) --no-print-directory MODE=test unit-test

unit-test: $(TEST_BIN) $(BIN)
	$(Q)$(TEST_BIN) --jobs 2
	$(Q)NEUROTOP=$(BIN) sh tests/cli/run.sh
	$(Q)NEUROTOP=$(BIN) sh tests/tui/run.sh

asan:
	$(Q)$(call DEPS,$(TEST_PKGS))
	$(Q)LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) --no-print-directory MODE=asan unit-test

# install / uninstall. The shipped files are the tracked ones (git ls-files;
# find in a tarball), so results a user saved in the source tree stay there.
# Installed sample runs are read-only to users.
SHIP_FILES := $(shell git ls-files data themes sample-runs 2>/dev/null | grep . || \
                      find data themes sample-runs -type f ! -name '*.tmp.*' | sort)
# Their folders and the folders above them (three levels: sample-runs/R/snapshots).
ship_up = $(filter-out .,$(patsubst %/,%,$(dir $(1))))
SHIP_DIRS := $(sort $(call ship_up,$(SHIP_FILES)) $(call ship_up,$(call ship_up,$(SHIP_FILES))) \
                    $(call ship_up,$(call ship_up,$(call ship_up,$(SHIP_FILES)))))
DOC_FILES := README.md $(sort $(wildcard docs/*.md))
INSTALL_LIST := $(BINDIR)/neurotop $(addprefix $(DATADIR)/,$(SHIP_FILES)) \
                $(MANDIR)/man1/neurotop.1 $(addprefix $(DOCDIR)/,$(DOC_FILES)) \
                $(BASHCOMPDIR)/neurotop $(ZSHCOMPDIR)/_neurotop

install: neurotop
	@echo "  INSTALL $(DESTDIR)$(PREFIX)"
	$(Q)install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/docs \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(addprefix $(DESTDIR)$(DATADIR)/,$(SHIP_DIRS))
	$(Q)install -m 755 neurotop $(DESTDIR)$(BINDIR)/neurotop
	$(Q)for f in $(SHIP_FILES); do install -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	$(Q)install -m 644 docs/neurotop.1 $(DESTDIR)$(MANDIR)/man1/neurotop.1
	$(Q)install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	$(Q)install -m 644 $(filter docs/%,$(DOC_FILES)) $(DESTDIR)$(DOCDIR)/docs/
	$(Q)install -m 644 tools/completion/neurotop.bash $(DESTDIR)$(BASHCOMPDIR)/neurotop
	$(Q)install -m 644 tools/completion/_neurotop $(DESTDIR)$(ZSHCOMPDIR)/_neurotop

# Removes the files install put, then the folders of our own that are left
# empty (deepest first); shared folders (bin, man1, completions) stay.
uninstall:
	@echo "  UNINSTALL $(DESTDIR)$(PREFIX)"
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALL_LIST))
	$(Q)for d in $$(printf '%s\n' $(SHIP_DIRS) | sort -r); do \
	    rmdir $(DESTDIR)$(DATADIR)/$$d 2>/dev/null; done; \
	rmdir $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR) 2>/dev/null; true

# The fault campaign (tests/fault/run.sh): FAULT_KILLS kill -9 during
# training, one during an analysis job, a full disk; `neurotop check` after each.
FAULT_KILLS ?= 20
fault:
	$(Q)$(MAKE) --no-print-directory MODE=test build/test/neurotop
	$(Q)NEUROTOP=build/test/neurotop FAULT_KILLS=$(FAULT_KILLS) sh tests/fault/run.sh

# Each tests/bench/bench_*.c is a program of its own; tests/bench/run.sh runs
# them and the reference scripts (PyTorch, igraph) when installed, printing ratios.
BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(OUT)/bench/%)

$(OUT)/bench/%: tests/bench/%.c tests/bench/bench_digits.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

bench: neurotop $(BENCH_BINS)
	$(Q)BENCH_DIR=$(OUT)/bench NEUROTOP=./neurotop sh tests/bench/run.sh

# libFuzzer targets (clang): each tests/fuzz/fuzz_*.c becomes build/fuzz/fuzz_*,
# linked with the whole library (every src/ file but main.c) rebuilt with
# coverage and ASan/UBSan, so a target can reach any parser (run directories,
# themes, lessons, the `:` line). `make fuzz` runs each for FUZZ_SECONDS on
# inputs of at most FUZZ_MAX_LEN bytes, starting from its seed corpus
# tests/fuzz/corpus_<name>/ and growing build/fuzz/corpus/fuzz_<name>/;
# FUZZ_TARGETS=name (without fuzz_) picks some. A crash stops with its input
# saved as build/fuzz/crash-* (replay it: build/fuzz/fuzz_NAME FILE).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 8192
FUZZ_CFLAGS := $(BASE_CFLAGS) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -DNEUROTOP_FUZZING=1
FUZZ_LIB_OBJS := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRCS))
FUZZ_LIB := build/fuzz/libneurotop-fuzz.a
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
.SECONDARY: $(FUZZ_LIB_OBJS)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	@echo "  AR   $@"
	$(Q)rm -f $@ && ar rcs $@ $(FUZZ_LIB_OBJS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_LIB)
	@echo "  FUZZ $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests -Isrc -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LDLIBS_ALL)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do \
	    name=$$(basename $$f); seeds=tests/fuzz/corpus_$${name#fuzz_}; \
	    mkdir -p build/fuzz/corpus/$$name; \
	    echo "== $$name ($(FUZZ_SECONDS) s)"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 \
	        -timeout=20 -print_final_stats=1 -artifact_prefix=build/fuzz/ \
	        build/fuzz/corpus/$$name $$( [ -d $$seeds ] && echo $$seeds ) 2>build/fuzz/$$name.log \
	        || { tail -n 60 build/fuzz/$$name.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^Done ' build/fuzz/$$name.log | tr '\n' ' '; echo; \
	done

clean:
	rm -rf build neurotop

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJS:.o=.d) $(FUZZ_LIB_OBJS:.o=.d)
