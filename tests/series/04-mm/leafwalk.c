// SPDX-License-Identifier: GPL-2.0
/*
 * Swap entries through the page table walkers that series 04 converts
 * to leaf entries, for the x86_64-mm lane (needs swap: zram_swap first).
 *
 *	leafwalk check
 *	leafwalk bench [-n PAGES] [-r REPEATS]
 *
 * check: a private anonymous region, paged out with MADV_PAGEOUT so that
 * every PTE holds a swap entry, must read as swapped in /proc/self/pagemap
 * (fs/proc/task_mmu.c) and count as Swap in smaps; clear_refs must clear
 * the soft-dirty bits of those swap PTEs; mprotect() (mm/mprotect.c) must
 * leave them alone; MADV_WILLNEED (mm/madvise.c) must read them into the
 * swap cache, where mincore() (mm/mincore.c) sees them; a fork() child
 * (mm/memory.c, copy and zap of swap PTEs) must read the data back, and
 * so must we; with two NUMA nodes, move_pages(2) back and forth under a
 * reading thread (migration entries) must keep the data; MADV_FREE and
 * MADV_DONTNEED must drop the entries. KTAP-ish
 * "ok"/"not ok" lines; exit 0, 1 on a failed check, 4 (skip) without swap.
 *
 * bench: the cost per page of reading pagemap, of mincore() and of an
 * mprotect() read-only/read-write pair over a region full of swap
 * entries, and of a fork() of it (the child exits at once, so its page
 * tables are copied and zapped), as "kq-bench:" lines (harness/bench.awk):
 * the median of REPEATS runs each. Fails if the region is not all swap
 * entries before and after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KSFT_SKIP	4
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_SWAP_TYPE(e)	((e) & 0x1f)
#define PM_SWAP_OFF(e)	(((e) >> 5) & ((1ULL << 50) - 1))
#define MPOL_MF_MOVE	(1 << 1)

static long psize;
static int pagemap_fd;
static int failed, num;

static void result(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failed++;
}

static void die(const char *what)
{
	printf("leafwalk: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t word(size_t page, size_t k)
{
	return (page + 1) * 0x9e3779b97f4a7c15ULL ^ (k * 0x2545f4914f6cdd1dULL);
}

static char *map_region(size_t n)
{
	char *p = mmap(NULL, n * psize, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i, k;

	if (p == MAP_FAILED)
		die("mmap");
	/* Small pages: the walkers' PTE paths, not a THP's PMD. */
	madvise(p, n * psize, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		for (k = 0; k < psize / 8; k++)
			((uint64_t *)(p + i * psize))[k] = word(i, k);
	return p;
}

/* Pages of the region whose data is not what map_region() wrote. */
static size_t bad_pages(const char *p, size_t n)
{
	size_t i, k, bad = 0;

	for (i = 0; i < n; i++)
		for (k = 0; k < psize / 8; k++)
			if (((const uint64_t *)(p + i * psize))[k] != word(i, k)) {
				bad++;
				break;
			}
	return bad;
}

static size_t nonzero_pages(const char *p, size_t n)
{
	size_t i, k, nz = 0;

	for (i = 0; i < n; i++)
		for (k = 0; k < (size_t)psize; k++)
			if (p[i * psize + k]) {
				nz++;
				break;
			}
	return nz;
}

static void pagemap(const char *p, size_t n, uint64_t *e)
{
	ssize_t len = n * sizeof(*e);

	if (pread(pagemap_fd, e, len, (uintptr_t)p / psize * sizeof(*e)) != len)
		die("read /proc/self/pagemap");
}

/* How many of the region's entries have all the bits of @mask set. */
static size_t count(const char *p, size_t n, uint64_t mask)
{
	uint64_t *e = malloc(n * sizeof(*e));
	size_t i, c = 0;

	if (!e)
		die("malloc");
	pagemap(p, n, e);
	for (i = 0; i < n; i++)
		c += (e[i] & mask) == mask;
	free(e);
	return c;
}

/* MADV_PAGEOUT until every page is a swap entry (a few rounds at most). */
static size_t page_out(char *p, size_t n)
{
	size_t swapped = 0;
	int i;

	for (i = 0; i < 5 && swapped < n; i++) {
		if (madvise(p, n * psize, MADV_PAGEOUT))
			die("madvise(MADV_PAGEOUT)");
		swapped = count(p, n, PM_SWAP);
	}
	return swapped;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = atol(line + strlen(key));
	if (f)
		fclose(f);
	return v;
}

/* The "Swap:" kB of the smaps entry that starts at @p. */
static long smaps_swap_kb(const char *p)
{
	char line[512], start[32];
	int in = 0;
	long v = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(start, sizeof(start), "%lx-", (unsigned long)p);
	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, start, strlen(start));
		else if (in && !strncmp(line, "Swap:", 5))
			v = atol(line + 5);
	}
	if (f)
		fclose(f);
	return v;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -1;
	if (fd >= 0)
		close(fd);
	return ret;
}

