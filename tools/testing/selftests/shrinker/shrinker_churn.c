// SPDX-License-Identifier: GPL-2.0
/*
 * shrinker_churn DIR MSECS: dentry/inode churn for `make bench`. Each
 * iteration creates a file, closes it, looks up a missing name, reopens
 * the file, unlinks it and closes it, so the dentry is killed and both
 * list_lru add and delete happen. Prints iterations per second.
 */
#include "shrinker_util.h"

int main(int argc, char **argv)
{
	char file[PATH_MAX], missing[PATH_MAX];
	double start, end, limit;
	unsigned long iters = 0;
	struct stat st;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DIR MSECS\n", argv[0]);
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
