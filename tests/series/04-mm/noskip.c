// SPDX-License-Identifier: GPL-2.0
/*
 * noskip PROG [ARG...]: run a kselftest harness program, pass its output
 * through, and exit 4 (KSFT_SKIP) if it skipped a case ("ok N name #
 * SKIP reason") yet exited 0, as the harness does when every case it ran
 * skipped. For plan rows that must really run: mm/migration skips its
 * cases without 3 CPUs or 2 NUMA nodes and still exits 0. A relative
 * PROG is taken from the VM's /kq/bin, the parent of this program's dir
 * (run_piped.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "run_piped.h"

int main(int argc, char **argv)
{
	char line[4096], reason[4096] = "";
	int status, skipped = 0;
	pid_t pid;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: noskip PROG [ARG...]\n");
		return 2;
	}
	f = run_piped("noskip", argv + 1, &pid);
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
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
