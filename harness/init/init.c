// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the kq test initramfs.
 *
 * Mounts the pseudo file systems, runs the tests listed in /kq/plan one
 * after the other and reports them as KTAP on the console, then resets
 * the machine (QEMU runs with -no-reboot, so that ends it). Plan lines:
 *
 *	name<TAB>timeout_seconds<TAB>command words...
 *
 * split on spaces, no quoting (harness/vmplan.awk checks them on the host;
 * a timeout of 0 would mean none, and is never given). Relative
 * commands are looked up in /kq/bin first. Each test runs in its own
 * session, cwd /tmp, with its output piped back to us and echoed as "# "
 * lines. "kq: begin N name" and "kq: end N name result Nms" go to
 * /dev/kmsg so that the host can tell which test was running when the
 * kernel splatted. Builtins: @kunit [SUITE...], @hang, @panic.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PLAN		"/kq/plan"
#define BINDIR		"/kq/bin"
#define MAX_TESTS	1024
#define MAX_ARGS	64
#define LINE_MAX_LEN	4096
#define KSFT_SKIP	4
#define KILL_GRACE_MS	5000

struct test {
	char *name;
	int timeout;		/* seconds, 0: no limit */
	char *argv[MAX_ARGS + 1];
};

enum result { PASS, FAIL, SKIP, TIMEOUT };
static const char * const result_word[] = { "pass", "fail", "skip", "timeout" };

static struct test tests[MAX_TESTS];
static int ntests;

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* One console line, written with a single write(). */
static void out(const char *fmt, ...)
{
	char buf[LINE_MAX_LEN + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(1, buf, n);
}

/*
 * A marker in the kernel log. /dev/kmsg is opened for every message
 * because its rate limit is per open file.
 */
static void kmsg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	/* Let our console output reach the wire before the kernel's. */
	tcdrain(1);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "<5>");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	write_all(fd, buf, strlen(buf));
	close(fd);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void do_mount(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		out("kq: warning: cannot mount %s on %s: %s", type, dir,
		    strerror(errno));
}

static void setup(void)
{
	int fd;

	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("debugfs", "/sys/kernel/debug", "debugfs");
	do_mount("tmpfs", "/tmp", "tmpfs");

	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	setenv("PATH", BINDIR ":/bin:/sbin", 1);
	setenv("HOME", "/tmp", 1);
}

static int read_plan(void)
{
	char line[LINE_MAX_LEN];
	FILE *f = fopen(PLAN, "r");

	if (!f) {
		out("kq: warning: cannot open " PLAN ": %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && ntests < MAX_TESTS) {
		struct test *t = &tests[ntests];
		char *name, *tmo, *cmd, *word, *save;
		int argc = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		name = strtok_r(line, "\t", &save);
		tmo = strtok_r(NULL, "\t", &save);
		cmd = strtok_r(NULL, "", &save);
		if (!name || !tmo || !cmd) {
			out("kq: warning: bad plan line '%s'", line);
			continue;
		}
		for (word = strtok_r(cmd, " ", &save); word && argc < MAX_ARGS;
		     word = strtok_r(NULL, " ", &save))
			t->argv[argc++] = strdup(word);
		if (!argc)
			continue;
		t->argv[argc] = NULL;
		t->name = strdup(name);
		t->timeout = atoi(tmo);
		ntests++;
	}
	fclose(f);
	return 0;
}

#define KUNIT_DIR	"/sys/kernel/debug/kunit"

/* Copy one suite's debugfs results to stdout; -1 if it has none. */
static int kunit_suite(const char *name, int *failed)
{
	char path[512], line[LINE_MAX_LEN];
	FILE *f;

	snprintf(path, sizeof(path), KUNIT_DIR "/%s/results", name);
	f = name[0] == '.' ? NULL : fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		fputs(line, stdout);
		if (!strncmp(line, "not ok ", 7))
			(*failed)++;
	}
	fclose(f);
	return 0;
}

/*
 * @kunit: print every KUnit debugfs results file, fail on a failed suite.
 * @kunit SUITE...: only the named suites; SKIP if one is not in this
 * kernel (unless another one failed).
 */
