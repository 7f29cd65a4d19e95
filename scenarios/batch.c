/*
 * batch.c - the batch host runner: one command on many hosts, a thread per
 * host; sequential against threaded, printed as it comes against collected.
 *
 * Mirrors tutorial 004's homework (简单主机批量管理工具: batch_run -h
 * h1,h2,h3 -cmd "df -h", a threading.Thread per host that runs the command
 * over ssh, reads its output and prints the host's name and the result),
 * and tutorial 000's subprocess: a child given its input on stdin, its
 * output read back with communicate() (there `nslookup` fed "set q=mx ...").
 *
 * A host is a real program with its own latency, not a network: runner hN
 * starts /bin/sh, which prints the host's name at once (as `hostname`),
 * sleeps N x latency_ms and then runs the homework's command, df -h.  Each
 * runner reads its host's output and reaps it.  threaded: the runners go
 * together, so the batch lasts about as long as its slowest host;
 * sequential: runner hN first waits for h(N-1) to end (as a main thread
 * that joins each thread before it starts the next), so the batch lasts
 * about the sum.  collect=0: the runners print each line as it comes, and
 * with threads their lines interleave; collect=1: each keeps its host's
 * output in a file of its own (as pssh -o does) and main prints them, host
 * by host, after joining the runners.
 *
 * Main also runs the 000 part: /usr/bin/tr given "h1,h2,h3" on stdin (the
 * homework's -h list) gives back one host per line.  In the Python program
 * main does it before it starts the runners; here the runners start with
 * it, as every actor of a run does, and nothing of theirs depends on it.
 *
 * Shared: `h1.out`, `h2.out`, ... (real files, one per host: collect=1
 * only).  The host programs are in their own process groups; the run kills
 * and reaps any still running when it ends (ls_proc_kill_all), a crash of
 * the program too, and after a SIGKILL of lockstep the janitor kills their
 * groups (a host's `sleep` too).  A stopped host ends the run after 2 s.  The wall
 * times are the model's: a host's from its spawn to its reaping.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lockstep/lesson.h"

enum { P_HOSTS, P_LATENCY_MS, P_MODE, P_COLLECT, P_COMMUNICATE };
enum { MODE_SEQUENTIAL, MODE_THREADED };

#define BATCH_HOSTS_MAX 16
#define BATCH_OUT_MAX   1024   /* a host's output kept (df -h: two lines) */
#define BATCH_LIST_MAX  128    /* "h1,h2,...,h16\n" and tr's answer */
#define BATCH_MAIN      0      /* actor ids: main, then h1, h2, ... */

/* What a host runs: $0 is its name, $1 its latency in seconds. */
#define BATCH_HOST_SCRIPT "echo \"$0\"; sleep \"$1\"; exec df -h /"

static const char *const batch_mode_choices[] = { "sequential", "threaded", NULL };

static const struct ls_param_desc batch_params[] = {
	[P_HOSTS]      = { "hosts", N_("hosts the command runs on (h1, h2, ...), one runner each"),
	                   3, 1, BATCH_HOSTS_MAX, NULL },
	[P_LATENCY_MS] = { "latency_ms", N_("host hN answers N x this long after it starts"), 200,
	                   0, 5000, NULL },
	[P_MODE]       = { "mode", N_("threaded: the runners go together; sequential: one after "
	                   "the other"), MODE_THREADED, 0, 1, batch_mode_choices },
	[P_COLLECT]    = { "collect", N_("1 keeps each host's output and prints it per host at the "
	                   "end; 0 prints lines as they come"), 0, 0, 1, NULL },
	[P_COMMUNICATE] = { "communicate", N_("1: main first gives tr the host list on its stdin "
	                   "and reads its answer (000's subprocess)"), 1, 0, 1, NULL },
};

struct batch {
	ls_file *out[BATCH_HOSTS_MAX];
	int hosts;
	long latency_ms;
	int sequential;
	int collect;
	int communicate;
};

/* "h1,h2,...,hN\n": the homework's -h list, what tr is given. */
static void
batch_host_list(int hosts, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int k = 1; k <= hosts && at < len; k++)
		at += (size_t)snprintf(buf + at, len - at, "%sh%d", k > 1 ? "," : "", k);
	if (at + 1 < len)
		snprintf(buf + at, len - at, "\n");
}