struct reader {
	const char *p;
	size_t n;
	volatile int stop;
	size_t rounds, bad;
};

/* Read the region over and over: faults on migration entries wait. */
static void *reader(void *arg)
{
	struct reader *r = arg;

	while (!r->stop) {
		r->bad += bad_pages(r->p, r->n);
		r->rounds++;
	}
	return NULL;
}

/*
 * Migrate the region between NUMA nodes 0 and 1 with move_pages(2) while
 * a thread reads it, so that it faults on migration entries (mm/memory.c
 * waits on them); every page must land on its node, the data unchanged.
 * -1 without a node 1.
 */
static int migrate_check(char *p, size_t n, int rounds)
{
	void **pages = malloc(n * sizeof(*pages));
	int *nodes = malloc(n * sizeof(*nodes)), *status = malloc(n * sizeof(*status));
	struct reader r = { .p = p, .n = n };
	size_t i, misplaced = 0;
	pthread_t t;
	int k;

	if (access("/sys/devices/system/node/node1", F_OK))
		return -1;
	if (!pages || !nodes || !status)
		die("malloc");
	for (i = 0; i < n; i++)
		pages[i] = p + i * psize;
	if (pthread_create(&t, NULL, reader, &r))
		die("pthread_create");
	for (k = 0; k < rounds; k++) {
		for (i = 0; i < n; i++)
			nodes[i] = (k + 1) & 1;
		if (syscall(SYS_move_pages, 0, n, pages, nodes, status, MPOL_MF_MOVE))
			die("move_pages");
		for (i = 0; i < n; i++)
			misplaced += status[i] != nodes[i];
	}
	r.stop = 1;
	pthread_join(t, NULL);
	printf("# migrate: %d rounds, %zu pages misplaced, reader %zu rounds, %zu bad\n",
	       rounds, misplaced, r.rounds, r.bad);
	free(pages);
	free(nodes);
	free(status);
	return !misplaced && !r.bad && !bad_pages(p, n);
}

static int check(void)
{
	const size_t n = 512;
	unsigned char *vec = malloc(n);
	uint64_t *e = malloc(n * sizeof(*e));
	size_t i, c, off0 = 0, types = 0;
	char *p;
	pid_t pid;
	int status;

	if (!vec || !e)
		die("malloc");

	/* Pagemap and smaps of a region of swap entries. */
	p = map_region(n);
	c = page_out(p, n);
	result(c == n, "pageout: %zu of %zu pages are swap entries in pagemap", c, n);
	pagemap(p, n, e);
	for (i = 0; i < n; i++) {
		off0 += (e[i] & PM_SWAP) && !PM_SWAP_OFF(e[i]);
		types |= 1UL << PM_SWAP_TYPE(e[i]);
	}
	result(!off0 && types == 1, "pagemap: swap type 0, no offset 0 (%zu at 0, types %#zx)",
	       off0, types);
	c = count(p, n, PM_PRESENT);
	result(c == 0, "pagemap: %zu pages present", c);
	result(smaps_swap_kb((char *)p) == (long)(n * psize / 1024),
	       "smaps: Swap %ld kB, want %zu", smaps_swap_kb(p), n * psize / 1024);

	/* clear_refs 4 clears soft-dirty in swap PTEs, pagemap reads it. */
	c = count(p, n, PM_SWAP | PM_SOFT_DIRTY);
	result(c == n, "soft-dirty: %zu of %zu swap entries soft-dirty before clear_refs", c, n);
	if (write_file("/proc/self/clear_refs", "4"))
		die("write /proc/self/clear_refs");
	c = count(p, n, PM_SOFT_DIRTY);
	result(c == 0 && count(p, n, PM_SWAP) == n,
	       "soft-dirty: %zu soft-dirty after clear_refs, all still swap", c);

	/* mprotect over swap entries leaves them as they are. */
	if (mprotect(p, n * psize, PROT_READ) || mprotect(p, n * psize, PROT_READ | PROT_WRITE))
		die("mprotect");
	c = count(p, n, PM_SWAP);
	result(c == n, "mprotect: %zu of %zu still swap entries", c, n);

	/* mincore sees swap-cache pages; MADV_WILLNEED puts them there. */
	if (mincore(p, n * psize, vec))
		die("mincore");
	for (i = c = 0; i < n; i++)
		c += vec[i] & 1;
	printf("# mincore: %zu of %zu in the swap cache after pageout\n", c, n);
	if (madvise(p, n * psize, MADV_WILLNEED))
		die("madvise(MADV_WILLNEED)");
	if (mincore(p, n * psize, vec))
		die("mincore");
	for (i = c = 0; i < n; i++)
		c += vec[i] & 1;
	result(c == n && count(p, n, PM_SWAP) == n,
	       "willneed: %zu of %zu in the swap cache (mincore), PTEs still swap", c, n);

	/* fork: the child gets copies of the swap PTEs and reads through them. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		_exit(bad_pages(p, n) ? 1 : 0);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	result(WIFEXITED(status) && !WEXITSTATUS(status) && count(p, n, PM_SWAP) == n,
	       "fork: the child read every page back (status %#x), ours still swap", status);
	c = bad_pages(p, n);
	result(c == 0 && count(p, n, PM_PRESENT) == n,
	       "swap-in: %zu bad pages, all present after", c);

	/* Migration entries: pages moved between nodes while being read. */
	i = migrate_check(p, n, 8);
	if ((int)i < 0)
		printf("# migrate: no NUMA node 1, not checked\n");
	else
		result(i == 1, "migrate: 8 rounds of move_pages between nodes 0 and 1 under a reader");

	/* MADV_FREE and MADV_DONTNEED drop swap entries: zero-filled after. */
	c = page_out(p, n);
	if (madvise(p, n * psize, MADV_FREE))
		die("madvise(MADV_FREE)");
	result(c == n && count(p, n, PM_SWAP) == 0 && count(p, n, PM_PRESENT) == 0 &&
	       nonzero_pages(p, n) == 0,
	       "MADV_FREE: %zu swap entries dropped, pages read as zero", c);
	munmap(p, n * psize);
	p = map_region(n);
	c = page_out(p, n);
	if (madvise(p, n * psize, MADV_DONTNEED))
		die("madvise(MADV_DONTNEED)");
	result(c == n && count(p, n, PM_SWAP) == 0 && nonzero_pages(p, n) == 0,
	       "MADV_DONTNEED: %zu swap entries zapped, pages read as zero", c);
	munmap(p, n * psize);

	printf("leafwalk: %d checks, %d failed\n", num, failed);
	return failed ? 1 : 0;
}