static int builtin_kunit(char **names)
{
	struct dirent **ent;
	int i, n, failed = 0, suites = 0, missing = 0;

	if (*names) {
		for (; *names; names++) {
			if (!kunit_suite(*names, &failed)) {
				suites++;
			} else {
				printf("SKIP: no KUnit suite %s\n", *names);
				missing++;
			}
		}
		printf("kq: %d KUnit suites, %d failed\n", suites, failed);
		if (failed)
			return 1;
		return missing ? KSFT_SKIP : 0;
	}

	n = scandir(KUNIT_DIR, &ent, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (!kunit_suite(ent[i]->d_name, &failed))
			suites++;
		free(ent[i]);
	}
	if (n > 0)
		free(ent);
	if (!suites) {
		printf("SKIP: no KUnit suites\n");
		return KSFT_SKIP;
	}
	printf("kq: %d KUnit suites, %d failed\n", suites, failed);
	return failed ? 1 : 0;
}

static void child(struct test *t, int wfd)
{
	char path[512];
	char *cmd = t->argv[0];

	setsid();
	dup2(wfd, 1);
	dup2(wfd, 2);
	if (chdir("/tmp"))
		perror("kq: chdir /tmp");

	if (!strcmp(cmd, "@kunit"))
		exit(builtin_kunit(t->argv + 1));
	if (!strcmp(cmd, "@hang"))
		for (;;)
			pause();
	if (cmd[0] == '@') {
		fprintf(stderr, "kq: unknown builtin %s\n", cmd);
		exit(1);
	}
	/*
	 * Our tests by their absolute path, even when named without a '/':
	 * KVM selftests open their own ELF file through argv[0].
	 */
	snprintf(path, sizeof(path), BINDIR "/%s", cmd);
	if (cmd[0] != '/' && (strchr(cmd, '/') || !access(path, X_OK)))
		t->argv[0] = path;
	execvp(t->argv[0], t->argv);
	fprintf(stderr, "kq: cannot exec %s: %s\n", t->argv[0], strerror(errno));
	exit(127);
}

/* The text after the last "SKIP" in a line, or the whole line, trimmed. */
static void set_skip_reason(char *reason, size_t size, const char *line)
{
	const char *s = line, *p;
	size_t len;

	for (p = strstr(line, "SKIP"); p; p = strstr(p + 1, "SKIP"))
		s = p + 4;
	s += strspn(s, " \t:-#");
	if (!*s)
		s = line + strspn(line, " \t");
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(reason, s, len);
	reason[len] = '\0';
}

struct echo {
	char buf[LINE_MAX_LEN + 4];	/* "# " + line + "\n" */
	size_t len;			/* bytes after the "# " prefix */
	char skip[256];
};

/* Echo the buffered line as "# line" with one write(). */
static void echo_line(struct echo *e)
{
	char *line = e->buf + 2;

	if (e->len && line[e->len - 1] == '\r')
		e->len--;
	line[e->len] = '\0';
	if (strstr(line, "SKIP") || strstr(line, "skip"))
		set_skip_reason(e->skip, sizeof(e->skip), line);
	e->buf[0] = '#';
	e->buf[1] = ' ';
	line[e->len] = '\n';
	write_all(1, e->buf, e->len + 3);
	e->len = 0;
}

/* Echo what the pipe has: >0 got data, 0 end of file, -1 try again. */
static int echo_read(struct echo *e, int fd)
{
	char buf[4096];
	ssize_t n, i;

	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? -1 : 0;
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			echo_line(e);
			continue;
		}
		if (e->len == LINE_MAX_LEN)
			echo_line(e);
		e->buf[2 + e->len++] = buf[i];
	}
	return n;
}

/* Has the test's main process exited? It stays a zombie until reaped. */
static int has_exited(pid_t pid)
{
	siginfo_t si = { 0 };

	return !waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
	       si.si_pid == pid;
}

static enum result run_test(int num, struct test *t)
{
	static struct echo e;
	enum result res = FAIL;
	long start, deadline, ms;
	int pfd[2], rfd, pidfd, i, status = 0, timed_out = 0;
	pid_t pid;

