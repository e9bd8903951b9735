// SPDX-License-Identifier: GPL-2.0
/*
 * Dentry and inode churn for `make bench`; prints operations per second.
 *
 * shrinker_churn DIR MSECS: each iteration creates a file, closes it, looks
 * up a missing name, reopens the file, unlinks it and closes it, so the
 * dentry is killed and both list_lru add and delete happen.
 *
 * shrinker_churn --inodes DIR MSECS: the inode-LRU variant. FILES files are
 * made once; each round stats them all (their dentries and inodes come back
 * into the caches), then asks the superblock shrinker, through debugfs, to
 * scan the task's memcg on every node: the dentries go, their inodes move
 * to the inode LRU. Counts files stat'ed.
 */
#include "shrinker_util.h"

#define FILES	1000

/* The debugfs id of the calling task's memcg, from /proc/self/cgroup. */
static unsigned long self_memcg_ino(void)
{
	char buf[256], *nl;

	if (read_file("/proc/self/cgroup", buf, sizeof(buf)) ||
	    strncmp(buf, "0::/", 4))
		return 0;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return cg_ino(buf + 4);
}

static int inode_churn(const char *dir, double limit)
{
	long per_node[MAX_NODES];
	unsigned long ino = self_memcg_ino();
	double start, end;
	unsigned long done = 0;
	char sbdir[PATH_MAX], p[PATH_MAX + 32];
	struct stat st;
	int i, fd, nid;

	if (!ino || sb_shrinker_dir("xfs", sbdir, sizeof(sbdir)))
		return 1;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return 1;
	for (i = 0; i < FILES; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dir, i);
		fd = open(p, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return 1;
		close(fd);
	}
	start = now_sec();
	do {
		for (i = 0; i < FILES; i++, done++) {
			snprintf(p, sizeof(p), "%s/f%d", dir, i);
			if (stat(p, &st))
				return 1;
		}
		shrinker_count(sbdir, ino, per_node);
		for (nid = 0; nid < MAX_NODES; nid++)
			if (per_node[nid] > 0)
				shrinker_scan(sbdir, ino, nid,
					      2 * per_node[nid]);
		end = now_sec();
	} while (end - start < limit);
	printf("%.0f\n", done / (end - start));
	return 0;
}

int main(int argc, char **argv)
{
	char file[PATH_MAX], missing[PATH_MAX];
	double start, end, limit;
	unsigned long iters = 0;
	struct stat st;
	int fd;

	if (argc == 4 && !strcmp(argv[1], "--inodes"))
		return inode_churn(argv[2], atoi(argv[3]) / 1000.0);
	if (argc != 3) {
		fprintf(stderr, "usage: %s [--inodes] DIR MSECS\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST)
		return 1;
	snprintf(file, sizeof(file), "%s/churn", argv[1]);
	limit = atoi(argv[2]) / 1000.0;
	start = now_sec();
	do {
		int i;

		for (i = 0; i < 64; i++, iters++) {
			fd = open(file, O_CREAT | O_WRONLY, 0644);
			if (fd < 0)
				return 1;
			close(fd);
			snprintf(missing, sizeof(missing), "%s/missing-%lu",
				 argv[1], iters & 1023);
			stat(missing, &st);
			fd = open(file, O_RDONLY);
			if (fd < 0 || unlink(file))
				return 1;
			close(fd);
		}
		end = now_sec();
	} while (end - start < limit);
	printf("%.0f\n", iters / (end - start));
	return 0;
}