static long ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

enum op { OP_PAGEMAP, OP_MINCORE, OP_MPROTECT, OP_FORK, NR_OPS };

static const char * const op_metric[NR_OPS] = {
	"pagemap_swap", "mincore_swap", "mprotect_swap", "fork_swap",
};

static void run_op(enum op op, char *p, size_t n, uint64_t *e, unsigned char *vec)
{
	pid_t pid;

	switch (op) {
	case OP_PAGEMAP:
		pagemap(p, n, e);
		break;
	case OP_MINCORE:
		if (mincore(p, n * psize, vec))
			die("mincore");
		break;
	case OP_MPROTECT:
		if (mprotect(p, n * psize, PROT_READ) ||
		    mprotect(p, n * psize, PROT_READ | PROT_WRITE))
			die("mprotect");
		break;
	case OP_FORK:
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid)
			_exit(0);
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
		break;
	default:
		break;
	}
}

static int bench(size_t n, int reps)
{
	uint64_t *e = malloc(n * sizeof(*e));
	unsigned char *vec = malloc(n);
	long *t = calloc(reps, sizeof(*t));
	size_t c;
	char *p;
	int op, r;

	if (!e || !vec || !t)
		die("malloc");
	p = map_region(n);
	c = page_out(p, n);
	if (c != n) {
		printf("leafwalk: only %zu of %zu pages paged out\n", c, n);
		return 1;
	}
	for (op = 0; op < NR_OPS; op++) {
		run_op(op, p, n, e, vec);	/* warm up */
		for (r = 0; r < reps; r++) {
			long t0 = ns_now();

			run_op(op, p, n, e, vec);
			t[r] = ns_now() - t0;
		}
		qsort(t, reps, sizeof(*t), cmp_long);
		printf("kq-bench: %s %.1f ns/page lower\n", op_metric[op],
		       (double)t[reps / 2] / n);
	}
	c = count(p, n, PM_SWAP);
	if (c != n) {
		printf("leafwalk: %zu of %zu pages still swap entries after the runs\n", c, n);
		return 1;
	}
	printf("leafwalk: %zu pages of swap entries, %d runs each, medians\n", n, reps);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = 8192;
	int reps = 15, opt;

	psize = sysconf(_SC_PAGESIZE);
	if (argc < 2 || (strcmp(argv[1], "check") && strcmp(argv[1], "bench"))) {
		fprintf(stderr, "usage: leafwalk check | bench [-n PAGES] [-r REPEATS]\n");
		return 2;
	}
	optind = 2;
	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'r': reps = atoi(optarg); break;
		default: return 2;
		}
	}
	if (n < 1 || reps < 1) {
		fprintf(stderr, "leafwalk: -n and -r must be at least 1\n");
		return 2;
	}
	if (meminfo_kb("SwapTotal:") <= 0) {
		printf("SKIP: no swap (run zram_swap first)\n");
		return KSFT_SKIP;
	}
	/*
	 * One CPU for all of it: a page faulted in on another CPU can sit in
	 * that CPU's LRU batch, which MADV_PAGEOUT (draining only its own)
	 * cannot isolate (seen with 3 CPUs: 8185 of 8192 pages paged out).
	 */
	{
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(sched_getcpu(), &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			die("sched_setaffinity");
	}
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap_fd < 0)
		die("open /proc/self/pagemap");
	return strcmp(argv[1], "check") ? bench(n, reps) : check();
}
