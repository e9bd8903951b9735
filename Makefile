# SPDX-License-Identifier: GPL-2.0
#
# shrinkers: our list_lru and shrinker core on mainline Linux, with a
# backport to 6.12 LTS.
#
#   make          install deps, build the patched kernel, boot it under QEMU
#                 with 4 NUMA nodes and run the reclaim demo (it fails when
#                 the demo does not show what it claims)
#   make test     KUnit suites + selftests, one boot with everything and
#                 two with memcg slab accounting / memcg off; last line
#                 "N passed, N failed, N skipped", each case once per
#                 boot that can exercise it differently; kept in results/
#   make test-base
#                 the same initramfs on the unpatched base: which selftest
#                 cases fail there (feature tests) and which pass (guards),
#                 against patches/base-expect
#   make stress   the randomized list_lru/shrinker stress, DURATION=s
#   make bench    the unpatched 7.2 and 6.12 and ours on each, alternating
#                 boots, ratios; kept in results/bench.txt
#   make series   git format-patch series with a cover letter
#   make series-check
#                 build and check each commit of the series (checkpatch,
#                 kernel-doc, sparse, get_maintainer), make test at the last
#   make check    checkpatch --strict and sparse on owned files, docs build,
#                 the README's figures against results/
#   make fresh-test
#                 the README's steps in a fresh Debian 12 root
#                 (debootstrap), as CI runs them (.ci/run)
#   make fresh-demo
#                 the README's setup and make (the demo) alone, in a fresh
#                 root (.ci/run demo)
#   make callers  compile every converted list_lru user (gfs2, nfs, ...)
#   make allmod   allmodconfig: compile every list_lru/shrinker user of the
#                 kernel (mm/, fs/, drivers/ incl. android, drm, md, ...)
#   make hosttest the harness's own tests (scripts/tests/*-test.sh), on
#                 the host with stubs: nothing is built or booted
#   make deps, make clean, make distclean, make help
#
# Variables: BASE=7.2|6.12 (the kernel the series applies to; 7.2, the
# default, is mainline, fetched from Debian unstable; 6.12 is the LTS
# backport), ACCEL=tcg|kvm, BUILD=dir (default ./build), JOBS=n, KCSAN=1
# (test and stress on a KCSAN kernel), TEST_BOOTS="NAME:ARGS ..." (the
# boots of make test, each a name and kernel arguments), DURATION,
# NODES=4|16, BOOT_TIMEOUT=s, QEMU_EXTRA (more QEMU arguments),
# XFS_IMAGE (the guest's disk image), BENCH_BASES, BENCH_ROUNDS,
# BENCH_SETS=timed|icount, BENCH_TOPOLOGY=numa16, BENCH_MEMCGS;
# .ci/run reads CI_CACHE, CI_WORK, CI_NEED_GB, CI_DIRECT=1.

# The bases: Debian's source package, the version pinned, the series.
BASE ?= 7.2
ifeq ($(BASE),7.2)
BASE_PKG     := linux-source-7.2
BASE_PIN     := 7.2.13-1
SERIES_DIR   := patches
else ifeq ($(BASE),6.12)
BASE_PKG     := linux-source-6.12
BASE_PIN     := 6.12.117-1~deb12u1
SERIES_DIR   := patches/6.12
else
$(error BASE must be 7.2 or 6.12, not '$(BASE)')
endif

