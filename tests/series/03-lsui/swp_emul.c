// SPDX-License-Identifier: GPL-2.0
/*
 * Series 03: the arm64 kernel's emulation of the AArch32 SWP and SWPB
 * instructions (CONFIG_SWP_EMULATION, switched on through
 * /proc/sys/abi/swp). Built as a static AArch32 (armhf) program; prints
 * KTAP, exits 0 when every check passes, 1 otherwise, 4 when the
 * emulation is not available.
 *
 * SWPB names one byte: it must swap that byte atomically and leave the
 * other bytes of the word (and of the doubleword) alone, even while
 * other threads update them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define ITERS		4000
#define NR_SWAPPERS	2

static int failed, nr;

static void result(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", ok ? "ok" : "not ok", ++nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failed |= !ok;
}

/*
 * SWP{B} <Rt>, <Rt2>, [<Rn>]: Rt = old value, memory = Rt2. ARM state
 * only, and deprecated since ARMv6, so emitted as raw encodings
 * (cond 1110, 0001 0B00, Rn, Rt, 0000 1001, Rt2) with fixed registers:
 * swp{b} r2, r1, [r0].
 */
#define SWP_R2_R1_R0	".inst 0xe1002091"
#define SWPB_R2_R1_R0	".inst 0xe1402091"

static inline uint32_t swp(volatile uint32_t *p, uint32_t v)
{
	register volatile uint32_t *r0 asm("r0") = p;
	register uint32_t r1 asm("r1") = v;
	register uint32_t r2 asm("r2");

	asm volatile(SWP_R2_R1_R0 : "=r" (r2) : "r" (r0), "r" (r1) : "memory");
	return r2;
}

static inline uint8_t swpb(volatile uint8_t *p, uint8_t v)
{
	register volatile uint8_t *r0 asm("r0") = p;
	register uint32_t r1 asm("r1") = v;
	register uint32_t r2 asm("r2");

	asm volatile(SWPB_R2_R1_R0 : "=r" (r2) : "r" (r0), "r" (r1) : "memory");
	return r2;
}

static sigjmp_buf jb;
static volatile int last_sig;

static void on_signal(int sig)
{
	last_sig = sig;
	siglongjmp(jb, 1);
}

