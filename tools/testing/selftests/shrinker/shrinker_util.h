/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the shrinker selftests: cgroup v2 files, the shrinker
 * debugfs count files, and cache fillers that run inside a memcg.
 */
#ifndef SHRINKER_UTIL_H
#define SHRINKER_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#define CG_ROOT		"/sys/fs/cgroup"
#define SHRINKER_DBG	"/sys/kernel/debug/shrinker"
#define MAX_NODES	64
#define XFS_MAGIC	0x58465342

static inline double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Where the XFS scratch filesystem is mounted (set by the test guest). */
static inline const char *xfs_dir(void)
{
	const char *d = getenv("SHRINKER_XFS_DIR");

	return d ? d : "/mnt/xfs";
}

/* The scratch directory is on XFS (tests that need one skip otherwise). */
static inline int have_xfs(void)
{
	struct statfs sfs;

	return !statfs(xfs_dir(), &sfs) && sfs.f_type == XFS_MAGIC;
}

/* Remove the (empty) directory @sub of the XFS scratch filesystem. */
static inline void rm_dir(const char *sub)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", xfs_dir(), sub);
	rmdir(p);
}

static inline int write_file(const char *path, const char *buf)
{
	int fd, ret = 0;
	ssize_t n;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, strlen(buf));
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static inline int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* The /proc/meminfo line starting with @key ("MemFree:"), in kB; -1 if none */
static inline long meminfo_kb(const char *key)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			kb = strtol(line + strlen(key), NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

static inline int cg_path(char *out, const char *cg, const char *file)
{
	return snprintf(out, PATH_MAX, "%s/%s/%s", CG_ROOT, cg, file);
}

/*
 * A memcg-capable cgroup v2 hierarchy must be mounted, with slab accounting
 * (no cgroup.memory=nokmem): every memcg test here counts slab objects.
 */
static inline int cg_available(void)
{
	char buf[4096];

	if (read_file("/proc/cmdline", buf, sizeof(buf)) == 0 &&
	    strstr(buf, "cgroup.memory=nokmem"))
		return 0;
	if (read_file(CG_ROOT "/cgroup.subtree_control", buf, sizeof(buf)))
		return 0;
	return !!strstr(buf, "memory");
}

static inline int cg_create(const char *cg)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", CG_ROOT, cg);
	if (mkdir(p, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static inline int cg_enable_memory(const char *cg)
{
	char p[PATH_MAX];

	cg_path(p, cg, "cgroup.subtree_control");
	return write_file(p, "+memory");
}

/* Remove a cgroup, retrying while its last tasks finish exiting. */
static inline int cg_destroy(const char *cg)
{
	char p[PATH_MAX];
	int i;

	snprintf(p, sizeof(p), "%s/%s", CG_ROOT, cg);
	for (i = 0; i < 100; i++) {
		if (!rmdir(p) || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

static inline int cg_write(const char *cg, const char *file, const char *val)
{
	char p[PATH_MAX];

	cg_path(p, cg, file);
	return write_file(p, val);
}

/* One "key value" line of a flat-keyed cgroup file, or -1. */
static inline long cg_read_key(const char *cg, const char *file,
			       const char *key)
{
	char p[PATH_MAX], buf[8192], *s;
	size_t klen = strlen(key);

	cg_path(p, cg, file);
	if (read_file(p, buf, sizeof(buf)))
		return -1;
	for (s = buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		if (!strncmp(s, key, klen) && s[klen] == ' ')
			return atol(s + klen + 1);
	}
	return -1;
}

/* @cg's memory.current, or -1 */
static inline long cg_current(const char *cg)
{
	char p[PATH_MAX], buf[64];

	cg_path(p, cg, "memory.current");
	return read_file(p, buf, sizeof(buf)) ? -1 : atol(buf);
}

static inline long cg_slab(const char *cg)
{
	return cg_read_key(cg, "memory.stat", "slab_reclaimable");
}

/* The memcg id the shrinker debugfs files use: the cgroup's inode number. */
static inline unsigned long cg_ino(const char *cg)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", CG_ROOT, cg);
	if (stat(p, &st))
		return 0;
	return st.st_ino;
}

/*
 * Start @fn(@arg) in a child that first joins cgroup @cg (unless NULL) and
 * binds itself to @cpu (unless negative); return its pid or -errno.
 */
static inline pid_t start_child(const char *cg, int cpu, int (*fn)(void *),
				void *arg)
{
	char p[PATH_MAX];
	cpu_set_t set;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (cg) {
			cg_path(p, cg, "cgroup.procs");
			if (write_file(p, "0"))
				_exit(126);
		}
		if (cpu >= 0) {
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				_exit(125);
		}
		_exit(fn(arg));
	}
	return pid;
}

/* The exit status of child @pid (a negative @pid is passed through). */
static inline int wait_child(pid_t pid)
{
	int status;

	if (pid < 0)
		return pid;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}

/* Run @fn(@arg) as start_child() does; return its exit status. */
static inline int run_child(const char *cg, int cpu, int (*fn)(void *),
			    void *arg)
{
	return wait_child(start_child(cg, cpu, fn, arg));
}

static inline int cg_run(const char *cg, int (*fn)(void *), void *arg)
{
	return run_child(cg, -1, fn, arg);
}

static inline int run_on_cpu(int cpu, int (*fn)(void *), void *arg)
{
	return run_child(NULL, cpu, fn, arg);
}

/*
 * @cg's slab_reclaimable: memory.stat is flushed lazily, so read it until
 * two reads @poll_us apart agree within 1%, or 5 seconds pass.
 */
static inline long settled_slab(const char *cg, useconds_t poll_us)
{
	double deadline = now_sec() + 5;
	long prev = cg_slab(cg), cur;

	for (;;) {
		usleep(poll_us);
		cur = cg_slab(cg);
		if (labs(cur - prev) * 100 <= prev || now_sec() > deadline)
			return cur;
		prev = cur;
	}
}

struct fill {
	const char *dir;	/* created if missing */
	int negative;		/* lookups of missing names */
	int files;		/* real files, created and closed */
};

/* Negative dentries (missing names looked up) and real files in @f->dir. */
static inline int fill_dir(void *arg)
{
	struct fill *f = arg;
	int i, fd, dfd, ret = 0;
	struct stat st;
	char name[32];

	if (mkdir(f->dir, 0755) && errno != EEXIST)
		return 1;
	dfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return 1;
	for (i = 0; i < f->negative && !ret; i++) {
		snprintf(name, sizeof(name), "missing-%d", i);
		if (!fstatat(dfd, name, &st, 0) || errno != ENOENT)
			ret = 2;
	}
	for (i = 0; i < f->files && !ret; i++) {
		snprintf(name, sizeof(name), "file-%d", i);
		fd = openat(dfd, name, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			ret = 3;
		else
			close(fd);
	}
	close(dfd);
	return ret;
}

/*
 * Undo fill_dir(): look the missing names up again (still missing),
 * unlink the files and remove the directory.
 */
static inline int unfill_dir(void *arg)
{
	struct fill *f = arg;
	int i, dfd, ret = 0;
	struct stat st;
	char name[32];

	dfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return 1;
	for (i = 0; (i < f->negative || i < f->files) && !ret; i++) {
		snprintf(name, sizeof(name), "missing-%d", i);
		if (i < f->negative &&
		    (!fstatat(dfd, name, &st, 0) || errno != ENOENT))
			ret = 2;
		snprintf(name, sizeof(name), "file-%d", i);
		if (i < f->files && !ret && unlinkat(dfd, name, 0))
			ret = 3;
	}
	close(dfd);
	if (!ret && rmdir(f->dir))
		ret = 4;
	return ret;
}

static inline int touch_a_page(void *arg)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	p[0] = 1;
	return 0;
}

/*
 * Empty every CPU's memcg charge cache. A CPU's cache (memcg_stock) holds
 * a css reference on each memcg it caches, also once the slot's pages are
 * used up, and the offline of a memcg drains only the CPUs where its slot
 * still holds pages (7.2's is_memcg_drain_needed()): a removed memcg can
 * stay dying until other memcgs' charges push it out of that CPU's cache,
 * which an idle guest may never do. A page charged on each CPU to a
 * helper memcg leaves the rest of a charge batch cached there; lowering
 * the helper's memory.high below its usage then drains each of those
 * CPUs' caches, whole (drain_stock_fully()), the others' CPUs from a
 * worker: the helper's usage falls below half a charge batch when they
 * all ran (what its exited children's kernel memory still holds, freed
 * after a grace period, is a page or two). Returns 0; 1 when its usage
 * stayed above that for 2 s (the drain may not be done); -1 when a step
 * failed.
 */
static inline int cg_drain_stocks(void)
{
	double deadline;
	cpu_set_t cpus;
	int cpu, ret = 0;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) ||
	    cg_create("stock-drain") ||
	    cg_write("stock-drain", "memory.high", "max"))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &cpus) &&
		    run_child("stock-drain", cpu, touch_a_page, NULL))
			ret = -1;
	if (cg_write("stock-drain", "memory.high", "0"))
		ret = -1;
	deadline = now_sec() + 2;
	while (!ret) {
		long cur = cg_current("stock-drain");

		if (cur < 0)
			ret = -1;
		else if (cur < 32 * 4096)
			break;
		else if (now_sec() > deadline)
			ret = 1;
		else
			usleep(10000);
	}
	if (cg_write("stock-drain", "memory.high", "max") ||
	    cg_destroy("stock-drain"))
		ret = -1;
	return ret;
}

