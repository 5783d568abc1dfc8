// SPDX-License-Identifier: GPL-2.0
/*
 * Swap on zram for the x86_64-mm lane: the first row of
 * plans/x86_64-mm.plan, so that the later rows find swap on.
 *
 *	zram_swap [MiB]		(default 256)
 *
 * Sizes /dev/zram0, writes a version 1 swap header to it (what mkswap
 * does, without a bad block list or a UUID) and swapon()s it. Exits 0
 * when swap is on (also when it already was), 4 (skip) when the kernel
 * has no zram or no swap, 1 on any other error. One small static program
 * rather than busybox-static: nothing more to install or to carry into
 * the initramfs, and no shell needed in the VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>
#include <unistd.h>

#define DEV		"/dev/zram0"
#define DISKSIZE	"/sys/block/zram0/disksize"
#define KSFT_SKIP	4

/* include/linux/swap.h, union swap_header: the version 1 info block. */
struct swap_info_v1 {
	char bootbits[1024];
	unsigned int version;
	unsigned int last_page;
	unsigned int nr_badpages;
	unsigned char sws_uuid[16];
	unsigned char sws_volume[16];
};

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -1;
	close(fd);
	return ret;
}

/* Is DEV in /proc/swaps already? */
static int swap_is_on(void)
{
	char line[256];
	FILE *f = fopen("/proc/swaps", "r");
	int on = 0;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, DEV " ", strlen(DEV) + 1))
			on = 1;
	if (f)
		fclose(f);
	return on;
}

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 256, psize = sysconf(_SC_PAGESIZE);
	struct swap_info_v1 *h;
	char size[32], *page;
	int fd;

	if (mib < 1 || mib > 4096) {
		fprintf(stderr, "zram_swap: size '%s' is not 1..4096 MiB\n", argv[1]);
		return 1;
	}
	if (swap_is_on()) {
		printf("kq: %s is already swap\n", DEV);
		return 0;
	}
	if (access(DISKSIZE, F_OK)) {
		printf("SKIP: no %s (CONFIG_ZRAM)\n", DISKSIZE);
		return KSFT_SKIP;
	}
	snprintf(size, sizeof(size), "%ldM", mib);
	if (write_str(DISKSIZE, size)) {
		perror("zram_swap: " DISKSIZE);
		return 1;
	}
	page = calloc(1, psize);
	if (!page)
		return 1;
	h = (struct swap_info_v1 *)page;
	h->version = 1;
	h->last_page = mib * 1024 * 1024 / psize - 1;
	memcpy(page + psize - 10, "SWAPSPACE2", 10);
	fd = open(DEV, O_WRONLY);
	if (fd < 0 || pwrite(fd, page, psize, 0) != psize || fsync(fd)) {
		perror("zram_swap: " DEV);
		return 1;
	}
	close(fd);
	if (swapon(DEV, 0)) {
		if (errno == ENOSYS) {
			printf("SKIP: no swapon (CONFIG_SWAP)\n");
			return KSFT_SKIP;
		}
		perror("zram_swap: swapon " DEV);
		return 1;
	}
	printf("kq: swap on %s, %ld MiB, %ld-byte pages\n", DEV, mib, psize);
	return 0;
}
