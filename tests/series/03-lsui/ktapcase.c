// SPDX-License-Identifier: GPL-2.0
/*
 * ktapcase CASE PROG [ARG...]: run a KTAP-printing selftest, pass its output
 * through, and pass (exit 0) only if it reported "ok N CASE" (or
 * "ok N - CASE"), whatever the program's own exit status; a "not ok",
 * a SKIP of the case ("ok N CASE # SKIP", or kselftest's "ok N # SKIP
 * CASE") or a case never reached (the program stopped before it) exit 1.
 * A program that skipped as a whole (exit 4, KSFT_SKIP) without reaching
 * the case makes it a skip too (exit 4). For plan rows about one case of a program that fails later
 * for an unrelated reason: set_id_regs stops on QEMU's ID_AA64MMFR0_EL1
 * after its ID_AA64ISAR3_EL1 case has run. A relative PROG is taken from
 * the VM's /kq/bin, the parent of this program's dir (run_piped.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "run_piped.h"

/*
 * After "ok " or "not ok ": "12 NAME", "12 - NAME" or "12 # SKIP NAME",
 * with or without a directive after NAME.  *skip is set for the last.
 */
static int names_case(const char *rest, const char *name, int *skip)
{
	size_t len = strlen(name);

	*skip = 0;
	rest += strspn(rest, "0123456789");
	if (*rest++ != ' ')
		return 0;
	if (!strncmp(rest, "- ", 2))
		rest += 2;
	if (!strncmp(rest, "# SKIP ", 7)) {
		rest += 7;
		*skip = 1;
	}
	return !strncmp(rest, name, len) &&
	       (rest[len] == '\0' || rest[len] == '\n' || rest[len] == ' ');
}

int main(int argc, char **argv)
{
	char line[4096];
	const char *name;
	int status, ok = 0, bad = 0, skip;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: ktapcase CASE PROG [ARG...]\n");
		return 2;
	}
	name = argv[1];
	f = run_piped("ktapcase", argv + 2, &pid);
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		fputs(line, stdout);
		fflush(stdout);
		if (!strncmp(line, "ok ", 3) && names_case(line + 3, name, &skip)) {
			if (skip || strstr(line, "# SKIP"))
				bad++;
			else
				ok++;
		} else if (!strncmp(line, "not ok ", 7) &&
			   names_case(line + 7, name, &skip)) {
			bad++;
		}
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("ktapcase: waitpid");
		return 1;
	}
	if (ok && !bad) {
		printf("ktapcase: %s: ok (the program exited %d)\n", name,
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return 0;
	}
	if (!ok && !bad && WIFEXITED(status) && WEXITSTATUS(status) == 4) {
		printf("ktapcase: %s: never reached, the program skipped (SKIP)\n", name);
		return 4;
	}
	printf("ktapcase: %s: %s\n", name,
	       bad ? "not ok or skipped" : "never reported (the program stopped before it, or has no such case)");
	return 1;
}