/* cg_drain_stocks() in a polling loop: at most once a second (@next). */
static inline void cg_drain_stocks_due(double *next)
{
	if (now_sec() < *next)
		return;
	cg_drain_stocks();
	*next = now_sec() + 1;
}

/*
 * Wait up to @secs for the dead descendants of @cg to be freed, emptying
 * the charge caches once a second (cg_drain_stocks()) and writing @reclaim
 * (unless NULL) to its memory.reclaim between polls. Returns how many are
 * left (0 when all went), -1 if cgroup.stat is unreadable.
 */
static inline long cg_wait_dying(const char *cg, const char *reclaim,
				 double secs)
{
	double deadline = now_sec() + secs, drain = 0;
	long n;

	for (;;) {
		n = cg_read_key(cg, "cgroup.stat", "nr_dying_descendants");
		if (n <= 0 || now_sec() > deadline)
			return n;
		cg_drain_stocks_due(&drain);
		if (reclaim)
			cg_write(cg, "memory.reclaim", reclaim);
		usleep(100000);
	}
}

/* The debugfs directory of the first shrinker named "@prefix...". */
static inline int shrinker_dir(const char *prefix, char *out, size_t len)
{
	struct dirent *de;
	DIR *d;
	int found = 0;

	d = opendir(SHRINKER_DBG);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, prefix, strlen(prefix))) {
			snprintf(out, len, "%s/%s", SHRINKER_DBG, de->d_name);
			found = 1;
			break;
		}
	}
	closedir(d);
	return found ? 0 : -ENOENT;
}

