// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker_umount CGDIR N NEG MNT DEV: look up NEG missing names in MNT
 * from each of the memcgs CGDIR/m0 .. CGDIR/m<N-1> in turn (one task moving
 * itself), so that the superblock's dentry list holds objects of N memcgs;
 * then time umount(MNT), print the nanoseconds, and mount DEV on MNT again.
 * The umount's shrink_dcache_sb() walks and counts those lists (a bench
 * workload).
 */
#include <sys/mount.h>
#include "shrinker_util.h"

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	char p[PATH_MAX], name[64];
	int n, neg, i, j, dfd;
	struct stat st;

	if (argc != 6) {
		fprintf(stderr, "usage: %s CGDIR N NEG MNT DEV\n", argv[0]);
		return 2;
	}
	n = atoi(argv[2]);
	neg = atoi(argv[3]);
	dfd = open(argv[4], O_RDONLY | O_DIRECTORY);
	if (n <= 0 || neg <= 0 || dfd < 0) {
		fprintf(stderr, "%s: bad arguments or no %s\n", argv[0], argv[4]);
		return 2;
	}
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/m%d/cgroup.procs", argv[1], i);
		if (write_file(p, "0")) {
			fprintf(stderr, "%s: cannot join %s\n", argv[0], p);
			return 1;
		}
		for (j = 0; j < neg; j++) {
			snprintf(name, sizeof(name), "um-%d-%d", i, j);
			if (!fstatat(dfd, name, &st, 0) || errno != ENOENT)
				return 1;
		}
	}
	close(dfd);
	if (write_file(CG_ROOT "/cgroup.procs", "0"))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (umount(argv[4])) {
		perror("umount");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld\n", (t1.tv_sec - t0.tv_sec) * 1000000000LL +
	       (t1.tv_nsec - t0.tv_nsec));
	if (mount(argv[5], argv[4], "xfs", 0, NULL)) {
		perror("mount");
		return 1;
	}
	return 0;
}
