/*
 * tickets.c - grabbing the last ticket from a file.
 *
 * Mirrors tutorial 002 (模拟抢票: db.txt holds {"count":1}, 100 Process
 * clients each run search() then get()).  search() reads the file and prints
 * how many tickets are left; get() reads the file, waits 0.1 s (the network
 * read), and if a ticket is left decrements the count, waits 0.2 s (the
 * network write), writes the file back and prints 购票成功.  Without a lock
 * every buyer reads count 1 during those 0.3 s, so dozens "buy" the single
 * ticket; with a lock around get() the buyers pass one at a time and exactly
 * one succeeds.  The lesson: a file shared by processes is shared data like
 * any other, and a read-decide-write on it must be made whole.  Writing is
 * truncate-then-write, as Python's open('db.txt','w') is, so under load a
 * reader may also catch a writer in between and read an empty file; like
 * json.load, the buyer then has no count and does not buy.
 *
 * Shared: `db.txt`, a real file in the run's private temporary directory
 * (each buyer opens, reads and rewrites it itself), and, for lock=mutex,
 * `lock`, a process-shared mutex (multiprocessing.Lock).  lock=flock locks
 * the ticket file itself with flock(2), the way unrelated programs would.
 * Sales are counted by a fold over the trace (every write of the file in
 * get() is a sale), not by a shared counter, so counting changes nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lockstep/lesson.h"

enum { P_BUYERS, P_TICKETS, P_READ_DELAY_MS, P_WRITE_DELAY_MS, P_LOCK };
enum { TICKETS_LOCK_NONE, TICKETS_LOCK_MUTEX, TICKETS_LOCK_FLOCK };

#define TICKETS_FILE "db.txt"

static const char *const tickets_lock_choices[] = { "none", "mutex", "flock", NULL };

static const struct ls_param_desc tickets_params[] = {
	[P_BUYERS]         = { "buyers", N_("processes, each trying to buy one ticket"), 100, 1, 1000, NULL },
	[P_TICKETS]        = { "tickets", N_("tickets in the file at the start"), 1, 0, 1000000, NULL },
	[P_READ_DELAY_MS]  = { "read_delay_ms", N_("network delay after reading the file"), 100, 0, 10000, NULL },
	[P_WRITE_DELAY_MS] = { "write_delay_ms", N_("network delay before writing it back"), 200, 0, 10000, NULL },
	[P_LOCK]           = { "lock", N_("what guards get(): nothing, a shared mutex, or flock"),
	                       TICKETS_LOCK_NONE, TICKETS_LOCK_NONE, TICKETS_LOCK_FLOCK,
	                       tickets_lock_choices },
};

struct tickets {
	ls_file *db;
	ls_mutex *lock;
	long read_delay_ms;
	long write_delay_ms;
	int lock_kind;
};

/* json.load, for the one key the file has; -1 when it is not there. */
static long
tickets_parse(const char *text)
{
	const char *at = strstr(text, "\"count\"");
	long count;

	if (!at || sscanf(at, "\"count\" :%ld", &count) != 1)
		return -1;
	return count;
}

/* search(): how many are left, as the buyer sees it before queueing. */
static void
tickets_search(struct tickets *t)
{
	char buf[128];

	ls_file_read(t->db, buf, sizeof buf);  /* py:file_read */
	long count = tickets_parse(buf);
	if (count < 0)
		ls_say("read \"%s\", not a count: caught a buyer mid-write (JSONDecodeError)", buf);  /* py:say */
	else
		ls_say("tickets left: %ld (剩余票数%ld)", count, count);  /* py:say#2 */
}

/* get(): read, think, decrement, think, write back. */
static void
tickets_get(struct tickets *t)
{
	char buf[128];

	ls_file_read(t->db, buf, sizeof buf);  /* py:file_read#2 */
	long count = tickets_parse(buf);  ls_note("count", count);  /* py:file_read#2 */
	ls_sleep(t->read_delay_ms);  /* py:sleep */
	if (count < 0) {
		/* Between another buyer's truncate and write: json.load raises. */
		ls_say("read \"%s\", not a count: caught a buyer mid-write (JSONDecodeError)", buf);  /* py:say#3 */
	} else if (count > 0) {
		count--;
		snprintf(buf, sizeof buf, "{\"count\": %ld}", count);
		ls_sleep(t->write_delay_ms);  /* py:sleep#2 */
		ls_file_write(t->db, buf);  /* py:file_write */
		ls_say("bought a ticket (购票成功)");  /* py:say#4 */
	}
}