/* The superblock shrinker of the (only) @fstype mount: "sb-xfs:vda-N". */
static inline int sb_shrinker_dir(const char *fstype, char *out, size_t len)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "sb-%s:", fstype);
	return shrinker_dir(prefix, out, len);
}

/* Ask the shrinker in @dir to scan @nr objects of memcg @ino on @nid. */
static inline int shrinker_scan(const char *dir, unsigned long ino, int nid,
				long nr)
{
	char p[PATH_MAX + 8], cmd[96];

	snprintf(p, sizeof(p), "%s/scan", dir);
	snprintf(cmd, sizeof(cmd), "%lu %d %ld", ino, nid, nr);
	return write_file(p, cmd);
}

/* Nodes the kernel knows (node0..nodeN-1 in sysfs). */
static inline int nr_nodes(void)
{
	char p[64];
	int n = 0;

	for (;;) {
		snprintf(p, sizeof(p), "/sys/devices/system/node/node%d", n);
		if (access(p, F_OK))
			return n;
		n++;
	}
}

/* The first CPU of a node, as sysfs lists them ("1" or "0-3"); -1 if none */
static inline int first_cpu_of(int nid)
{
	char p[96], buf[64];

	snprintf(p, sizeof(p), "/sys/devices/system/node/node%d/cpulist", nid);
	if (read_file(p, buf, sizeof(buf)) || buf[0] < '0' || buf[0] > '9')
		return -1;
	return atoi(buf);
}

/*
 * One line of a shrinker's debugfs "count" file: "<memcg ino> <node0>
 * <node1> ...". Returns the number of per-node fields (0: not a count
 * line); @per_node (MAX_NODES entries) may be NULL.
 */
static inline int parse_count_line(const char *line, unsigned long *ino,
				   long *per_node, long *total)
{
	const char *s = line;
	char *end;
	int nid;

	*ino = strtoul(s, &end, 10);
	if (end == s)
		return 0;
	*total = 0;
	for (nid = 0, s = end; nid < MAX_NODES; nid++, s = end) {
		long v = strtol(s, &end, 10);

		if (end == s)
			break;
		if (per_node)
			per_node[nid] = v;
		*total += v;
	}
	return nid;
}

/*
 * Totals of memcgs @inos[0..n) from one read of the debugfs "count" file
 * of the shrinker in @dir: @out[i] gets memcg @inos[i]'s objects, 0 when
 * it has no line. @per_node, if not NULL, is an array of @n rows of
 * MAX_NODES that gets each memcg's per-node counts.
 */
