// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a task's swap charges between cgroup v1 memory controllers: the
 * walk that series 04's patch 24 converts (mc_handle_swap_pte() in
 * mm/memcontrol-v1.c reads the swap PTEs of the moving task).
 *
 *	memcg_move [MiB]	(default 16)
 *
 * Mounts the v1 memory controller, makes groups "from" and "to" (with
 * move_charge_at_immigrate = 1: move anonymous charges), joins "from",
 * maps MiB of private anonymous memory in 4K pages, pages half of it out
 * to swap (the lane's zram), then joins "to". The swap PTEs' charges must
 * move with it: "to" gets the swap that "from" had, "from" keeps none,
 * and the resident half moves too. Exits 0 when they did, 1 when not or
 * on an error, 4 (skip) without a v1 memory controller or swap.
 * Needs the x86_64-mm lane's zram_swap row first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define KSFT_SKIP	4
#define MNT		"/sys/fs/cgroup"

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	exit(1);
}

static void skip(const char *why)
{
	printf("SKIP memcg_move: %s\n", why);
	exit(KSFT_SKIP);
}

static void write_file(const char *path, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, buf, n) != n)
		die("writing '%s' to %s", buf, path);
	close(fd);
}

/* A key of a group's memory.stat, in bytes. */
static long long stat_of(const char *group, const char *key)
{
	char path[128], name[64];
	long long val, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), MNT "/%s/memory.stat", group);
	f = fopen(path, "r");
	if (!f)
		die("open %s", path);
	while (fscanf(f, "%63s %lld", name, &val) == 2)
		if (!strcmp(name, key)) {
			found = val;
			break;
		}
	fclose(f);
	if (found < 0) {
		fprintf(stderr, "no '%s' in %s\n", key, path);
		exit(1);
	}
	return found;
}

/* The "Swap:" bytes of the smaps entry that starts at @p. */
static long long swapped(void *p)
{
	char line[256], start[32];
	long long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		die("open /proc/self/smaps");
	snprintf(start, sizeof(start), "%lx-", (unsigned long)p);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, start, strlen(start)))
			in = 1;
		else if (in && !strncmp(line, "Swap:", 5)) {
			sscanf(line + 5, "%lld", &kb);
			break;
		}
	}
	fclose(f);
	return kb * 1024;
}

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 16;
	size_t len = mib << 20, half = len / 2;
	long long from_swap, from_rss, to_swap, to_rss, left_swap, left_rss;
	int round, ok = 1;
	char *p;

	if (mib < 2)
		skip("size must be at least 2 MiB");
	if (mount("memory", MNT, "cgroup", 0, "memory")) {
		if (errno == ENODEV || errno == ENOENT || errno == EINVAL)
			skip("no cgroup v1 memory controller (CONFIG_MEMCG_V1)");
		die("mount -t cgroup -o memory");
	}
	if ((mkdir(MNT "/from", 0755) && errno != EEXIST) ||
	    (mkdir(MNT "/to", 0755) && errno != EEXIST))
		die("mkdir");
	write_file(MNT "/to/memory.move_charge_at_immigrate", "1");
	write_file(MNT "/from/cgroup.procs", "%d", getpid());

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	/* 4K pages: one swap PTE per page, the case the walk handles. */
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 0x5a, len);
	for (round = 0; round < 5 && swapped(p) < (long long)half; round++)
		if (madvise(p + half, half, MADV_PAGEOUT))
			die("madvise(MADV_PAGEOUT)");
	if (swapped(p) < (long long)half * 9 / 10)
		skip("the pages did not go to swap (no swap on?)");

	from_swap = stat_of("from", "swap");
	from_rss = stat_of("from", "rss");
	printf("# before: from swap %lld rss %lld (%ld MiB, half paged out)\n",
	       from_swap, from_rss, mib);
	if (from_swap < (long long)half * 9 / 10) {
		printf("FAIL memcg_move: 'from' is charged %lld bytes of swap, want about %zu\n",
		       from_swap, half);
		return 1;
	}

	write_file(MNT "/to/cgroup.procs", "%d", getpid());
	to_swap = stat_of("to", "swap");
	to_rss = stat_of("to", "rss");
	left_swap = stat_of("from", "swap");
	left_rss = stat_of("from", "rss");
	printf("# after: to swap %lld rss %lld; from swap %lld rss %lld\n",
	       to_swap, to_rss, left_swap, left_rss);
	if (to_swap < from_swap * 9 / 10 || left_swap > from_swap / 10) {
		printf("FAIL memcg_move: the swap charges did not move (to %lld, left %lld of %lld)\n",
		       to_swap, left_swap, from_swap);
		ok = 0;
	}
	if (to_rss < (long long)half * 9 / 10 || left_rss > from_rss / 10) {
		printf("FAIL memcg_move: the resident charges did not move (to %lld, left %lld of %lld)\n",
		       to_rss, left_rss, from_rss);
		ok = 0;
	}
	/* The data came back intact from swap. */
	for (size_t i = 0; i < len; i += 4096)
		if (p[i] != 0x5a) {
			printf("FAIL memcg_move: byte %zu is %#x after the move\n",
			       i, p[i]);
			ok = 0;
			break;
		}

	munmap(p, len);
	write_file(MNT "/cgroup.procs", "%d", getpid());
	rmdir(MNT "/from");
	rmdir(MNT "/to");
	umount(MNT);
	if (ok)
		printf("PASS memcg_move: %lld bytes of swap and %lld resident moved from 'from' to 'to'\n",
		       to_swap, to_rss);
	return ok ? 0 : 1;
}
