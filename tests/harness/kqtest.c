// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in test program for the harness's own VM tests.
 *
 *	kqtest pass | fail N | skip | signal | sleep S | spam N | orphan
 *
 * Every mode prints a line to stdout and one to stderr first.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "pass";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	char cwd[256];

	printf("kqtest %s: stdout, cwd %s, argv0 %s\n", mode,
	       getcwd(cwd, sizeof(cwd)) ? cwd : "?", argv[0]);
	fflush(stdout);
	fprintf(stderr, "kqtest %s: stderr\n", mode);

	if (!strcmp(mode, "fail"))
		return n;
	if (!strcmp(mode, "skip")) {
		printf("ok 1 # SKIP needs a feature this VM lacks\n");
		return 4;
	}
	if (!strcmp(mode, "signal"))
		raise(SIGSEGV);
	if (!strcmp(mode, "sleep"))
		sleep(n);
	if (!strcmp(mode, "spam"))
		while (n--)
			printf("line %d of the spam, without a delay\n", n);
	if (!strcmp(mode, "orphan") && fork() == 0) {
		/* Outlives the test unless init kills its session. */
		sleep(1000);
		printf("orphan still alive\n");
	}
	return 0;
}
