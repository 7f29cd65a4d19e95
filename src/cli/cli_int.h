/*
 * cli_int.h - what the command files share: the command entry (one const
 * struct per command, in cmd_NAME.c, listed once in cli.c's table, as in
 * tmux's cmd_entry), and the option parsing that run, check and open have
 * in common (args.c).  Only src/cli/ includes this.
 */
#ifndef LS_CLI_INT_H
#define LS_CLI_INT_H

#include <stdint.h>

#include "cli/cli.h"
#include "engine/run.h"
#include "lockstep/i18n.h"
#include "lockstep/scenario.h"

struct cli_cmd {
	const char *name;     /* "run" */
	const char *usage;    /* "run NAME [PARAM=VALUE ...] [OPTIONS]" */
	const char *help;     /* one line: what it does */
	const char *options;  /* its options, a line each ("  --json  ..."); NULL: none */
	/* argv[0] is the first argument after the command's name. */
	int (*exec)(int argc, char **argv);
};

extern const struct cli_cmd cli_cmd_menu;
extern const struct cli_cmd cli_cmd_list;
extern const struct cli_cmd cli_cmd_show;
extern const struct cli_cmd cli_cmd_run;
extern const struct cli_cmd cli_cmd_open;
extern const struct cli_cmd cli_cmd_explore;
extern const struct cli_cmd cli_cmd_check;
extern const struct cli_cmd cli_cmd_challenge;
extern const struct cli_cmd cli_cmd_glossary;
extern const struct cli_cmd cli_cmd_serve;
extern const struct cli_cmd cli_cmd_worker;

/* Which command's options cli_args_run() accepts. */
enum cli_mode {
	CLI_MODE_OPEN,    /* --actors, --walkthrough */
	CLI_MODE_RUN,     /* the run options */
	CLI_MODE_CHECK,   /* the run options, --expect, and a schedule file */
};

#define CLI_EXPECT_MAX 16
#define CLI_ERR_MAX    800   /* one message line, quoted names included */

struct cli_run_args {
	const struct ls_scenario *s;
	long params[LS_PARAMS_MAX];
	struct ls_run_opts opts;
	int policy_given;
	int seed_given;
	const char *schedule_file;
	const char *save_file;
	int json;
	int output;
	int walkthrough;                      /* open: the scenario's walkthrough */
	int challenge;                        /* open: its challenge N (1-based), or 0 */
	int presenter;                        /* open: presenter mode */
	int predict;                          /* open: the trace pane hides values */
	const char *trace_file;               /* run, check: Chrome trace JSON */
	const char *expect[CLI_EXPECT_MAX];   /* check */
	int nexpect;
	int nparams_given;
	unsigned char given[LS_PARAMS_MAX];  /* set on the command line */
};

/* "lockstep: MESSAGE (see lockstep --help)" on stderr; returns LS_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "lockstep: MESSAGE" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * User text made safe to echo (see engine/quote.h): escapes for control
 * bytes, cut to a message's length.  The result lives until the fourth
 * call after (the command line is single-threaded).
 */
const char *cli_q(const char *s);
/* The same for a file name: a longer cut. */
const char *cli_qpath(const char *s);
/* The scenario named, or NULL after one line naming the known ones. */
const struct ls_scenario *cli_scenario(const char *name);
/* The value of "--name=VALUE" when arg is that option, else NULL. */
/* A Python program's --steps=line|bytecode: its steps parameter. */
int cli_steps(const struct ls_scenario *s, long *params, const char *v);
const char *cli_opt(const char *arg, const char *name);
/* --actors=KIND: 0, or a usage error's exit code. */
int cli_kind(const char *v, enum ls_actor_kind *k);
/* A whole number option in [lo, hi]: 0, or -1 (say what is accepted). */
int cli_whole(const char *v, long lo, long hi, long *out);
/*
 * argv[i] names a parameter or an option that argv[from..i-1] already gave
 * (the name before '='; --expect alone may repeat): a usage error naming
 * both, else 0.
 */
int cli_args_twice(int from, int i, char **argv);
/* The rules between parameters (ls_params_check): 0, or a usage error. */
int cli_params_check(const struct ls_scenario *s, const long *values);
/* NAME PARAM=VALUE... and options for run, check or open: 0 or an exit code. */
int cli_args_run(int argc, char **argv, struct cli_run_args *a, enum cli_mode mode);

/*
 * Carry out a headless run (run and check): load the schedule file, run,
 * save the schedule and the trace, and hand the finished run to report,
 * which prints and returns an exit code.  A signal ends the program by it.
 */
int cli_run_headless(struct cli_run_args *a,
                     int (*report)(const struct ls_run *r, const struct cli_run_args *a));

#endif