/* text as Python prints bytes: b'h1\nh2\n'. */
static void
batch_repr(const char *text, char *buf, size_t len)
{
	size_t at = 0;

	if (len < 4) {
		if (len)
			buf[0] = '\0';
		return;
	}
	buf[at++] = 'b';
	buf[at++] = '\'';
	for (const unsigned char *c = (const unsigned char *)text; *c && at + 6 < len; c++) {
		if (*c == '\n')
			at += (size_t)snprintf(buf + at, len - at, "\\n");
		else if (*c == '\\' || *c == '\'')
			at += (size_t)snprintf(buf + at, len - at, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			at += (size_t)snprintf(buf + at, len - at, "\\x%02x", *c);
		else
			buf[at++] = (char)*c;
	}
	buf[at++] = '\'';
	buf[at] = '\0';
}

/* One host's runner: start it, read its output, reap it. */
static void
batch_runner(struct ls_actor_ctx *ctx)
{
	struct batch *b = ctx->state;
	long ms = b->latency_ms * (ctx->index + 1);
	char secs[32], line[LS_SAID_MAX], out[BATCH_OUT_MAX];
	struct ls_proc proc;

	if (b->sequential && ctx->index > 0)
		ls_join(ctx->id - 1);  /* py:join */
	snprintf(secs, sizeof secs, "%ld.%03ld", ms / 1000, ms % 1000);
	const char *const argv[] = { "/bin/sh", "-c", BATCH_HOST_SCRIPT, ctx->name, secs, NULL };
	if (ls_spawn(&proc, argv, NULL) != 0)  /* py:spawn */
		return;
	if (!b->collect) {
		/* Print as it comes: each line the moment it is read. */
		while (ls_proc_read_line(&proc, line, sizeof line) > 0)  /* py:proc_read */
			ls_say("%s", line);  /* py:say */
		ls_proc_wait(&proc);  /* py:proc_wait */
		return;
	}
	/* Collect: all of it, then into this host's own file. */
	ls_proc_communicate(&proc, NULL, out, sizeof out);  /* py:proc_wait#2 */
	ls_file_write(b->out[ctx->index], out);  /* py:file_write */
}

/* Main: tr given the host list (000's communicate), then join the runners
 * and, when they collected, print each host's output in turn. */
static void
batch_main(struct ls_actor_ctx *ctx)
{
	struct batch *b = ctx->state;
	static const char *const tr_argv[] = { "/usr/bin/tr", ",", "\n", NULL };
	char list[BATCH_LIST_MAX], got[BATCH_LIST_MAX], shown[3 * BATCH_LIST_MAX];
	char out[BATCH_OUT_MAX];
	struct ls_proc proc;

	batch_host_list(b->hosts, list, sizeof list);
	if (b->communicate && ls_spawn(&proc, tr_argv, NULL) == 0) {  /* py:spawn#2 */
		int code = ls_proc_communicate(&proc, list, got, sizeof got);  /* py:proc_wait#3 */
		batch_repr(got, shown, sizeof shown);
		ls_say("tr gave back %s, exit code %d", shown, code);  /* py:say#2 */
	}
	for (int k = 1; k <= b->hosts; k++)
		ls_join(BATCH_MAIN + k);  /* py:join#2 */
	if (!b->collect)
		return;
	for (int k = 0; k < b->hosts; k++) {
		if (ls_file_read(b->out[k], out, sizeof out) < 0)  /* py:file_read */
			continue;
		for (char *l = out, *nl; *l; l = nl ? nl + 1 : l + strlen(l)) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = '\0';
			ls_say("%s", l);  /* py:say#3 */
		}
	}
}

enum { ROLE_MAIN, ROLE_RUNNER };

static const struct ls_role_desc batch_roles[] = {
	[ROLE_MAIN]   = { .name = "main", .prefix = "main", .body = batch_main,
	                  .count_param = -1, .count = 1, .single = 1 },
	[ROLE_RUNNER] = { .name = "runner", .prefix = "h", .body = batch_runner,
	                  .count_param = P_HOSTS },
};

