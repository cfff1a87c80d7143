/* SPDX-License-Identifier: MIT */
/*
 * Loading device-tree inputs. A file that starts with the FDT magic, or is
 * named *.dtb, is read as a blob; anything else is compiled with dtc first.
 * Every blob is checked with fdt_check_full() before any other libfdt call,
 * so later property accesses cannot run off a truncated or corrupt buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>

#include "bhcfg.h"

/* Inputs larger than this are refused: no real description comes close. */
#define BH_DT_INPUT_MAX (16u << 20)
#define BH_DTC_MAX_ARGS (12 + 2 * BH_MAX_INCDIRS)

/* Reads all of @path into a fresh buffer (one spare byte, never NULL). */
static int bh_read_all(const char *path, uint8_t **buf, size_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	ssize_t n = 0;
	size_t got = 0;

	if (fd < 0) {
		bh_error(path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > BH_DT_INPUT_MAX) {
		bh_error(path, "not a regular file, or larger than 16 MiB");
		close(fd);
		return -1;
	}
	*buf = calloc(1, (size_t)st.st_size + 1);
	if (*buf == NULL) {
		close(fd);
		bh_error(path, "out of memory");
		return -1;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (n < 0) {
		bh_error(path, "read error: %s", strerror(errno));
		free(*buf);
		*buf = NULL;
		return -1;
	}
	*size = got;
	return 0;
}

static bool bh_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Runs dtc on @src, writing the blob to @out. Its messages go to stderr. */
static int bh_run_dtc(const struct bh_ctx *ctx, const char *src,
		      const char *out)
{
	const char *env = getenv("DTC");
	const char *dtc = env != NULL && env[0] != '\0' ? env : "dtc";
	char *argv[BH_DTC_MAX_ARGS];
	int argc = 0, status = 0;
	pid_t pid;

	argv[argc++] = (char *)dtc;
	argv[argc++] = "-q";
	argv[argc++] = "-I";
	argv[argc++] = "dts";
	argv[argc++] = "-O";
	argv[argc++] = "dtb";
	argv[argc++] = "-o";
	argv[argc++] = (char *)out;
	for (int i = 0; i < ctx->incdir_count; i++) {
		argv[argc++] = "-i";
		argv[argc++] = (char *)ctx->incdirs[i];
	}
	argv[argc++] = (char *)src;
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		bh_error(src, "cannot start %s: %s", dtc, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execvp(dtc, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		bh_error(src, "waiting for %s: %s", dtc, strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		bh_error(src, "could not run \"%s\" (is dtc installed?)", dtc);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		bh_error(
			src,
			"dtc failed to compile this file (see its messages above)");
		return -1;
	}
	return 0;
}

/* Compiles the source @path into a blob in memory. */
static int bh_compile(const struct bh_ctx *ctx, const char *path, uint8_t **buf,
		      size_t *size)
{
	const char *env = getenv("TMPDIR");
	const char *tmpdir = env != NULL && env[0] != '\0' ? env : "/tmp";
	char tmp[PATH_MAX];
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s/bhcfg-XXXXXX", tmpdir) >=
	    (int)sizeof(tmp)) {
		bh_error(path, "TMPDIR path too long");
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		bh_error(path, "cannot create a temporary file in %s: %s",
			 tmpdir, strerror(errno));
		return -1;
	}
	close(fd);
	rc = bh_run_dtc(ctx, path, tmp);
	if (rc == 0) {
		rc = bh_read_all(tmp, buf, size);
	}
	unlink(tmp);
	return rc;
}

/*
 * Walks every tag of the structure block once and requires each step to
 * move forward and the walk to reach FDT_END. libfdt 1.6.1's
 * fdt_check_full() loops forever on a blob whose property length makes
 * fdt_next_tag() step backwards (found by tests/fuzz/fuzz_bhcfg.c;
 * regression case dtb.tag_cycle in tests/run/cfg_negative.sh).
 */
static int bh_dt_walk(const void *fdt)
{
	int off = 0;

	for (;;) {
		int next = off;
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (tag == FDT_END) {
			return next < 0 ? next : 0;
		}
		if (next <= off) {
			return -FDT_ERR_BADSTRUCTURE;
		}
		off = next;
	}
}

/**
 * Checks that @buf (@size bytes, read from @path) is a device tree blob the
 * tool can walk safely; prints the reason and returns -1 if not. Blobs
 * older than version 16 are refused before fdt_check_full() sees them:
 * libfdt 1.6.1 (Debian 12) dereferences NULL in fdt_check_full() on some
 * of them (found by tests/fuzz/fuzz_bhcfg.c; regression case
 * dtb.old_version in tests/run/cfg_negative.sh). dtc writes version 17.
 */
int bh_dt_check(const char *path, const void *buf, size_t size)
{
	int err = -FDT_ERR_TRUNCATED;

	if (size >= sizeof(struct fdt_header)) {
		err = fdt_version(buf) < 16 || fdt_last_comp_version(buf) > 17
			      ? -FDT_ERR_BADVERSION
			      : fdt_check_header(buf);
	}
	if (err == 0 && fdt_totalsize(buf) > size) {
		err = -FDT_ERR_TRUNCATED;
	}
	if (err == 0) {
		err = bh_dt_walk(buf);
	}
	if (err == 0) {
		err = fdt_check_full(buf, size);
	}
	if (err != 0) {
		fprintf(stderr, "bhcfg: %s: not a valid device tree (%s)\n",
			path, fdt_strerror(err));
		return -1;
	}
	return 0;
}

/**
 * Loads the device tree @path (source or blob) into @dt and checks it with
 * fdt_check_full(). On failure prints the reason and returns -1; on success
 * @dt owns a heap buffer released by bh_dt_free().
 */
int bh_dt_load(const struct bh_ctx *ctx, const char *path, struct bh_dt *dt)
{
	uint8_t *buf = NULL;
	size_t size = 0;
	bool blob;

	dt->path = path;
	dt->fdt = NULL;
	if (bh_read_all(path, &buf, &size) != 0) {
		return -1;
	}
	blob = bh_ends_with(path, ".dtb") ||
	       (size >= 4 && fdt_magic(buf) == FDT_MAGIC);
	if (!blob) {
		free(buf);
		buf = NULL;
		if (bh_compile(ctx, path, &buf, &size) != 0) {
			return -1;
		}
	}
	if (bh_dt_check(path, buf, size) != 0) {
		free(buf);
		return -1;
	}
	dt->fdt = buf;
	dt->size = size;
	return 0;
}

/** Releases the blob held by @dt (safe on a failed or empty @dt). */
void bh_dt_free(struct bh_dt *dt)
{
	free(dt->fdt);
	dt->fdt = NULL;
}
