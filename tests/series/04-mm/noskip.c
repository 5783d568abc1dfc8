// SPDX-License-Identifier: GPL-2.0
/*
 * noskip PROG [ARG...]: run a kselftest harness program, pass its output
 * through, and exit 4 (KSFT_SKIP) if it skipped a case ("ok N name #
 * SKIP reason") yet exited 0, as the harness does when every case it ran
 * skipped. For plan rows that must really run: mm/migration skips its
 * cases without 3 CPUs or 2 NUMA nodes and still exits 0. A relative
 * PROG is taken from the VM's /kq/bin, the parent of this program's dir.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char self[PATH_MAX], prog[PATH_MAX * 2], line[4096], reason[4096] = "";
	int pfd[2], status, skipped = 0;
	ssize_t n;
	pid_t pid;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: noskip PROG [ARG...]\n");
		return 2;
	}
	if (argv[1][0] == '/') {
		snprintf(prog, sizeof(prog), "%s", argv[1]);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			perror("noskip: /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		snprintf(prog, sizeof(prog), "%s/%s", dirname(dirname(self)), argv[1]);
	}
	if (pipe(pfd)) {
		perror("noskip: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("noskip: fork");
		return 1;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		argv[1] = prog;
		execv(prog, argv + 1);
		fprintf(stderr, "noskip: cannot run %s\n", prog);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *s = strstr(line, " # SKIP");

		fputs(line, stdout);
		fflush(stdout);
		if (!strncmp(line, "ok ", 3) && s) {
			skipped++;
			snprintf(reason, sizeof(reason), "%s", s + 7);
		}
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("noskip: waitpid");
		return 1;
	}
	if (!WIFEXITED(status))
		return 1;
	if (WEXITSTATUS(status) == 0 && skipped) {
		reason[strcspn(reason, "\n")] = '\0';
		printf("noskip: %d case(s) skipped, SKIP%s\n", skipped, reason);
		return 4;
	}
	return WEXITSTATUS(status);
}
