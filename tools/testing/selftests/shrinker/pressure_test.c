// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel memory pressure listeners (vmpressure_listen()), watched
 * through /sys/kernel/debug/vmpressure_listeners (CONFIG_VMPRESSURE_DEBUG).
 *
 * Listeners on a memcg A, its sibling B and their parent P; pressure in A
 * (memory.high written far below the page cache A holds) must reach A's
 * and P's listeners and not B's. Bad writes to the file fail with a clear
 * error and change nothing.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define LISTENERS	"/sys/kernel/debug/vmpressure_listeners"
#define FILES		48
#define FILE_BYTES	(1024 * 1024)

static char data[FILE_BYTES];
static char dir[PATH_MAX];

static int write_files(void *arg)
{
	char name[PATH_MAX + 32];
	int i, fd, ret = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return 1;
	memset(data, 'v', sizeof(data));
	for (i = 0; i < FILES && !ret; i++) {
		snprintf(name, sizeof(name), "%s/f%d", dir, i);
		fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0)
			return 2;
		if (write(fd, data, sizeof(data)) != sizeof(data) || fsync(fd))
			ret = 3;
		close(fd);
	}
	return ret;
}

static int listeners_write(const char *s)
{
	return write_file(LISTENERS, s);
}

/* Notifications the listener on @ino had, all levels, or -1 if none is. */
static long heard(unsigned long ino)
{
	char buf[4096], *line;
	unsigned long i;
	long low, med, crit;
	char lvl[16];

	if (read_file(LISTENERS, buf, sizeof(buf)))
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%lu %15s %ld %ld %ld", &i, lvl, &low, &med,
			   &crit) == 5 && i == ino)
			return low + med + crit;
	}
	return -1;
}

static int listen_on(const char *cg, const char *level)
{
	char req[64];

	snprintf(req, sizeof(req), "%lu %s", cg_ino(cg), level);
	return listeners_write(req);
}

static int unlisten(const char *cg)
{
	char req[64];

	snprintf(req, sizeof(req), "-%lu", cg_ino(cg));
	return listeners_write(req);
}

TEST(memcg_and_ancestors_only)
{
	const char *p = "vp", *a = "vp/a", *b = "vp/b";
	double deadline;
	long ha, hb, hp;
	int i;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller");
	if (access(LISTENERS, W_OK))
		SKIP(return, "no %s (CONFIG_VMPRESSURE_DEBUG)", LISTENERS);
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, cg_create(p));
	ASSERT_EQ(0, cg_enable_memory(p));
	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	ASSERT_EQ(0, listen_on(a, "low"));
	ASSERT_EQ(0, listen_on(b, "low"));
	ASSERT_EQ(0, listen_on(p, "low"));
	EXPECT_EQ(0, heard(cg_ino(a)));

	snprintf(dir, sizeof(dir), "%s/vp-a", xfs_dir());
	ASSERT_EQ(0, cg_run(a, write_files, NULL));
	/* 48 MB of page cache against a limit of 8 MB */
	ASSERT_EQ(0, cg_write(a, "memory.high", "8M"));
	deadline = now_sec() + 10;
	while (heard(cg_ino(a)) <= 0 && now_sec() < deadline)
		usleep(100000);
	usleep(500000);
	ha = heard(cg_ino(a));
	hb = heard(cg_ino(b));
	hp = heard(cg_ino(p));
	TH_LOG("notifications: A %ld, sibling B %ld, parent %ld", ha, hb, hp);
	EXPECT_GT(ha, 0);
	EXPECT_EQ(0, hb);
	EXPECT_GT(hp, 0);

	/* bad requests: a clear error, nothing added or removed */
	EXPECT_EQ(-EINVAL, listeners_write("nonsense"));
	EXPECT_EQ(-EINVAL, listen_on(a, "extreme"));
	EXPECT_EQ(-EINVAL, listeners_write("-x"));
	EXPECT_EQ(-ENOENT, listeners_write("-4000000000"));
	EXPECT_EQ(ha, heard(cg_ino(a)));

	EXPECT_EQ(0, unlisten(a));
	EXPECT_EQ(0, unlisten(b));
	EXPECT_EQ(0, unlisten(p));
	EXPECT_EQ(-1, heard(cg_ino(a)));
	EXPECT_EQ(-ENOENT, unlisten(a));

	for (i = 0; i < FILES; i++) {
		char f[PATH_MAX + 32];

		snprintf(f, sizeof(f), "%s/f%d", dir, i);
		unlink(f);
	}
	rmdir(dir);
	EXPECT_EQ(0, cg_destroy(a));
	EXPECT_EQ(0, cg_destroy(b));
	EXPECT_EQ(0, cg_destroy(p));
}

TEST_HARNESS_MAIN
