# rollsim - build, test, demo, bench.
#
#   make          build ./rollsim
#   make deps     install the Debian packages needed (apt-get, root or sudo)
#   make demo     deps, build, run the seed scenario and print its summary,
#                 plot it, run a small strategy sweep and plot it
#   make test     the layer check, unit + conformance + property + CLI + fuzz replay tests,
#                 then the same tests built with AddressSanitizer+UBSan
#                 (gcc), with clang's UBSan, and the sweep tests with
#                 ThreadSanitizer
#   make plots    the seed scenario's and the strategy comparison's plots
#   make bench    engine hold benchmark and scenario throughput, compared
#                 with the speed anchors in BENCH_ANCHORS (a directory
#                 outside the repository; missing: those comparisons are
#                 skipped)
#   make fuzz     the loaders under libFuzzer (clang), FUZZ_SECONDS each
#   make clean

CC      ?= gcc
PKGS    := gsl libcjson yaml-0.1
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wdouble-promotion \
           -Wformat=2
CFLAGS  ?= -O3 -g -flto=auto
override CFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -Werror -MMD -MP -I.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lgsl -lgslcblas -lcjson -lyaml -lm)
LDLIBS  = $(PKG_LIBS) -lm -lpthread

BUILD   ?= build/rel
# The speed anchors of `make bench` (heap_limit.c, compare.sh) are not part
# of the repository: `make bench BENCH_ANCHORS=DIR` names the directory
# that holds them; without it those comparisons are skipped (README,
# Performance).
BENCH_ANCHORS ?=
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -O1 -g -fno-omit-frame-pointer
# clang's UBSan checks what gcc's does not: float-to-integer casts out of
# range (float-cast-overflow), implicit conversions that change a value,
# indexing past local arrays.
UBSAN_FLAGS := -fsanitize=undefined,implicit-integer-truncation,local-bounds \
               -fno-sanitize-recover=all -O1 -g -fno-omit-frame-pointer
TSAN_FLAGS  := -fsanitize=thread -O1 -g -fno-omit-frame-pointer

LIB_SRC  := $(sort $(wildcard sim/*/*.c models/*.c plots/*.c))
LIB_SRC  := $(filter-out sim/main.c,$(LIB_SRC))
TEST_SRC := $(sort $(wildcard tests/unit/*.c tests/conformance/*.c \
              tests/property/*.c tests/stats/*.c tests/cli/*.c \
              tests/fuzz/*.c))
TEST_SRC := $(filter-out tests/fuzz/entry.c,$(TEST_SRC))
FUZZ_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out \
              tests/fuzz/test_%,$(wildcard tests/fuzz/*.c)))
FUZZ_OBJ := $(filter-out $(BUILD)/tests/fuzz/entry.o,$(FUZZ_OBJ))
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/sim/main.o

.PHONY: all deps demo plots test test-run check-layers asan ubsan tsan bench fuzz fuzz-build \
        clean
all: rollsim

rollsim: $(BUILD)/rollsim
	cp $< $@

$(BUILD)/rollsim: $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/rollsim-tests: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS) -lcriterion

$(BUILD)/bench_%: $(BUILD)/tests/bench/%.o $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

deps:
	@sh tools/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	./rollsim run scenarios/flask-app.json --out out/flask-app
	./rollsim plot out/flask-app
	./rollsim sweep scenarios/compare-strategies.json --replications 10 \
		--out out/compare-strategies
	./rollsim plot out/compare-strategies

# The seed scenario's timeline and the strategy comparison's plots.
plots: all
	./rollsim run scenarios/flask-app.json --out out/flask-app
	./rollsim plot out/flask-app
	./rollsim sweep scenarios/compare-strategies.json --quiet \
		--out out/compare-strategies
	./rollsim plot out/compare-strategies

# No file includes a header of a layer above its own (README, Layout).
check-layers:
	@sh tools/check-layers.sh

# The test binary finds the CLI through ROLLSIM and the scenarios through
# the working directory (the repository root).
test-run: $(BUILD)/rollsim-tests $(BUILD)/rollsim
	ROLLSIM=$(BUILD)/rollsim $(BUILD)/rollsim-tests --jobs 2

test: deps
	@sh tools/check-layers.sh
	@$(MAKE) --no-print-directory test-run
	@echo "== the same tests under AddressSanitizer + UBSan =="
	@$(MAKE) --no-print-directory asan
	@echo "== the same tests under clang's UBSan =="
	@$(MAKE) --no-print-directory ubsan
	@echo "== the sweep tests under ThreadSanitizer =="
	@$(MAKE) --no-print-directory tsan

# Criterion reports a test whose worker leaked as passing, and the CLI
# tests' rollsim processes report on stderr the tests capture: every
# process writes its sanitizer reports to DIR/log/ (log_path), and
# tests/sancheck.sh fails when there is one or a test failed.
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="$(SANFLAGS)" \
		build/asan/rollsim-tests build/asan/rollsim
	@rm -rf build/asan/log && mkdir -p build/asan/log
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$(CURDIR)/build/asan/log/asan \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/build/asan/log/ubsan \
		ROLLSIM=build/asan/rollsim \
		build/asan/rollsim-tests --jobs 2 2>&1 | tee build/asan/test.log
	@sh tests/sancheck.sh build/asan

ubsan:
	@$(MAKE) --no-print-directory BUILD=build/ubsan CC=clang \
		CFLAGS="$(UBSAN_FLAGS)" build/ubsan/rollsim-tests build/ubsan/rollsim
	@rm -rf build/ubsan/log && mkdir -p build/ubsan/log
	@UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/build/ubsan/log/ubsan \
		ROLLSIM=build/ubsan/rollsim \
		build/ubsan/rollsim-tests --jobs 2 2>&1 | tee build/ubsan/test.log
	@sh tests/sancheck.sh build/ubsan

# The tests that run threads are the sweep command's: they drive a
# rollsim built with TSan. (Criterion's own runner cannot start under
# TSan, so the test binary is the plain one.)
tsan: $(BUILD)/rollsim-tests
	@$(MAKE) --no-print-directory BUILD=build/tsan CC=clang \
		CFLAGS="$(TSAN_FLAGS)" build/tsan/rollsim
	@rm -rf build/tsan/log && mkdir -p build/tsan/log
	@TSAN_OPTIONS=halt_on_error=1:log_path=$(CURDIR)/build/tsan/log/tsan \
		ROLLSIM=build/tsan/rollsim $(BUILD)/rollsim-tests --jobs 2 \
		--filter 'sweep/*' 2>&1 | tee build/tsan/test.log
	@sh tests/sancheck.sh build/tsan

# Fuzzing (tests/fuzz/fuzz.h): one libFuzzer binary per loader, built
# with clang, ASan and UBSan. make fuzz runs each for FUZZ_SECONDS and
# fails on a crash, a sanitizer report, a leak or an input slower than
# 5 s (tests/fuzz/run.sh); what it learns stays in build/fuzz/corpus.
FUZZ_TARGETS := scenario manifest sweepjson setpath
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -fsanitize=address,undefined,float-divide-by-zero \
                -fno-sanitize-recover=all -O1 -g -fno-omit-frame-pointer

fuzz: fuzz-build
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
		CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
		$(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/entry_%.o $(FUZZ_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/fuzz/entry_%.o: tests/fuzz/entry.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -DFUZZ_TARGET=fuzz_$* -c -o $@ $<

bench: all $(BUILD)/bench_engine
	@BENCH_ANCHORS='$(BENCH_ANCHORS)' sh tests/bench/bench.sh $(BUILD)

clean:
	rm -rf build out rollsim

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