TOP     := $(CURDIR)
BUILD   ?= $(TOP)/build
override BUILD := $(abspath $(BUILD))
# the pristine base, and everything made from it, one folder per base
BASE_TREE := $(BUILD)/$(BASE_PKG)
OUT     := $(BUILD)/$(BASE)
TREE    := $(OUT)/linux
OBJ     := $(OUT)/obj-test
ACCEL   ?= tcg
# NUMA nodes of the test guest: 4 (two with a CPU), or 16 (two with a CPU,
# fourteen memory-only, as with CXL memory)
NODES   ?= 4
JOBS    ?= $(shell nproc)
export JOBS
# the kernel make command (scripts/kmake.sh) for the test tree
KMAKE    = scripts/kmake.sh $(TREE) $(OBJ)
# whether the series carries the in-kernel pressure listeners yet
LISTENERS      := $(wildcard $(SERIES_DIR)/*-vmpressure-*)
TEST_FRAGMENTS := configs/base.config configs/test.config configs/kunit.config \
		  $(if $(LISTENERS),configs/vmpressure.config)
KUNIT_SUITES   := list_lru shrinker $(if $(LISTENERS),vmpressure)
# KCSAN=1: the same suites on a KCSAN kernel, in its own object tree
# watch 1 access in 200 instead of 1 in 4000: more races found per boot
ifeq ($(KCSAN),1)
OBJ            := $(OUT)/obj-kcsan
TEST_FRAGMENTS += configs/kcsan.config
BOOT_EXTRA     := kcsan.skip_watch=200
endif
# The boots of `make test`, NAME:KERNEL-ARGUMENTS: everything, then the same
# kernel with memcg slab accounting off and with the memory controller off,
# where list_lru and the shrinker core must fall back to per-node lists.
# The closing line counts a KUnit case in the first boot (and in a later
# one only if the first skipped it), a selftest case in each boot that ran
# it, a skip only for a case no boot ran (scripts/console.py total()). A
# skip that configs/skips does not explain for its boot fails the run.
TEST_BOOTS     ?= full: nokmem:cgroup.memory=nokmem \
		  nomemcg:cgroup_disable=memory
# make stress DURATION=s: the randomized KUnit stress alone, that long
DURATION       ?= 600
# a boot of the test guest: scripts/boot.sh with the boot variables above
# (each an option of it; boot.sh reads nothing from the environment)
BOOT = scripts/boot.sh --accel $(ACCEL) --topology numa$(NODES) \
	$(if $(BOOT_TIMEOUT),--timeout $(BOOT_TIMEOUT)) \
	$(if $(QEMU_EXTRA),--qemu '$(QEMU_EXTRA)') \
	$(if $(XFS_IMAGE),--disk '$(XFS_IMAGE)')

export BUILD
# the test config's fragments, for series-check.sh and check.sh too
export TEST_CONFIG := $(addprefix $(TOP)/,$(TEST_FRAGMENTS))
# the series of this base (scripts/manifest.sh, series.sh)
export SERIES := $(TOP)/$(SERIES_DIR)
export SHRINKERS_BASE := $(BASE)
# ccache hits across the test, bench-base and bench-ours trees
export CCACHE_BASEDIR := $(BUILD)
# the commit the trees are made from, for results/ (scripts/record.sh):
# taken once, when the outermost make starts; sub-makes inherit it
ifeq ($(MAKELEVEL),0)
export RUN_COMMIT := $(shell $(TOP)/scripts/record.sh --commit)
endif

.PHONY: all demo test test-base stress bench series series-check check deps deps-once base tree config kernel \
	bench-kernels callers allmod hosttest fresh-demo fresh-test \
	selftests initramfs clean distclean help
.DEFAULT_GOAL := all

KNOWN := all demo test test-base stress bench series series-check check deps deps-once base tree config kernel \
	 selftests initramfs clean distclean help bench-kernels callers allmod \
	 hosttest fresh-demo fresh-test
unknown := $(filter-out $(KNOWN),$(MAKECMDGOALS))
ifneq ($(unknown),)
$(error unknown target '$(unknown)', try 'make help')
endif
ifeq ($(filter $(NODES),4 16),)
$(error NODES must be 4 or 16, not '$(NODES)')
endif
ifeq ($(filter $(ACCEL),tcg kvm),)
$(error ACCEL must be tcg or kvm, not '$(ACCEL)')
endif

all: demo

help:
	@awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' Makefile

# Debian 12 carries 6.12 (installed with apt); mainline comes from
# unstable, fetched without touching the machine's apt sources. The builds
# install the packages once per package list (deps-once: the list is kept
# in $(DEPS_STAMP)); make deps checks every one of them again.
DEPS_ARGS  := $(if $(filter 6.12,$(BASE)),$(BASE_PKG) $(BASE_PIN))
DEPS_STAMP := $(OUT)/deps.stamp
deps:
	@scripts/deps.sh --stamp $(DEPS_STAMP) $(DEPS_ARGS)

deps-once:
	@scripts/deps.sh --once $(DEPS_STAMP) $(DEPS_ARGS)

$(BASE_TREE)/Makefile: | deps-once
	@mkdir -p $(BUILD)
	@set -e; if [ "$(BASE)" = 6.12 ]; then src=/usr/src; else \
		scripts/fetch-sid.sh $(BASE_PKG) $(BASE_PIN) $(BUILD)/debs/$(BASE_PKG); \
		src=$(BUILD)/debs/$(BASE_PKG)/usr/src; fi; \
	echo "base: unpacking $$src/$(BASE_PKG).tar.xz"; \
	tar -xJf $$src/$(BASE_PKG).tar.xz -C $(BUILD)
	@touch $@

base: deps-once $(BASE_TREE)/Makefile
	@scripts/check-base.sh $(BASE_TREE) $(BASE) $(BASE_PKG) $(BASE_PIN)

tree: base
	@scripts/tree.sh $(BASE_TREE) $(TREE) test

$(OBJ)/.config: $(TEST_FRAGMENTS) $(SERIES_DIR)/series \
		$(wildcard $(SERIES_DIR)/*.patch)
	@$(MAKE) -s tree
	@scripts/config.sh $(TREE) $(OBJ) $(addprefix $(TOP)/,$(TEST_FRAGMENTS))

config: tree $(OBJ)/.config

kernel: config
	@STEP_OBJ=$(OBJ) scripts/step.sh "kernel build ($(OBJ))" $(KMAKE) bzImage

selftests: tree
	@mkdir -p $(OUT)/selftests
	@scripts/step.sh "selftests build" $(MAKE) -s -C \
		$(TREE)/tools/testing/selftests/shrinker \
		OUTPUT=$(OUT)/selftests LDFLAGS=-static

initramfs: kernel selftests
	@scripts/initramfs.sh $(OBJ) $(TREE) $(OUT)/selftests $(OUT)/initramfs.cpio.gz

demo: initramfs
	@$(BOOT) demo $(OBJ)/arch/x86/boot/bzImage \
		$(OUT)/initramfs.cpio.gz $(OUT)/demo.log

# The README's steps in a fresh Debian 12 root (debootstrap + chroot), as CI
# runs them (.ci/run), or with make (the demo) as the only make line.
fresh-demo:
	@.ci/run demo

fresh-test:
	@.ci/run

# host-side checks of the harness itself, before anything is installed:
# every scripts/tests/*-test.sh
HOSTTESTS := $(sort $(wildcard scripts/tests/*-test.sh))
hosttest:
	@mkdir -p $(OUT)
	@rc=0; for t in $(HOSTTESTS); do $$t || rc=1; done \
		> $(OUT)/hosttest.log 2>&1; \
	[ $$rc = 0 ] || { cat $(OUT)/hosttest.log; exit 1; }
	@grep -E '^[a-z.-]+: [0-9]+ passed' $(OUT)/hosttest.log

# the boots' results, kept in results/test-<base>.txt for the README
test: TEST_START := $(shell date +%s)
test: deps-once hosttest initramfs
	@logs=; for b in $(TEST_BOOTS); do \
		log=$(OUT)/test-$${b%%:*}.log; logs=$$logs$${logs:+,}$$log; \
		$(BOOT) --append "$${b#*:} $(BOOT_EXTRA)" test \
			$(OBJ)/arch/x86/boot/bzImage \
			$(OUT)/initramfs.cpio.gz $$log || exit 1; \
	done; \
	python3 scripts/console.py --obj $(OBJ) --skips configs/skips \
		results $(TREE) $$logs \
		$(KUNIT_SUITES) > $(OUT)/test-results.txt; rc=$$?; \
	cat $(OUT)/test-results.txt; \
	grep -E '^(==== boot|kunit:|selftests:|counted:|[0-9]+ passed)' \
		$(OUT)/test-results.txt | sed 's#^==== boot .*/test-#boot #' \
		> $(OUT)/test-summary.txt; \
	$(if $(KCSAN)$(filter-out full: nokmem:cgroup.memory=nokmem nomemcg:cgroup_disable=memory,$(TEST_BOOTS))$(filter-out 4,$(NODES)),, \
		scripts/record.sh test-$(BASE) $(TEST_START) $(OUT)/test-summary.txt;) \
	exit $$rc

# one boot a round of at most 240 s (KUnit ends a case at 300 s), each
# setting up afresh and checking at its end
stress: initramfs
	@left=$(DURATION); r=0; logs=; n=$$(( ($(DURATION) + 239) / 240 )); \
	while [ $$left -gt 0 ]; do \
		r=$$((r + 1)); secs=$$(( left < 240 ? left : 240 )); \
		left=$$((left - secs)); log=$(OUT)/stress-$$r.log; \
		logs=$$logs$${logs:+,}$$log; \
		echo "stress: round $$r of $$n, $$secs s"; \
		$(BOOT) --timeout $$((secs + 600)) \
			--append "kunit.filter_glob=shrinker.shrinker_test_stress shrinker.stress_secs=$$secs shrinkers.tests=none $(BOOT_EXTRA)" \
			test $(OBJ)/arch/x86/boot/bzImage \
			$(OUT)/initramfs.cpio.gz $$log || exit 1; \
	done; \
	python3 scripts/console.py --obj $(OBJ) results $(TREE) \
		$$logs shrinker

# make test-base: the same initramfs booted on the unpatched base, built
# from the pristine tree with the test config minus the series' suites;
# each selftest case's result there is checked against $(SERIES_DIR)/base-expect
# (feature: must fail on the base; guard: must pass on both).
BASE_TEST_OBJ := $(OUT)/obj-base-test
BASE_TEST_FRAGMENTS := configs/base.config configs/test.config
test-base: TEST_START := $(shell date +%s)
test-base: initramfs
	@scripts/config.sh $(BASE_TREE) $(BASE_TEST_OBJ) \
		$(addprefix $(TOP)/,$(BASE_TEST_FRAGMENTS))
	@STEP_OBJ=$(BASE_TEST_OBJ) scripts/step.sh \
		"kernel build (unpatched $(BASE))" \
		scripts/kmake.sh $(BASE_TREE) $(BASE_TEST_OBJ) bzImage
	@$(BOOT) --append "$(BOOT_EXTRA)" test \
		$(BASE_TEST_OBJ)/arch/x86/boot/bzImage $(OUT)/initramfs.cpio.gz \
		$(OUT)/test-base.log
	@python3 scripts/console.py base $(OUT)/test-base.log \
		$(TOP)/$(SERIES_DIR)/base-expect > $(OUT)/test-base.txt; \
	rc=$$?; cat $(OUT)/test-base.txt; \
	scripts/record.sh test-base-$(BASE) $(TEST_START) $(OUT)/test-base.txt; \
	exit $$rc

BENCH_FRAGMENTS := configs/base.config configs/bench.config
BENCH_KINDS     := bench-base bench-ours

# One unpatched and one patched kernel with the same bench config.
$(OUT)/obj-bench-%/.config: $(BENCH_FRAGMENTS) $(SERIES_DIR)/series \
		$(wildcard $(SERIES_DIR)/*.patch) bench/bench.patch
	@scripts/tree.sh $(BASE_TREE) $(OUT)/bench-$* bench-$*
	@scripts/config.sh $(OUT)/bench-$* $(OUT)/obj-bench-$* \
		$(addprefix $(TOP)/,$(BENCH_FRAGMENTS))

bench-kernels: base $(foreach k,$(BENCH_KINDS),$(OUT)/obj-$(k)/.config)
	@for k in $(BENCH_KINDS); do \
		scripts/tree.sh $(BASE_TREE) $(OUT)/$$k $$k && \
		STEP_OBJ=$(OUT)/obj-$$k scripts/step.sh "kernel build ($$k)" \
			scripts/kmake.sh $(OUT)/$$k $(OUT)/obj-$$k bzImage || \
			exit 1; \
	done

# Compile every converted list_lru user (not booted): gfs2, nfs, nfsd,
# binder, zswap and the rest of mm/ and XFS, which tinyconfig leaves out.
CALLERS_FRAGMENTS := configs/base.config configs/callers.config
callers: tree
	@scripts/config.sh $(TREE) $(OUT)/obj-callers \
		$(addprefix $(TOP)/,$(CALLERS_FRAGMENTS))
	@scripts/step.sh "callers build" scripts/kmake.sh $(TREE) \
		$(OUT)/obj-callers \
		mm/ fs/xfs/ fs/gfs2/ fs/nfs/ fs/nfsd/ drivers/android/

# Every list_lru/shrinker user of the kernel, under allmodconfig (objects).
allmod: tree
	@scripts/step.sh "allmodconfig objects" scripts/allmod.sh $(TREE) \
		$(OUT)/obj-allmod $(TOP)/configs/allmod.config

# make bench: the unpatched base and ours on it, for each of BENCH_BASES,
# in one run of alternating boots, with one initramfs (this base's)
BENCH_BASES ?= 7.2 6.12
bench: BENCH_START := $(shell date +%s)
bench: initramfs
	@for b in $(BENCH_BASES); do \
		$(MAKE) --no-print-directory BASE=$$b bench-kernels || exit 1; \
	done
	@scripts/bench.sh --accel $(ACCEL) \
		$(if $(BOOT_TIMEOUT),--timeout $(BOOT_TIMEOUT)) \
		$(BUILD)/bench-results $(OUT)/initramfs.cpio.gz \
		$(foreach b,$(BENCH_BASES),$(foreach k,base ours,\
		$(b)-$(k)=$(BUILD)/$(b)/obj-bench-$(k)/arch/x86/boot/bzImage))
	@scripts/record.sh bench $(BENCH_START) \
		$(BUILD)/bench-results/latest/results.md

series: base
	@scripts/series.sh $(BASE_TREE) $(OUT)/series

# every commit of the series builds and passes checkpatch, kernel-doc,
# sparse and get_maintainer; make test at the last (SERIES_TEST=0: not)
series-check: base
	@scripts/series-check.sh $(BASE_TREE) $(TOP) $(OUT)

check: config
	@scripts/check.sh $(TREE) $(TOP) $(OBJ)

clean:
	rm -rf $(OBJ) $(OUT)/selftests $(OUT)/*.cpio.gz $(OUT)/*.log

distclean:
	rm -rf $(BUILD)