static int
batch_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct batch *b = state;

	b->hosts = (int)p[P_HOSTS];
	b->latency_ms = p[P_LATENCY_MS];
	b->sequential = p[P_MODE] == MODE_SEQUENTIAL;
	b->collect = (int)p[P_COLLECT];
	b->communicate = (int)p[P_COMMUNICATE];
	if (!b->collect)
		return 0;
	for (int k = 0; k < b->hosts; k++) {
		char name[24];
		snprintf(name, sizeof name, "h%d.out", k + 1);
		b->out[k] = ls_file_new(w, name, "");
		if (!b->out[k]) {
			snprintf(err, len, "batch: cannot create the file %s", name);
			return -1;
		}
	}
	return 0;
}

/*
 * What the trace says: whose lines came out in what order (a runner's own,
 * or main's after it read a host's file), hosts running at once, and what
 * tr gave back.
 */
struct batch_fold {
	int cur;                        /* host main is printing (collect), 1-based; 0 none */
	int last;                       /* host of the newest output line, 1-based; 0 none */
	int lines[BATCH_HOSTS_MAX];     /* output lines per host */
	unsigned char closed[BATCH_HOSTS_MAX];   /* another host printed after it */
	int interleaved, switches;
	int split, split_by;            /* the first host whose lines were split, and by
	                                   whom (1-based) */
	int running, max_running;       /* host programs alive at once */
	int spawned, reaped;            /* host programs */
	int spawned_before_reap;        /* hosts started before the first was reaped */
	int order_broken;               /* a host started before the one before it was reaped */
	int reaped_host[BATCH_HOSTS_MAX];
	int failed;                     /* hosts that exited non-zero or were killed */
	int told;                       /* main said what tr gave back */
	int communicate_ok, listed, tr_code;
};

/* An output line of host h (1-based). */
static void
batch_fold_line(struct batch_fold *f, int h)
{
	if (h < 1 || h > BATCH_HOSTS_MAX)
		return;
	if (f->last && f->last != h) {
		f->switches++;
		f->closed[f->last - 1] = 1;
		if (f->closed[h - 1] && !f->interleaved) {
			f->interleaved = 1;
			f->split = h;
			f->split_by = f->last;
		}
	}
	f->last = h;
	f->lines[h - 1]++;
}

static void
batch_fold_told(struct batch_fold *f, const char *said, const long *p)
{
	char list[BATCH_LIST_MAX], want[3 * BATCH_LIST_MAX + 48];
	const char *at = strstr(said, "b'");
	int code = -1;

	f->told = 1;
	batch_host_list((int)p[P_HOSTS], list, sizeof list);
	for (char *c = list; *c; c++)
		if (*c == ',')
			*c = '\n';
	batch_repr(list, want, sizeof want - 48);
	const char *ex = strstr(said, ", exit code ");
	if (ex)
		sscanf(ex, ", exit code %d", &code);
	f->tr_code = code;
	f->listed = 0;
	if (at)
		for (const char *c = at; (c = strstr(c, "\\n")) != NULL; c += 2)
			f->listed++;
	f->communicate_ok = at && ex && (size_t)(ex - at) == strlen(want) &&
	                    strncmp(at, want, strlen(want)) == 0 && code == 0;
}

static void
batch_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct batch_fold *f = acc;
	int actor = e->actor;

	if (actor == LS_NO_ACTOR || actor >= m->nactors)
		return;
	if (e->op == LS_OP_SAY && e->phase == LS_PH_DONE) {
		if (actor != BATCH_MAIN)
			batch_fold_line(f, actor);
		else if (f->cur)
			batch_fold_line(f, f->cur);
		else if (strncmp(m->actors[actor].said, "tr gave back ", 13) == 0)
			batch_fold_told(f, m->actors[actor].said, p);
	} else if (e->op == LS_OP_FILE_READ && actor == BATCH_MAIN && e->phase == LS_PH_DONE &&
	           e->obj < m->nobjs) {
		int k;
		if (sscanf(m->objs[e->obj].name, "h%d.out", &k) == 1 && k >= 1 && k <= BATCH_HOSTS_MAX)
			f->cur = k;
	} else if (e->op == LS_OP_SPAWN && e->phase == LS_PH_DONE && actor != BATCH_MAIN) {
		int h = actor - 1;
		if (h > 0 && h < BATCH_HOSTS_MAX && !f->reaped_host[h - 1])
			f->order_broken = 1;
		f->spawned++;
		if (!f->reaped)
			f->spawned_before_reap++;
		if (++f->running > f->max_running)
			f->max_running = f->running;
	} else if (e->op == LS_OP_PROC_WAIT && actor != BATCH_MAIN &&
	           (e->phase == LS_PH_DONE || e->phase == LS_PH_FAIL)) {
		int h = actor - 1;
		if (h >= 0 && h < BATCH_HOSTS_MAX)
			f->reaped_host[h] = 1;
		f->reaped++;
		f->running--;
		if (e->phase == LS_PH_FAIL || e->u.v.b != 0)
			f->failed++;
	}
}

