/*
 * pyrun.c - a Python program as a scenario built at run time (pyrun.h).
 *
 * Its main thread is actor 0: a process actor whose body execs python3
 * with the probe module (_lockstep) on its path and the world's memory
 * file open, so the program's threads write the same rings and wait at the
 * same gates as a lesson's actors.  Never writes the program's file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/world.h"
#include "lockstep/i18n.h"
#include "lockstep/model.h"
#include "lockstep/objects.h"
#include "python/pyrun.h"
#include "python/pysrc.h"

#define PYRUN_PARAMS (LS_PYSRC_PARAMS < LS_PARAMS_MAX - 1 ? LS_PYSRC_PARAMS : LS_PARAMS_MAX - 1)

static const char *const pyrun_steps[] = { "line", "bytecode", NULL };

/* The one program this process runs (a command runs one). */
static struct {
	struct ls_scenario s;
	char path[PATH_MAX];
	char *text;
	char lesson[512];
	struct ls_pysrc_param found[LS_PYSRC_PARAMS];
	struct ls_param_desc params[LS_PARAMS_MAX];
	char names[LS_PARAMS_MAX][LS_PYSRC_NAME];
	int nfound;
	struct ls_role_desc roles[3];
	struct ls_world *world;   /* the newest run's, for the screen's key */
} prog;

int
ls_pyrun_is_path(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n > 3 && (strcmp(name + n - 3, ".py") == 0 || strchr(name, '/'));
}

/* The python3 to run: $LOCKSTEP_PYTHON, else the one the build found. */
static const char *
pyrun_python(void)
{
	const char *p = getenv("LOCKSTEP_PYTHON");
	return p && *p ? p : LOCKSTEP_PYTHON3;
}

/* Where _lockstep.so is: $LOCKSTEP_PYLIB, pylib/ beside the program
 * (the build tree), else the installed one. */
static void
pyrun_pylib(char *buf, size_t len)
{
	const char *env = getenv("LOCKSTEP_PYLIB");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char probe[sizeof exe + 32];
			snprintf(probe, sizeof probe, "%s/pylib/_lockstep.so", exe);
			if (access(probe, R_OK) == 0) {
				snprintf(buf, len, "%s/pylib", exe);
				return;
			}
		}
	}
	snprintf(buf, len, "%s", LOCKSTEP_PYLIBDIR);
}

static void
pyrun_env(const struct ls_actor_ctx *ctx, struct ls_world *w)
{
	char buf[2 * PATH_MAX], sets[LS_PARAMS_MAX * (LS_PYSRC_NAME + 24)];
	size_t at = 0;
	int fd = dup(w->memfd);   /* without FD_CLOEXEC: python3 inherits it */

	snprintf(buf, sizeof buf, "%d:%lx:%lx", fd, (unsigned long)w, (unsigned long)w->size);
	setenv("LOCKSTEP_WORLD", buf, 1);
	sets[0] = '\0';
	for (int i = 0; i < prog.nfound; i++) {
		int n = snprintf(sets + at, sizeof sets - at, "%s=%ld\n", prog.found[i].name,
		                 ctx->params[i]);
		if (n > 0 && (size_t)n < sizeof sets - at)
			at += (size_t)n;
	}
	setenv("LOCKSTEP_PY_SETS", sets, 1);
	pyrun_pylib(buf, sizeof buf);
	setenv("PYTHONPATH", buf, 1);
	setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	setenv("PYTHONUNBUFFERED", "1", 1);
}

/* Actor 0: become python3 running the program.  A process actor, forked
 * with every signal blocked: python3 gets them back. */
static void
pyrun_main(struct ls_actor_ctx *ctx)
{
	struct ls_world *w = ctx->state ? *(struct ls_world **)ctx->state : NULL;
	sigset_t none;
	int null = open("/dev/null", O_RDWR);

	if (!w || null < 0)
		_exit(126);
	pyrun_env(ctx, w);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execl(pyrun_python(), "python3", "-c", "import _lockstep; _lockstep.main()", prog.path,
	      (char *)NULL);
	_exit(127);
}

