/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run_piped(): start a test program with its stdout and stderr on a pipe,
 * for the wrappers that read its KTAP (04-mm/noskip, 03-lsui/ktapcase).
 * Included by each; build with -I../lib.
 */
#ifndef KQ_RUN_PIPED_H
#define KQ_RUN_PIPED_H

#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Run argv[0] with argv (argv[0] is replaced by the path run): a relative
 * one is taken from the VM's /kq/bin, the parent of this program's dir.
 * Returns the stream of its output and sets *pid; on an error, says why
 * on stderr, prefixed with @who, and returns NULL.
 */
static FILE *run_piped(const char *who, char **argv, pid_t *pid)
{
	static char prog[PATH_MAX * 2];
	char self[PATH_MAX];
	int pfd[2];
	ssize_t n;
	FILE *f;

	if (argv[0][0] == '/') {
		snprintf(prog, sizeof(prog), "%s", argv[0]);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			fprintf(stderr, "%s: /proc/self/exe: %m\n", who);
			return NULL;
		}
		self[n] = '\0';
		snprintf(prog, sizeof(prog), "%s/%s", dirname(dirname(self)), argv[0]);
	}
	if (pipe(pfd)) {
		fprintf(stderr, "%s: pipe: %m\n", who);
		return NULL;
	}
	*pid = fork();
	if (*pid < 0) {
		fprintf(stderr, "%s: fork: %m\n", who);
		return NULL;
	}
	if (*pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		argv[0] = prog;
		execv(prog, argv);
		fprintf(stderr, "%s: cannot run %s\n", who, prog);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	if (!f) {
		fprintf(stderr, "%s: fdopen: %m\n", who);
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	return f;
}

#endif