static void
tickets_buyer(struct ls_actor_ctx *ctx)
{
	struct tickets *t = ctx->state;

	tickets_search(t);
	switch (t->lock_kind) {
	case TICKETS_LOCK_MUTEX:
		ls_lock(t->lock);  /* py:lock */
		tickets_get(t);
		ls_unlock(t->lock);  /* py:unlock */
		break;
	case TICKETS_LOCK_FLOCK:
		ls_file_lock(t->db);  /* py:file_lock */
		tickets_get(t);
		ls_file_unlock(t->db);  /* py:file_unlock */
		break;
	default:
		tickets_get(t);
		break;
	}
}

static const struct ls_role_desc tickets_roles[] = {
	{ .name = "buyer", .prefix = "P", .body = tickets_buyer, .count_param = P_BUYERS,
	  .symmetric = 1 },
};

static int
tickets_setup(struct ls_world *w, void *state, const long *p, char *err, size_t len)
{
	struct tickets *t = state;
	char json[64];

	snprintf(json, sizeof json, "{\"count\": %ld}", p[P_TICKETS]);
	t->db = ls_file_new(w, TICKETS_FILE, json);
	if (!t->db) {
		snprintf(err, len, "tickets: cannot create the ticket file in a new directory under %s: %s",
		         ls_file_dir_base(), strerror(errno));
		return -1;
	}
	t->read_delay_ms = p[P_READ_DELAY_MS];
	t->write_delay_ms = p[P_WRITE_DELAY_MS];
	t->lock_kind = (int)p[P_LOCK];
	if (t->lock_kind == TICKETS_LOCK_MUTEX) {
		t->lock = ls_mutex_new(w, "lock");
		if (!t->lock) {
			snprintf(err, len, "tickets: cannot create the lock");
			return -1;
		}
	}
	return 0;
}

/* Over the trace: a buyer's completed write of the ticket file is a sale. */
struct tickets_fold {
	int db;        /* object id + 1 of the file, 0 until looked up */
	long sold;
};

static void
tickets_fold(void *acc, const struct ls_model *m, const long *p, const struct ls_event *e)
{
	struct tickets_fold *f = acc;

	(void)p;
	if (!f->db)
		f->db = ls_model_find(m, TICKETS_FILE) + 1;
	if (e->op == LS_OP_FILE_WRITE && e->phase == LS_PH_DONE && e->actor != LS_NO_ACTOR &&
	    f->db > 0 && e->obj == (unsigned)(f->db - 1))
		f->sold++;
}

static void
tickets_verdict(const struct ls_model *m, const long *p, struct ls_verdict *v)
{
	const struct tickets_fold *f = ls_model_fold_state(m);
	long tickets = p[P_TICKETS];
	long expected = p[P_BUYERS] < tickets ? p[P_BUYERS] : tickets;
	long sold = f ? f->sold : 0;
	long oversold = sold > tickets ? sold - tickets : 0;
	int db = ls_model_find(m, TICKETS_FILE);
	long left = db < 0 ? -1 : tickets_parse(m->objs[db].text);
	const char *noun = tickets == 1 ? "ticket" : "tickets";

	snprintf(v->expected, sizeof v->expected,
	         _("%ld ticket%s sold: the file held %ld, %ld buyer%s tried"),
	         expected, expected == 1 ? "" : "s", tickets, p[P_BUYERS],
	         p[P_BUYERS] == 1 ? "" : "s");
	snprintf(v->observed, sizeof v->observed, _("%ld ticket%s sold, the file says %ld left"),
	         sold, sold == 1 ? "" : "s", left);
	if (!ls_model_finished(m)) {
		v->ok = -1;
		snprintf(v->summary, sizeof v->summary, _("running: %ld of %ld %s sold so far"),
		         sold, tickets, noun);
	} else if (sold == expected) {
		v->ok = 1;
		snprintf(v->summary, sizeof v->summary,
		         _("expected %ld %s sold, %ld %s sold%s"), expected,
		         expected == 1 ? "ticket" : "tickets", sold, sold == 1 ? "was" : "were",
		         p[P_LOCK] == TICKETS_LOCK_NONE
		         ? _(" (no lock, but this time every buyer wrote back before the next read)")
		         : _(" (the lock let one buyer at a time read, decide and write back). "
		             "search() reads without the lock, as the tutorial's does: its race "
		             "with a write is real, it can see a half-written file"));
	} else if (oversold > 0) {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("expected at most %ld %s sold, %ld were sold: the %s oversold %ld "
		         "time%s (buyers read the same count before anyone wrote it back)"),
		         tickets, noun, sold, tickets == 1 ? "ticket was" : "tickets were",
		         oversold, oversold == 1 ? "" : "s");
	} else {
		v->ok = 0;
		snprintf(v->summary, sizeof v->summary,
		         _("expected %ld %s sold, only %ld %s sold"), expected,
		         expected == 1 ? "ticket" : "tickets", sold, sold == 1 ? "was" : "were");
	}
	ls_verdict_figure(v, "sold", (double)sold);
	ls_verdict_figure(v, "tickets", (double)tickets);
	ls_verdict_figure(v, "oversold", (double)oversold);
	ls_verdict_figure(v, "left", (double)left);
}

