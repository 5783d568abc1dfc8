// SPDX-License-Identifier: GPL-2.0
/*
 * Series 03: cost of FUTEX_WAKE_OP on an uncontended private futex with
 * no waiters, i.e. mostly the arch futex atomic on the word.
 * Two operations: ADD (a single atomic on FEAT_LSUI, an LDXR/STLXR loop
 * otherwise) and XOR (a compare-and-swap loop on FEAT_LSUI).
 *
 *   futex_wake_op_bench [-n calls-per-round] [-r rounds]
 *
 * Prints, for the harness's A/B comparison, medians over the rounds:
 *   kq-bench: wake_op_add_ns <ns per call> ns lower
 *   kq-bench: wake_op_add_per_null <per null syscall> x lower
 * and the same for wake_op_xor. The *_per_null figures divide by a
 * getppid() timed in the same round: compare those across kernels when
 * the host is busy (QEMU TCG on a shared machine).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile uint32_t word;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double round_ns(long n, uint32_t op)
{
	double t0 = now_ns();
	long i;

	/*
	 * Both addresses name one word, so one hash bucket and one lock:
	 * two words land in one bucket or in two depending on where the
	 * process's mm sits, and two locks cost ~640 more instructions on
	 * a lockdep kernel, which made the figure flip between two values
	 * from one boot to the next, on either kernel.
	 */
	for (i = 0; i < n; i++)
		if (syscall(SYS_futex, &word, FUTEX_WAKE_OP_PRIVATE, 0, 0,
			    &word, op) < 0) {
			perror("FUTEX_WAKE_OP");
			exit(1);
		}
	return (now_ns() - t0) / n;
}

/* The yardstick: the cheapest syscall, timed right next to the futex. */
static double null_ns(long n)
{
	double t0 = now_ns();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return (now_ns() - t0) / n;
}

static double median(double *t, int n)
{
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

/*
 * Each round times the futex operation and a null syscall back to back;
 * their ratio cancels most of the variation in the machine's speed (a
 * loaded host running QEMU), which the absolute figures do not.
 */
static void bench(const char *name, long n, int rounds, uint32_t op)
{
	double t[64], rel[64], null[64];
	int r;

	round_ns(n / 10 + 1, op);	/* warm up */
	for (r = 0; r < rounds; r++) {
		null[r] = null_ns(n);
		t[r] = round_ns(n, op);
		rel[r] = t[r] / null[r];
	}
	printf("# %s: median %.1f ns, null syscall %.1f ns, ratio %.3f (%d rounds of %ld)\n",
	       name, median(t, rounds), median(null, rounds), median(rel, rounds),
	       rounds, n);
	printf("kq-bench: %s_ns %.1f ns lower\n", name, median(t, rounds));
	printf("kq-bench: %s_per_null %.3f x lower\n", name, median(rel, rounds));
}

int main(int argc, char **argv)
{
	long n = 20000;
	int rounds = 9, c;

	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		switch (c) {
		case 'n': n = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n calls] [-r rounds]\n", argv[0]);
			return 2;
		}
	}
	if (n < 1 || rounds < 1 || rounds > 64) {
		fprintf(stderr, "bad -n or -r\n");
		return 2;
	}
	bench("wake_op_add", n, rounds,
	      FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0));
	bench("wake_op_xor", n, rounds,
	      FUTEX_OP(FUTEX_OP_XOR, 0x5a, FUTEX_OP_CMP_EQ, 0));
	return 0;
}