/* The hosts' programs' times, from the model: spawn to reaping. */
static void
batch_times(const struct ls_model *m, double *wall, double *sum, double *longest)
{
	uint64_t t0 = 0, t1 = 0;

	*wall = *sum = *longest = 0;
	for (int i = 0; i < m->nprocs && i < LS_MODEL_PROCS; i++) {
		const struct ls_model_proc *pr = &m->procs[i];
		if (pr->actor == BATCH_MAIN || !pr->exited || pr->t_end < pr->t_start)
			continue;
		double ms = (double)(pr->t_end - pr->t_start) / 1e6;
		*sum += ms;
		if (ms > *longest)
			*longest = ms;
		if (!t0 || pr->t_start < t0)
			t0 = pr->t_start;
		if (pr->t_end > t1)
			t1 = pr->t_end;
	}
	if (t0 && t1 > t0)
		*wall = (double)(t1 - t0) / 1e6;
}

/* How long the batch took, against the sum or the slowest of its hosts. */
static void
batch_how(const struct batch_fold *f, const long *p, double wall, double sum, double longest,
          char *how, size_t len)
{
	int hosts = (int)p[P_HOSTS];

	if (f->reaped < hosts)
		snprintf(how, len, _("Only %d of %d hosts answered."), f->reaped, hosts);
	else if (p[P_MODE] == MODE_SEQUENTIAL)
		snprintf(how, len,
		         _("Sequential: the batch took %.0f ms, %s the sum of the hosts' times "
		         "(%.0f ms): each host was reaped before the next started."), wall,
		         wall >= 0.8 * sum ? _("about") : _("less than"), sum);
	else
		snprintf(how, len,
		         _("Threaded: the batch took %.0f ms, %s the slowest host (%.0f ms), "
		         "not the sum (%.0f ms): up to %d hosts ran at once."), wall,
		         wall <= 1.25 * longest + 20 ? _("about") : _("more than"), longest, sum,
		         f->max_running);
}

/* How the hosts' lines came out: interleaved, or host by host (and why). */
static void
batch_out(const struct batch_fold *f, const long *p, char *out, size_t len)
{
	if (f->interleaved)
		snprintf(out, len,
		         _("The runners printed as they read and their lines interleaved: h%d's "
		         "lines were split by h%d's, so a line alone does not say its host."),
		         f->split, f->split_by);
	else
		snprintf(out, len, "%s", p[P_COLLECT]
		         ? _("Each host's output was collected and printed together, host by host.")
		         : p[P_MODE] == MODE_SEQUENTIAL
		         ? _("One host at a time, so each host's lines came out together.")
		         : _("The lines came out host by host this time: no runner printed "
		           "between another's lines."));
}

/* The finished batch: how long, how its output came out, whether tr answered. */
static void
batch_summary(const struct batch_fold *f, const long *p, double wall, double sum,
              double longest, struct ls_verdict *v)
{
	char how[200], out[240];
	size_t n;

	batch_how(f, p, wall, sum, longest, how, sizeof how);
	batch_out(f, p, out, sizeof out);
	n = strlen(how);
	snprintf(v->summary, sizeof v->summary, "%s", how);
	if (n + 1 < sizeof v->summary)
		snprintf(v->summary + n, sizeof v->summary - n, " %.*s",
		         (int)(sizeof v->summary - n - 2), out);
	v->ok = f->reaped == (int)p[P_HOSTS] && !f->interleaved &&
	        (!p[P_COMMUNICATE] || f->communicate_ok);
	if (p[P_COMMUNICATE] && !f->communicate_ok) {
		size_t at = strlen(v->summary);
		snprintf(v->summary + at, sizeof v->summary - at, " %s",
		         _("tr did not give back the host list, one per line."));
	}
}

