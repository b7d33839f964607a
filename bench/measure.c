/* measure.c - runs a command and prints "SECONDS PEAK_RSS_KB" on stderr.
 *
 * The benchmark cannot take a peer's peak RSS from a Python child: Linux
 * keeps the high-water mark across exec, so every child would report at
 * least the size of the Python that forked it.  This launcher is small, so
 * what it reports is the command's own peak (plus about 1 MB of its own). */
#define _DEFAULT_SOURCE /* wait4 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: measure COMMAND [ARGS...]\n", stderr);
		return 2;
	}
	double start = now();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("measure");
		return 2;
	}
	fprintf(stderr, "%.6f %ld\n", now() - start, ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
