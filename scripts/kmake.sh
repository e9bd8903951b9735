#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kmake.sh TREE OBJ [ARGS...]: the one kernel make command of the project:
# kbuild of TREE into OBJ for x86-64 with ccache, JOBS jobs (default: the
# CPUs), quiet; ARGS are targets and make variables (C=2, bzImage, ...).
tree=$1 obj=$(realpath -m "$2")
shift 2
# a kernel build of its own, not a part of the caller's make: none of the
# caller's command-line variables or jobserver reach kbuild
unset MAKEFLAGS MFLAGS MAKELEVEL
exec make -s -C "$tree" O="$obj" ARCH=x86_64 CC="ccache gcc" \
	-j"${JOBS:-$(nproc)}" "$@"