static int
pyrun_setup(struct ls_world *w, void *state, const long *params, char *err, size_t len)
{
	if (w->memfd < 0) {
		snprintf(err, len, "%s: the shared world has no memory file to give python3", prog.path);
		return -1;
	}
	*(struct ls_world **)state = w;
	prog.world = w;
	atomic_store(&w->py_bytecode, params[prog.nfound] ? 1u : 0u);
	atomic_store(&w->py_next, 1);
	w->py_threads_end = 1 + LS_PYRUN_THREADS;
	atomic_store(&w->py_next_proc, w->py_threads_end);
	_Static_assert(LS_MAX_OBJS <= 64, "a Python run's free objects fit one 64-bit word");
	for (int i = 0; i < LS_PYRUN_VARS; i++) {
		ls_var *v = ls_var_new(w, "", 0);
		if (!v)
			goto full;
		atomic_fetch_or(&w->py_free_vars, UINT64_C(1) << (w->nobjs - 1));
	}
	for (int i = 0; i < LS_PYRUN_LOCKS; i++) {
		if (!ls_mutex_new(w, ""))
			goto full;
		atomic_fetch_or(&w->py_free_locks, UINT64_C(1) << (w->nobjs - 1));
	}
	return 0;
full:
	snprintf(err, len, "%s: no room for its objects", prog.path);
	return -1;
}

/* What a program without a lesson is judged by: its end, its crashes. */
static void
pyrun_verdict(const struct ls_model *m, const long *params, struct ls_verdict *v)
{
	int started = 0, crashed = 0, done = 0;

	for (int i = 0; i < m->nactors; i++) {
		if (m->actors[i].state == LS_AS_NEW)
			continue;
		started++;
		crashed += m->actors[i].state == LS_AS_CRASHED;
		done += m->actors[i].state == LS_AS_DONE;
	}
	v->ok = done + crashed < started ? -1 : crashed == 0;
	snprintf(v->expected, sizeof v->expected, "%s", _("every thread runs to its end"));
	if (crashed)
		snprintf(v->observed, sizeof v->observed,
		         P_("%d of %d threads raised an exception", "%d of %d threads raised an exception",
		            started), crashed, started);
	else
		snprintf(v->observed, sizeof v->observed,
		         P_("%d of %d thread ended", "%d of %d threads ended", started), done, started);
	snprintf(v->summary, sizeof v->summary, "%s", v->observed);
	ls_verdict_figure(v, "threads", started);
	ls_verdict_figure(v, "crashed", crashed);
}

static int
pyrun_read(const char *path, char *err, size_t len)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st) != 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s: is a directory, not a Python program", path);
		return -1;
	}
	if (!(f = fopen(path, "r"))) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	prog.text = malloc((size_t)st.st_size + 1);
	size_t n = prog.text ? fread(prog.text, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!prog.text) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	prog.text[n] = '\0';
	if (memchr(prog.text, '\0', n)) {
		snprintf(err, len, "%s: not a Python program (it holds binary data)", path);
		return -1;
	}
	return 0;
}