/*
 * The walkthroughs: two buyers, one ticket, one probe at a time; first
 * without a lock (both buy it), then with the mutex (one does).
 */
static const struct ls_walk_step tickets_walk_unlocked_steps[] = {
	{ "P1", N_("P1 opens db.txt to see how many tickets are left (search): {\"count\": 1}.") },
	{ "P1", N_("P1 prints what it saw: 1 ticket left.") },
	{ "P2", N_("P2 looks at the file too: 1 ticket left.") },
	{ "P2", N_("P2 prints it: 1 ticket left. Both buyers now go to buy it.") },
	{ "P1", N_("P1 starts get(): it reads the file again, count 1, so it means to buy.") },
	{ "P2", N_("P2 reads the file too. P1 has not written yet, so P2 also sees count 1.") },
	{ "P1", N_("P1 waits 0.1 s for the network (a sleep; stepped, it takes no time).") },
	{ "P2", N_("P2 waits for the network as well. Both remember the same old count, 1.") },
	{ "P1", N_("P1 subtracts one (1 - 1 = 0) and waits 0.2 s before writing the file back.") },
	{ "P2", N_("P2 subtracts one from its own copy, also 0, and waits to write.") },
	{ "P1", N_("P1 writes {\"count\": 0} to db.txt: it has the ticket.") },
	{ "P1", N_("P1 prints 购票成功: bought.") },
	{ "P2", N_("P2 writes its own {\"count\": 0} over P1's. The file looks right: 0 left.") },
	{ "P2", N_("P2 prints 购票成功 too. Two buyers bought the one ticket.") },
};

static const struct ls_walk_step tickets_walk_locked_steps[] = {
	{ "P1", N_("P1 looks at the file (search): 1 ticket left.") },
	{ "P1", N_("P1 prints it: 1 ticket left.") },
	{ "P2", N_("P2 looks too: 1 ticket left.") },
	{ "P2", N_("P2 prints it. Both go to buy, but now get() is inside a lock.") },
	{ "P1", N_("P1 takes the lock first: until it lets go, nobody else can read, decide "
	        "and write.") },
	{ "P1", N_("P1 reads the file: count 1, so it means to buy.") },
	{ NULL, N_("P2 wants the lock too, but P1 holds it: P2 is blocked at ls_lock and "
	        "cannot take a step.") },
	{ "P1", N_("P1 waits 0.1 s for the network; P2 still waits for the lock.") },
	{ "P1", N_("P1 subtracts one (1 - 1 = 0) and waits 0.2 s before writing.") },
	{ "P1", N_("P1 writes {\"count\": 0} to db.txt: it has the ticket.") },
	{ "P1", N_("P1 prints 购票成功: bought.") },
	{ "P1", N_("P1 releases the lock and is done. The lock is free for P2.") },
	{ "P2", N_("P2 takes the lock P1 handed over.") },
	{ "P2", N_("P2 reads the file: count 0. P1's write is already there.") },
	{ "P2", N_("P2 waits 0.1 s for the network, then finds no ticket left: it buys nothing.") },
	{ "P2", N_("P2 releases the lock and is done.") },
};

static const struct ls_walkthrough tickets_walkthroughs[] = {
	{ .title = N_("Without a lock, one ticket is sold twice"),
	  .params = "buyers=2 tickets=1 read_delay_ms=100 write_delay_ms=200 lock=none",
	  .steps = tickets_walk_unlocked_steps,
	  .nsteps = sizeof tickets_walk_unlocked_steps / sizeof tickets_walk_unlocked_steps[0],
	  .ending = N_("Two tickets sold from a file that held one: both buyers read count 1 "
	            "before either wrote 0 back. The file says 0 left, so it looks fine; "
	            "only the two receipts show the oversale. With 100 buyers dozens buy "
	            "the same ticket. The next walkthrough adds a lock.") },
	{ .title = N_("With a lock, the ticket is sold once"),
	  .params = "buyers=2 tickets=1 read_delay_ms=100 write_delay_ms=200 lock=mutex",
	  .steps = tickets_walk_locked_steps,
	  .nsteps = sizeof tickets_walk_locked_steps / sizeof tickets_walk_locked_steps[0],
	  .ending = N_("One ticket, one sale: P2 read the file only after P1 had written it "
	            "back, so it saw 0 and bought nothing. The lock made read-decide-write "
	            "whole. The price is time: with 100 buyers they queue, 0.1 s each just "
	            "to read.") },
};