static inline int shrinker_count_many(const char *dir,
				      const unsigned long *inos, int n,
				      long *out, long *per_node)
{
	char p[PATH_MAX + 16], line[4096];
	long nodes[MAX_NODES], total;
	unsigned long ino;
	FILE *f;
	int i;

	memset(out, 0, sizeof(long) * n);
	if (per_node)
		memset(per_node, 0, sizeof(long) * MAX_NODES * n);
	snprintf(p, sizeof(p), "%s/count", dir);
	f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		memset(nodes, 0, sizeof(nodes));
		if (!parse_count_line(line, &ino, nodes, &total))
			continue;
		for (i = 0; i < n; i++) {
			if (inos[i] != ino)
				continue;
			out[i] = total;
			if (per_node)
				memcpy(per_node + i * MAX_NODES, nodes,
				       sizeof(nodes));
			break;
		}
	}
	fclose(f);
	return 0;
}

/*
 * Per-node counts of a shrinker that is not memcg-aware: its count file has
 * one line, whatever memcg it names. Returns the total, -1 on error.
 */
static inline long shrinker_count_global(const char *dir, long *per_node)
{
	char p[PATH_MAX + 16], line[4096];
	unsigned long ino;
	long total = 0;
	FILE *f;

	memset(per_node, 0, sizeof(long) * MAX_NODES);
	snprintf(p, sizeof(p), "%s/count", dir);
	f = fopen(p, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f) &&
	    !parse_count_line(line, &ino, per_node, &total))
		total = 0;
	fclose(f);
	return total;
}

/* Objects a shrinker reports for memcg @ino (per node in @per_node). */
static inline long shrinker_count(const char *dir, unsigned long ino,
				  long *per_node)
{
	long total;

	if (shrinker_count_many(dir, &ino, 1, &total, per_node))
		return -1;
	return total;
}

#ifdef __KSELFTEST_HARNESS_H
/*
 * Superblock shrinker counts of memcg @cg, per node, raw (@raw) and net of
 * the empty memcg @empty's (@net): the 6.12 superblock shrinker adds the
 * filesystem's own global count (XFS: inodes awaiting reclaim) to every
 * memcg's line. Returns @cg's net total. A memcg that is not there or a
 * count file that cannot be read fails the case: a count of 0 from a
 * failed read would pass every "all freed" check.
 */
static inline long sb_count_net(struct __test_metadata *_metadata,
				const char *sbdir, const char *cg,
				const char *empty, long *raw, long *net)
{
	unsigned long inos[2] = { cg_ino(cg), cg_ino(empty) };
	long tot[2], rows[2][MAX_NODES], sum = 0;
	int nid;

	ASSERT_NE(0, inos[0]) TH_LOG("no memcg %s", cg);
	ASSERT_NE(0, inos[1]) TH_LOG("no memcg %s", empty);
	ASSERT_EQ(0, shrinker_count_many(sbdir, inos, 2, tot, &rows[0][0]))
		TH_LOG("cannot read %s/count", sbdir);
	for (nid = 0; nid < MAX_NODES; nid++) {
		if (raw)
			raw[nid] = rows[0][nid];
		if (net)
			net[nid] = rows[0][nid] - rows[1][nid];
		sum += rows[0][nid] - rows[1][nid];
	}
	return sum;
}

/*
 * One debugfs scan of memcg @cg on every node, of twice the node's count:
 * the superblock shrinker splits a scan between dentries, inodes and the
 * filesystem's objects in proportion to their counts, and referenced
 * objects need a second look. The count is the raw one, or with @own the
 * net one (@cg's less @empty's): the raw count includes the filesystem's
 * evicted inodes, which a scan of it would give their share and free.
 */
static inline void sb_scan_memcg(struct __test_metadata *_metadata,
				 const char *sbdir, const char *cg,
				 const char *empty, bool own)
{
	long raw[MAX_NODES], net[MAX_NODES], n;
	int nid;

	sb_count_net(_metadata, sbdir, cg, empty, raw, net);
	for (nid = 0; nid < MAX_NODES; nid++) {
		n = own ? net[nid] : raw[nid];
		if (n > 0)
			shrinker_scan(sbdir, cg_ino(cg), nid, 2 * n);
	}
}

/*
 * Scan memcg @cg (sb_scan_memcg()) until its net count is below @limit or
 * @secs pass; the net count is returned.
 */
static inline long sb_shrink_memcg(struct __test_metadata *_metadata,
				   const char *sbdir, const char *cg,
				   const char *empty, long limit, double secs,
				   bool own)
{
	double deadline = now_sec() + secs;
	long n;

	for (;;) {
		n = sb_count_net(_metadata, sbdir, cg, empty, NULL, NULL);
		if (n < limit || now_sec() > deadline)
			return n;
		sb_scan_memcg(_metadata, sbdir, cg, empty, own);
		usleep(10000);
	}
}
#endif /* __KSELFTEST_HARNESS_H */

#endif /* SHRINKER_UTIL_H */