/* python3 compiles it: a syntax error is one line, file:line:col: message. */
static int
pyrun_compile(const char *path, char *err, size_t len)
{
	int fds[2];
	static const char check[] =
		"import sys\n"
		"p = sys.argv[1]\n"
		"try:\n"
		"    compile(open(p, 'rb').read(), p, 'exec')\n"
		"except SyntaxError as e:\n"
		"    print('%s:%s:%s: %s' % (p, e.lineno, e.offset, e.msg)); sys.exit(1)\n";

	if (pipe(fds) != 0) {
		snprintf(err, len, "cannot check %s: %s", path, strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(fds[1], 1);
		dup2(null, 2);
		execl(pyrun_python(), "python3", "-c", check, path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char out[512];
	ssize_t n = pid > 0 ? read(fds[0], out, sizeof out - 1) : -1;
	close(fds[0]);
	int st = 0;
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	out[n > 0 ? n : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == 127) {
		snprintf(err, len, "cannot run %s: install python3 (Debian: apt-get install python3)",
		         pyrun_python());
		return -1;
	}
	if (WEXITSTATUS(st) != 0) {
		snprintf(err, len, "%s", out[0] ? out : "not a Python program");
		return -1;
	}
	return 0;
}

static void
pyrun_describe(void)
{
	int np = prog.nfound < PYRUN_PARAMS ? prog.nfound : PYRUN_PARAMS;

	for (int i = 0; i < np; i++) {
		memcpy(prog.names[i], prog.found[i].name, sizeof prog.names[i]);
		prog.params[i] = (struct ls_param_desc){
			.name = prog.names[i], .help = "a constant of the program",
			.def = prog.found[i].value, .min = -1000000000L, .max = 1000000000L,
		};
	}
	prog.nfound = np;
	prog.params[np] = (struct ls_param_desc){
		.name = "steps", .help = "hold each actor before each line or each bytecode instruction",
		.def = 0, .min = 0, .max = 1, .choices = pyrun_steps,
	};
	prog.roles[0] = (struct ls_role_desc){
		.name = "main thread", .prefix = "main", .body = pyrun_main, .count_param = -1,
		.count = 1, .single = 1,
	};
	prog.roles[1] = (struct ls_role_desc){
		.name = "thread", .prefix = "T", .count_param = -1, .count = LS_PYRUN_THREADS,
		.forked = 1, .unlisted = 1,
	};
	prog.roles[2] = (struct ls_role_desc){
		.name = "process", .prefix = "P", .count_param = -1, .count = LS_PYRUN_PROCS,
		.forked = 1, .unlisted = 1,
	};
	snprintf(prog.lesson, sizeof prog.lesson,
	         "%.400s, run by python3 as it is written: each thread it starts is an actor.",
	         prog.path);
	prog.s = (struct ls_scenario){
		.name = prog.path, .title = prog.path, .seed = "a Python program",
		.lesson = prog.lesson, .params = prog.params, .nparams = np + 1,
		.roles = prog.roles, .nroles = 3, .kind = LS_ACTORS_PROCESSES, .toggle_param = -1,
		.state_size = sizeof(struct ls_world *), .world_file = 1, .setup = pyrun_setup,
		.verdict = pyrun_verdict,
	};
}

const struct ls_scenario *
ls_pyrun_open(const char *path, char *err, size_t len)
{
	if (prog.text)
		return strcmp(prog.path, path) == 0 ? &prog.s : NULL;
	if (strlen(path) >= sizeof prog.path) {
		snprintf(err, len, "%s: the path is too long", path);
		return NULL;
	}
	snprintf(prog.path, sizeof prog.path, "%s", path);
	if (pyrun_read(path, err, len) != 0 || pyrun_compile(path, err, len) != 0) {
		free(prog.text);
		prog.text = NULL;
		return NULL;
	}
	prog.nfound = ls_pysrc_params(prog.text, prog.found, LS_PYSRC_PARAMS);
	pyrun_describe();
	return &prog.s;
}

const char *
ls_pyrun_text(const struct ls_scenario *s)
{
	return s == &prog.s ? prog.text : NULL;
}

const char *
ls_pyrun_text_named(const char *name)
{
	return prog.text && name && strcmp(name, prog.path) == 0 ? prog.text : NULL;
}

int
ls_pyrun_toggle_bytecode(const struct ls_scenario *s)
{
	if (s != &prog.s || !prog.world)
		return -1;
	/* Relaxed: the probe reads it at its next event; nothing else pairs. */
	return (int)(atomic_fetch_xor_explicit(&prog.world->py_bytecode, 1u,
	                                       memory_order_relaxed) ^ 1u);
}
