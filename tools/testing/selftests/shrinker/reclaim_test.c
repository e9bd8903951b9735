// SPDX-License-Identifier: GPL-2.0
/*
 * Memcg-targeted and global slab reclaim through the superblock shrinker,
 * and superblock shrinkers registered and freed under reclaim.
 *
 * Negative dentries are the probe: a lookup of a missing name on XFS leaves
 * one dentry on the superblock's list_lru, charged to the memcg of the task
 * that looked it up. (tmpfs and the initramfs root drop them at once.)
 */
#define _GNU_SOURCE
#include <sys/mount.h>

#include "../kselftest_harness.h"
#include "shrinker_util.h"

#define NEGATIVE	20000

TEST(memcg_isolation)
{
	char dir_a[PATH_MAX], dir_b[PATH_MAX], sbdir[PATH_MAX];
	struct fill fa = { .dir = dir_a, .negative = NEGATIVE };
	struct fill fb = { .dir = dir_b, .negative = NEGATIVE };
	const char *a = "shrinker-iso-a", *b = "shrinker-iso-b";
	long slab_a0, slab_b0, slab_a1, slab_b1, cnt_a0, cnt_b0, cnt_a1, cnt_b1;
	int ret;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, sb_shrinker_dir("xfs", sbdir, sizeof(sbdir)));
	snprintf(dir_a, sizeof(dir_a), "%s/iso-a", xfs_dir());
	snprintf(dir_b, sizeof(dir_b), "%s/iso-b", xfs_dir());

	ASSERT_EQ(0, cg_create(a));
	ASSERT_EQ(0, cg_create(b));
	ASSERT_EQ(0, cg_run(a, fill_dir, &fa));
	ASSERT_EQ(0, cg_run(b, fill_dir, &fb));

	cnt_a0 = shrinker_count(sbdir, cg_ino(a), NULL);
	cnt_b0 = shrinker_count(sbdir, cg_ino(b), NULL);
	slab_a0 = settled_slab(a, 500000);
	slab_b0 = settled_slab(b, 500000);
	TH_LOG("before: A %ld objects %ld slab bytes, B %ld objects %ld bytes",
	       cnt_a0, slab_a0, cnt_b0, slab_b0);
	EXPECT_GE(cnt_a0, NEGATIVE);
	EXPECT_GE(cnt_b0, NEGATIVE);

	ret = cg_write(a, "memory.reclaim", "64M");
	EXPECT_TRUE(ret == 0 || ret == -EAGAIN) TH_LOG("memory.reclaim: %d", ret);

	cnt_a1 = shrinker_count(sbdir, cg_ino(a), NULL);
	cnt_b1 = shrinker_count(sbdir, cg_ino(b), NULL);
	slab_a1 = settled_slab(a, 500000);
	slab_b1 = settled_slab(b, 500000);
	TH_LOG("after:  A %ld objects %ld slab bytes, B %ld objects %ld bytes",
	       cnt_a1, slab_a1, cnt_b1, slab_b1);

	/* A lost (nearly) all its dentries; B kept its own */
	EXPECT_LE(cnt_a1 * 10, cnt_a0);
	EXPECT_LE(slab_a1 * 2, slab_a0);
	EXPECT_LE(labs(cnt_b1 - cnt_b0) * 10, cnt_b0);
	EXPECT_LE(labs(slab_b1 - slab_b0) * 10, slab_b0);

	rm_dir("iso-a");
	rm_dir("iso-b");
	EXPECT_EQ(0, cg_destroy(a));
	EXPECT_EQ(0, cg_destroy(b));
}

TEST(drop_caches)
{
	char dir[PATH_MAX], sbdir[PATH_MAX];
	struct fill f = { .dir = dir, .negative = NEGATIVE };
	const char *c = "shrinker-drop";
	long slab0, slab1, cnt0, cnt1;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	if (!have_xfs())
		SKIP(return, "no XFS scratch filesystem at %s", xfs_dir());
	ASSERT_EQ(0, sb_shrinker_dir("xfs", sbdir, sizeof(sbdir)));
	snprintf(dir, sizeof(dir), "%s/drop", xfs_dir());

	ASSERT_EQ(0, cg_create(c));
	ASSERT_EQ(0, cg_run(c, fill_dir, &f));
	cnt0 = shrinker_count(sbdir, cg_ino(c), NULL);
	slab0 = settled_slab(c, 500000);
	TH_LOG("before: %ld objects, %ld slab bytes", cnt0, slab0);
	EXPECT_GE(cnt0, NEGATIVE);

	ASSERT_EQ(0, write_file("/proc/sys/vm/drop_caches", "2"));

	cnt1 = shrinker_count(sbdir, cg_ino(c), NULL);
	slab1 = settled_slab(c, 500000);
	TH_LOG("after:  %ld objects, %ld slab bytes", cnt1, slab1);
	EXPECT_LE(cnt1 * 10, cnt0);
	EXPECT_LE(slab1 * 10, slab0);

	rm_dir("drop");
	EXPECT_EQ(0, cg_destroy(c));
}

/*
 * Superblock shrinkers come and go with mounts while reclaim walks the
 * shrinker list: a task in a memcg mounts a tmpfs, fills it and unmounts
 * it over and over, while the test runs drop_caches and the memcg's
 * memory.reclaim over and over.
 * Nothing may fail, and the console must stay clean (the harness scans it
 * for splats).
 */
TEST(mount_umount_under_reclaim)
{
	const char *mnt = "/tmp/shrinker-mnt", *cg = "shrinker-mnt";
	double end = now_sec() + 10;
	int status, reclaims = 0;
	pid_t pid;

	if (!cg_available())
		SKIP(return, "no cgroup v2 memory controller with slab accounting");
	ASSERT_EQ(0, cg_create(cg));
	if (mkdir(mnt, 0755) && errno != EEXIST)
		ASSERT_EQ(0, -errno);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct fill f = { .dir = "/tmp/shrinker-mnt/d", .files = 200 };

		/* its tmpfs objects are charged to the memcg being reclaimed */
		if (cg_write(cg, "cgroup.procs", "0"))
			_exit(4);
		while (now_sec() < end) {
			if (mount("none", mnt, "tmpfs", 0, NULL))
				_exit(1);
			if (fill_dir(&f))
				_exit(2);
			if (umount(mnt))
				_exit(3);
		}
		_exit(0);
	}
	while (now_sec() < end) {
		int ret = cg_write(cg, "memory.reclaim", "1M");

		EXPECT_TRUE(ret == 0 || ret == -EAGAIN);
		EXPECT_EQ(0, write_file("/proc/sys/vm/drop_caches", "2"));
		reclaims++;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("mounting task: status %#x", status);
	TH_LOG("%d rounds of drop_caches and memory.reclaim", reclaims);
	rmdir(mnt);
	EXPECT_EQ(0, cg_destroy(cg));
}

TEST_HARNESS_MAIN