	kmsg("kq: begin %d %s\n", num, t->name);
	start = now_ms();
	deadline = start + t->timeout * 1000L;
	e.len = 0;
	e.skip[0] = '\0';

	if (pipe2(pfd, O_CLOEXEC)) {
		out("# kq: pipe: %s", strerror(errno));
		goto done;
	}
	pid = fork();
	if (pid == 0)
		child(t, pfd[1]);
	close(pfd[1]);
	if (pid < 0) {
		out("# kq: fork: %s", strerror(errno));
		close(pfd[0]);
		goto done;
	}
	/* Readable when the process exits; without it, poll every 100 ms. */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	rfd = pfd[0];

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = rfd, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		int wait = pidfd < 0 ? 100 : -1;

		if (t->timeout > 0) {
			ms = deadline - now_ms();
			if (ms <= 0) {
				timed_out = 1;
				break;
			}
			if (wait < 0 || ms < wait)
				wait = ms;
		}
		if (poll(p, 2, wait) < 0 && errno != EINTR)
			break;
		if (p[0].revents && !echo_read(&e, rfd))
			rfd = -1;	/* end of file: poll ignores it now */
		if (p[1].revents || (pidfd < 0 && has_exited(pid)))
			break;
	}

	/* Whatever it left behind in its session dies with it. */
	kill(-pid, SIGKILL);
	for (i = 0; i < KILL_GRACE_MS / 100 && !has_exited(pid); i++)
		usleep(100000);
	if (has_exited(pid))
		waitpid(pid, &status, 0);
	else
		out("# kq: pid %d does not die, left behind", pid);
	if (pidfd >= 0)
		close(pidfd);
	/* The rest of its output, unless an escaped child keeps writing. */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	for (i = 0; i < 64 && echo_read(&e, pfd[0]) > 0; i++)
		;
	if (e.len)
		echo_line(&e);
	close(pfd[0]);

	if (timed_out) {
		out("# kq: timeout after %ds", t->timeout);
		res = TIMEOUT;
	} else if (WIFSIGNALED(status)) {
		out("# kq: killed by signal %d", WTERMSIG(status));
	} else if (WEXITSTATUS(status) == KSFT_SKIP) {
		res = SKIP;
	} else if (WEXITSTATUS(status)) {
		out("# kq: exit status %d", WEXITSTATUS(status));
	} else {
		res = PASS;
	}
done:
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;	/* orphans reparented to us */
	ms = now_ms() - start;
	out("# kq: duration %d %s %ldms", num, t->name, ms);
	if (res == PASS)
		out("ok %d %s", num, t->name);
	else if (res == SKIP)
		out("ok %d %s # SKIP %s", num, t->name,
		    e.skip[0] ? e.skip : "exit status 4");
	else
		out("not ok %d %s", num, t->name);
	kmsg("kq: end %d %s %s %ldms\n", num, t->name, result_word[res], ms);
	return res;
}

/* @panic: crash the kernel on purpose. */
static void crash(int num, struct test *t)
{
	int fd;

	kmsg("kq: begin %d %s\n", num, t->name);
	out("# kq: crashing the kernel on purpose");
	tcdrain(1);
	sync();
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0) {
		write_all(fd, "c", 1);
		close(fd);
	}
	/* No sysrq: PID 1 exiting panics the kernel just as well. */
}

int main(void)
{
	int i;

	setup();
	if (read_plan())
		ntests = 0;
	out("KTAP version 1");
	out("1..%d", ntests);
	for (i = 0; i < ntests; i++) {
		if (!strcmp(tests[i].argv[0], "@panic")) {
			crash(i + 1, &tests[i]);
			return 0;
		}
		run_test(i + 1, &tests[i]);
	}
	out("# kq: done");
	tcdrain(1);
	sync();
	/*
	 * QEMU runs with -no-reboot, so a reset ends it on every arch. Power
	 * off needs a driver (ACPI on x86): without one the kernel halts
	 * instead of failing, and QEMU would sit there until it times out.
	 */
	reboot(RB_AUTOBOOT);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