static void
batch_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct batch_fold *f = ls_model_fold_state(m);
	int hosts = (int)p[P_HOSTS], seq = p[P_MODE] == MODE_SEQUENTIAL;
	double wall, sum, longest;
	int lines = 0;

	batch_times(m, &wall, &sum, &longest);
	for (int k = 0; k < hosts && k < BATCH_HOSTS_MAX; k++)
		lines += f->lines[k];
	snprintf(v->expected, sizeof v->expected,
	         seq ? _("every host's output together; the batch lasts about the sum of the "
	                 "hosts' times")
	             : _("every host's output together; the batch lasts about its slowest "
	                 "host's time"));
	snprintf(v->observed, sizeof v->observed,
	         _("%d of %d hosts answered, %s; batch %.0f ms, hosts %.0f ms in all, slowest "
	         "%.0f ms"), f->reaped, hosts,
	         !lines ? _("no output yet") : f->interleaved ? _("output interleaved")
	         : _("output grouped per host"), wall, sum,
	         longest);
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary,
		         _("running: %d of %d hosts started, %d answered, %d running now"), f->spawned,
		         hosts, f->reaped, f->running);
	} else {
		batch_summary(f, p, wall, sum, longest, v);
	}
	ls_verdict_figure(v, "hosts", hosts);
	ls_verdict_figure(v, "answered", f->reaped);
	ls_verdict_figure(v, "lines", lines);
	ls_verdict_figure(v, "interleaved", f->interleaved);
	ls_verdict_figure(v, "switches", f->switches);
	ls_verdict_figure(v, "max_running", f->max_running);
	ls_verdict_figure(v, "wall_ms", wall);
	ls_verdict_figure(v, "sum_ms", sum);
	ls_verdict_figure(v, "longest_ms", longest);
	ls_verdict_figure(v, "failed", f->failed);
	ls_verdict_figure(v, "listed", f->listed);
	ls_verdict_figure(v, "communicate_ok", f->communicate_ok);
}

static const struct ls_walk_step batch_walk_steps[] = {
	{ "h1", N_("h1 starts its host: /bin/sh, a real program, which prints its name at once, "
	        "sleeps its latency (100 ms) and runs df -h.") },
	{ "h2", N_("h2 starts its host too, while h1's still runs: with a thread per host they "
	        "run at once. h2's host sleeps 200 ms.") },
	{ "h1", N_("h1 reads its host's first line: its name.") },
	{ "h1", N_("It prints it at once, as the homework's runner does.") },
	{ "h2", N_("h2 reads its host's name,") },
	{ "h2", N_("and prints it too.") },
	{ "h1", N_("h1 reads the next line. This step lasts until h1's host has slept: a real "
	        "program, in real time. df prints its header.") },
	{ "h1", N_("h1 prints it, under h2's name: a reader of the output takes it for h2's. "
	        "h1's lines are split.") },
	{ "h2", N_("h2 reads df's header from its own host,") },
	{ "h2", N_("and prints it: the same words, from another host.") },
	{ "h1", N_("h1 reads its host's last line: its disk.") },
	{ "h1", N_("Printed: whose disk is it? The line alone does not say.") },
	{ "h2", N_("h2 reads its host's disk,") },
	{ "h2", N_("and prints it.") },
	{ "h1", N_("h1 reads again: the end of its host's output.") },
	{ "h1", N_("It reaps its host: the program has exited, its status is 0.") },
	{ "h2", N_("h2 reaches the end of its host's output,") },
	{ "h2", N_("and reaps it.") },
	{ "main", N_("Now main: 000's subprocess. It starts tr, a program that reads its stdin.") },
	{ "main", N_("communicate(): it gives tr \"h1,h2\" on its stdin, closes it, reads all "
	          "its output and reaps it.") },
	{ "main", N_("It prints what tr gave back: one host per line, exactly.") },
	{ "main", N_("main joins h1,") },
	{ "main", N_("and h2: the batch is over.") },
};

