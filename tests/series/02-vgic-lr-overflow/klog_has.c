// SPDX-License-Identifier: GPL-2.0
/*
 * klog_has WORD...: pass (exit 0) if a line of the kernel log contains
 * the words, joined by single spaces, printing it; fail (exit 1) if none
 * does. The arm64-notds lane uses it to show that its test-only hook is
 * in effect: without it the lane's tests would pass through
 * ICH_HCR_EL2.TDIR and prove nothing about the no-TDS path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

int main(int argc, char **argv)
{
	char pattern[256] = "", *buf, *line, *end;
	int size, len, i;

	if (argc < 2) {
		fprintf(stderr, "usage: klog_has WORD...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (strlen(pattern) + strlen(argv[i]) + 2 > sizeof(pattern)) {
			fprintf(stderr, "klog_has: pattern too long\n");
			return 2;
		}
		if (i > 1)
			strcat(pattern, " ");
		strcat(pattern, argv[i]);
	}
	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size <= 0) {
		perror("klogctl(SYSLOG_ACTION_SIZE_BUFFER)");
		return 1;
	}
	buf = malloc(size + 1);
	if (!buf)
		return 1;
	len = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (len < 0) {
		perror("klogctl(SYSLOG_ACTION_READ_ALL)");
		return 1;
	}
	buf[len] = '\0';
	for (line = buf; line < buf + len; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			end = buf + len;
		*end = '\0';
		if (strstr(line, pattern)) {
			printf("# kernel log: %s\n", line);
			return 0;
		}
	}
	printf("# no line of the kernel log contains \"%s\"\n", pattern);
	return 1;
}