static int enable_emulation(void)
{
	int fd;

	if (access("/proc/sys", F_OK)) {
		mkdir("/proc", 0755);
		mount("proc", "/proc", "proc", 0, NULL);
	}
	fd = open("/proc/sys/abi/swp", O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		printf("# /proc/sys/abi/swp: %s (no CONFIG_SWP_EMULATION?)\n",
		       strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static void test_basic(void)
{
	static volatile union {
		uint64_t d;
		uint32_t w[2];
		uint8_t b[8];
	} m __attribute__((aligned(8)));
	uint32_t old;
	int i, ok;

	m.w[0] = 0x11223344;
	m.w[1] = 0x55667788;
	old = swp(&m.w[0], 0xdeadbeef);
	result(old == 0x11223344 && m.w[0] == 0xdeadbeef && m.w[1] == 0x55667788,
	       "swp: old 0x%x, now 0x%x, next word 0x%x", old, m.w[0], m.w[1]);

	for (i = 0; i < 8; i++) {
		uint64_t before, expect;
		uint8_t got;

		m.d = 0x0123456789abcdefULL;
		before = m.d;
		got = swpb(&m.b[i], 0x5a);
		expect = (before & ~(0xffULL << (8 * i))) | (0x5aULL << (8 * i));
		ok = got == (uint8_t)(before >> (8 * i)) && m.d == expect;
		result(ok, "swpb at byte %d: old 0x%02x, doubleword 0x%016llx", i,
		       got, (unsigned long long)m.d);
	}
}

static void test_faults(void)
{
	static volatile uint32_t w[2];
	volatile uint32_t *unaligned = (volatile uint32_t *)((char *)w + 1);
	void *gone;

	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);

	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	last_sig = 0;
	if (!sigsetjmp(jb, 1))
		swp(gone, 1);
	result(last_sig == SIGSEGV, "swp on an unmapped page: signal %d",
	       last_sig);

	last_sig = 0;
	if (!sigsetjmp(jb, 1))
		swpb(gone, 1);
	result(last_sig == SIGSEGV, "swpb on an unmapped page: signal %d",
	       last_sig);

	last_sig = 0;
	if (!sigsetjmp(jb, 1))
		swp(unaligned, 1);
	result(last_sig == SIGSEGV || last_sig == SIGBUS,
	       "swp on an unaligned address: signal %d", last_sig);

	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
}

/*
 * Concurrency. Byte 0 of the doubleword is swapped by NR_SWAPPERS
 * threads with SWPB; bytes 1..3 are incremented by one thread each
 * (LDREXB/STREXB), and the other word by one more thread (SWP on it,
 * counting up). With SWPB atomic for its byte alone:
 * - the swapped byte conserves its values: initial + everything put in
 *   == everything taken out + final (as sums, and as XORs);
 * - every increment of bytes 1..3 and every SWP of word 1 survives.
 */
static volatile union {
	uint64_t d;
	uint32_t w[2];
	uint8_t b[8];
} shared __attribute__((aligned(8)));
static pthread_barrier_t barrier;

struct swapper {
	pthread_t t;
	int id;
	uint64_t sum_in, sum_out;
	uint8_t xor_in, xor_out;
};

static void *swapper_fn(void *arg)
{
	struct swapper *s = arg;
	int i;

	pthread_barrier_wait(&barrier);
	for (i = 0; i < ITERS; i++) {
		uint8_t v = (uint8_t)(i * 7 + s->id * 101 + 1);
		uint8_t old = swpb(&shared.b[0], v);

		s->sum_in += v;
		s->xor_in ^= v;
		s->sum_out += old;
		s->xor_out ^= old;
	}
	return NULL;
}

static void *incr_fn(void *arg)
{
	volatile uint8_t *b = &shared.b[(long)arg];
	int i;

	pthread_barrier_wait(&barrier);
	for (i = 0; i < ITERS; i++)
		__atomic_fetch_add(b, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void *word_fn(void *arg)
{
	uint32_t expect = 0, old;
	int i, bad = 0;

	(void)arg;
	pthread_barrier_wait(&barrier);
	for (i = 0; i < ITERS; i++) {
		old = swp(&shared.w[1], expect + 1);
		bad += old != expect;
		expect++;
	}
	return (void *)(long)bad;
}

static void test_concurrent(void)
{
	struct swapper s[NR_SWAPPERS];
	pthread_t inc[3], word;
	uint64_t sum_in = 0x10, sum_out = 0;
	uint8_t xor_in = 0x10, xor_out = 0;
	void *word_bad;
	long i;
	int ok;

	shared.d = 0;
	shared.b[0] = 0x10;
	pthread_barrier_init(&barrier, NULL, NR_SWAPPERS + 3 + 1);
	for (i = 0; i < NR_SWAPPERS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].id = i;
		pthread_create(&s[i].t, NULL, swapper_fn, &s[i]);
	}
	for (i = 0; i < 3; i++)
		pthread_create(&inc[i], NULL, incr_fn, (void *)(i + 1));
	pthread_create(&word, NULL, word_fn, NULL);

	for (i = 0; i < NR_SWAPPERS; i++) {
		pthread_join(s[i].t, NULL);
		sum_in += s[i].sum_in;
		sum_out += s[i].sum_out;
		xor_in ^= s[i].xor_in;
		xor_out ^= s[i].xor_out;
	}
	for (i = 0; i < 3; i++)
		pthread_join(inc[i], NULL);
	pthread_join(word, &word_bad);
	pthread_barrier_destroy(&barrier);

	sum_out += shared.b[0];
	xor_out ^= shared.b[0];
	ok = sum_in == sum_out && xor_in == xor_out;
	result(ok, "swpb by %d threads on one byte: values conserved (sum %llu/%llu, xor 0x%02x/0x%02x)",
	       NR_SWAPPERS, (unsigned long long)sum_in,
	       (unsigned long long)sum_out, xor_in, xor_out);
	ok = 1;
	for (i = 1; i < 4; i++)
		ok &= shared.b[i] == (uint8_t)ITERS;
	result(ok, "neighbour bytes 1-3 kept every increment: 0x%02x 0x%02x 0x%02x (expected 0x%02x each)",
	       shared.b[1], shared.b[2], shared.b[3], (uint8_t)ITERS);
	result(!word_bad && shared.w[1] == ITERS,
	       "other word of the doubleword: %ld lost swaps, value %u (expected %u)",
	       (long)word_bad, shared.w[1], ITERS);
}

int main(void)
{
	printf("TAP version 13\n");
	if (enable_emulation()) {
		printf("1..0 # SKIP SWP emulation not available\n");
		return 4;
	}
	printf("1..15\n");
	test_basic();
	test_faults();
	test_concurrent();
	printf("# %s\n", failed ? "FAIL" : "PASS");
	return failed;
}
