// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker_fill DIR NEGATIVE FILES: fill the dentry and inode caches from
 * the calling task's memcg (used by the demo and the bench workloads).
 */
#include "shrinker_util.h"

int main(int argc, char **argv)
{
	struct fill f;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DIR NEGATIVE FILES\n", argv[0]);
		return 2;
	}
	f.dir = argv[1];
	f.negative = atoi(argv[2]);
	f.files = atoi(argv[3]);
	return fill_dir(&f);
}