static const struct ls_walkthrough batch_walkthroughs[] = {
	{ .title = N_("Threads that print as they go: the hosts' lines interleave"),
	  .params = "hosts=2 latency_ms=100 mode=threaded collect=0 communicate=1",
	  .steps = batch_walk_steps,
	  .nsteps = sizeof batch_walk_steps / sizeof batch_walk_steps[0],
	  .ending = N_("Both hosts ran at once, so the batch lasted about as long as the slower "
	            "one, not the sum. But each runner printed as it read, and the output went "
	            "h1, h2, h1, h2: which disk is whose? collect=1 keeps each host's output and "
	            "prints it together once the runners are joined; mode=sequential runs the "
	            "hosts one after the other, grouped but as slow as all of them together.") },
};

/* Met when every host's lines came out together though the threads
 * printed as they went: the schedule kept each runner's lines whole. */
static int
batch_grouped(const struct ls_model *m, const long *p)
{
	const struct batch_fold *f = ls_model_fold_state(m);

	return ls_model_finished(m) && f->reaped == p[P_HOSTS] && !f->interleaved;
}

static int
batch_split(const struct ls_model *m, const long *p)
{
	const struct batch_fold *f = ls_model_fold_state(m);

	(void)p;
	return f->interleaved;
}

/* Met when two hosts run at once: never in sequential mode. */
static int
batch_overlap(const struct ls_model *m, const long *p)
{
	const struct batch_fold *f = ls_model_fold_state(m);

	(void)p;
	return f->max_running >= 2;
}

static const struct ls_challenge batch_challenges[] = {
	{ .title = N_("Threads print as they go: get each host's lines out together"),
	  .params = "hosts=2 latency_ms=0 mode=threaded collect=0 communicate=0",
	  .hint = N_("a runner's lines are split when the other prints between them"),
	  .win = "h1 h1 h1 h1 h1 h1 h1 h1 h1",
	  .lose = "h1 h1 h1 h2 h2 h2 h1 h1",
	  .met = batch_grouped, .lost = batch_split },
	{ .title = N_("Sequential: make two hosts run at once"),
	  .params = "hosts=2 latency_ms=0 mode=sequential collect=0 communicate=0",
	  .hint = N_("h2 waits for h1 to end before it starts its host"),
	  .lose = "h1 h1 h1 h1 h1 h1 h1 h1 h1 h2 h2",
	  .met = batch_overlap, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case batch_explore_cases[] = {
	{ .params = "hosts=1 latency_ms=0 communicate=0", .outcomes_only = 1 },
};

const struct ls_scenario ls_scenario_batch = {
	.name = "batch",
	.position = 180,
	.title = N_("Batch host runner: one command on 3 hosts, a thread per host"),
	.seed = "004: the homework's batch_run (a thread per host); 000: subprocess communicate()",
	.lesson =
		N_("004's homework runs one command (df -h) on many hosts, a thread per host. Here "
		"each host is a real program with its own latency: host hN prints its name, waits "
		"N times latency_ms and runs df -h. Run one host after the other (sequential) and "
		"the batch lasts the sum of their times; give each host a thread (threaded) and they "
		"wait together, so it lasts about as long as the slowest. The times are measured "
		"in the run, from the trace. But threads that print each line as they read it mix "
		"their lines: the output goes h1, h2, h1, h2, and a line alone no longer says its "
		"host. Collect each host's output (collect=1) and print it per host once the "
		"threads are joined. Main also does 000's subprocess part: it starts tr, gives it "
		"the host list on stdin with communicate() and reads back one host per line."),
	.params = batch_params,
	.nparams = LS_NPARAMS(batch_params),
	.roles = batch_roles,
	.nroles = sizeof batch_roles / sizeof batch_roles[0],
	.kind = LS_ACTORS_THREADS,
	.toggle_param = P_COLLECT,
	.state_size = sizeof(struct batch),
	.setup = batch_setup,
	.verdict = batch_verdict,
	.fold_size = sizeof(struct batch_fold),
	.fold = batch_fold,
	.walkthroughs = batch_walkthroughs,
	.nwalkthroughs = sizeof batch_walkthroughs / sizeof batch_walkthroughs[0],
	.challenges = batch_challenges,
	.nchallenges = sizeof batch_challenges / sizeof batch_challenges[0],
	.explore_cases = batch_explore_cases,
	.nexplore_cases = sizeof batch_explore_cases / sizeof batch_explore_cases[0],
};