/* The challenges: sales counted by the fold, as the verdict counts them. */
static long
tickets_sold(const struct ls_model *m)
{
	const struct tickets_fold *f = ls_model_fold_state(m);

	return f ? f->sold : 0;
}

static int
tickets_sell_twice(const struct ls_model *m, const long *p)
{
	(void)p;
	return tickets_sold(m) >= 2;
}

/* Lost when too few buyers are left to make two sales: each sells at most once. */
static int
tickets_sell_twice_lost(const struct ls_model *m, const long *p)
{
	long left = 0;

	(void)p;
	for (int i = 0; i < m->nactors; i++)
		left += m->actors[i].state != LS_AS_DONE && m->actors[i].state != LS_AS_CRASHED;
	return tickets_sold(m) + left < 2;
}

static const struct ls_challenge tickets_challenges[] = {
	{ .title = N_("Sell the one ticket twice"),
	  .params = "buyers=2 tickets=1 read_delay_ms=0 write_delay_ms=0 lock=none",
	  .hint = N_("both buyers must read the file before either writes it back"),
	  .win = "P1 P1 P1 P1 P1 P2 P2 P2 P1 P1 P2 P2 P2",
	  .lose = "",
	  .met = tickets_sell_twice, .lost = tickets_sell_twice_lost },
	{ .title = N_("With flock on the file, sell the one ticket twice"),
	  .params = "buyers=2 tickets=1 read_delay_ms=0 write_delay_ms=0 lock=flock",
	  .lose = "P2 P1 P2 P1 P2",
	  .met = tickets_sell_twice, .lost = tickets_sell_twice_lost, .impossible = 1 },
};

/* Small sizes the explorer's tests search whole (tests/check_explore_reduce.c). */
static const struct ls_explore_case tickets_explore_cases[] = {
	{ .params = "buyers=2 read_delay_ms=0 write_delay_ms=0 lock=mutex" },
	{ .params = "buyers=2 read_delay_ms=0 write_delay_ms=0 lock=flock" },
};

const struct ls_scenario ls_scenario_tickets = {
	.name = "tickets",
	.position = 20,
	.title = N_("Ticket grabbing: 100 processes, 1 ticket in a file"),
	.seed = "002: search()/get() on db.txt by 100 Process, without and with a Lock",
	.lesson =
		N_("A file db.txt holds {\"count\": 1}: one ticket. 100 processes each look "
		"at how many are left, then try to buy: read the file, wait 0.1 s for the "
		"network, and if a ticket is left subtract one, wait 0.2 s, and write the "
		"file back. Without a lock every buyer reads count 1 before anyone has "
		"written 0 back, so dozens of them (often all) \"buy\" the same ticket: it is oversold. "
		"On a busy machine some even read the file empty, caught between another "
		"buyer's truncate and write: the same race, torn. "
		"A file shared by processes is shared data like a variable. With a lock "
		"around the read-decide-write (a multiprocessing.Lock, or flock on the file "
		"itself) buyers pass one at a time, the first one takes the ticket, every "
		"later one reads 0, and exactly one ticket is sold. The price is time: the "
		"buyers now queue, 0.1 s each just to read, about 10 s in all."),
	.params = tickets_params,
	.nparams = LS_NPARAMS(tickets_params),
	.roles = tickets_roles,
	.nroles = sizeof tickets_roles / sizeof tickets_roles[0],
	.kind = LS_ACTORS_PROCESSES,
	.toggle_param = P_LOCK,
	.state_size = sizeof(struct tickets),
	.setup = tickets_setup,
	.verdict = tickets_verdict,
	.fold_size = sizeof(struct tickets_fold),
	.fold = tickets_fold,
	.walkthroughs = tickets_walkthroughs,
	.nwalkthroughs = sizeof tickets_walkthroughs / sizeof tickets_walkthroughs[0],
	.challenges = tickets_challenges,
	.nchallenges = sizeof tickets_challenges / sizeof tickets_challenges[0],
	.explore_cases = tickets_explore_cases,
	.nexplore_cases = sizeof tickets_explore_cases / sizeof tickets_explore_cases[0],
};
