/*
 * cmd_net.c - teacher mode for the distributed lesson, the command line
 * only: `lockstep serve distributed` (the master and its manager's server,
 * src/net/serve.c) and `lockstep worker HOST:PORT` (one student's worker,
 * src/net/worker.c).  Options are parsed and checked here; the network is
 * src/net/'s.
 *
 * Safety: serve listens at 127.0.0.1 unless --listen names another address,
 * and never without --key.  Frames are in the machine's own byte order, as
 * in the lesson: every worker of a class must run on machines of one byte
 * order (x86 and ARM Linux both are little-endian).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "engine/params.h"
#include "net/net.h"

/* Each option once: a second one is refused, naming both. */
static int
cmd_net_once(const char **seen, const char *arg, const char *cmd)
{
	if (*seen)
		return cli_usage_error(_("%s: '%s' and '%s': give it once"), cmd, cli_q(*seen),
		                       cli_q(arg));
	*seen = arg;
	return 0;
}

/* ---- lockstep worker ------------------------------------------------------------ */

static int
cmd_worker_options(int argc, char **argv, struct ls_worker_opts *o, const char **addr)
{
	const char *key_arg = NULL, *delay_arg = NULL;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--key=", 6) == 0) {
			if ((rc = cmd_net_once(&key_arg, argv[i], "worker")) != 0)
				return rc;
			o->key = argv[i] + 6;
		} else if (strncmp(argv[i], "--delay-ms=", 11) == 0) {
			if ((rc = cmd_net_once(&delay_arg, argv[i], "worker")) != 0)
				return rc;
			if (cli_whole(argv[i] + 11, 0, 60000, &o->delay_ms) != 0)
				return cli_usage_error(_("worker: %s: accepted: 0..60000 (ms a task takes)"),
				                       cli_q(argv[i]));
		} else if (argv[i][0] == '-') {
			return cli_usage_error(_("worker: unknown option '%s'"), cli_q(argv[i]));
		} else if (*addr) {
			return cli_usage_error(_("worker: one address only ('%s' and '%s')"), cli_q(*addr),
			                       cli_q(argv[i]));
		} else {
			*addr = argv[i];
		}
	}
	return 0;
}

static int
cmd_worker_exec(int argc, char **argv)
{
	struct ls_worker_opts o = { .delay_ms = 1000 };
	const char *addr = NULL;
	char err[CLI_ERR_MAX];
	int rc;

	if ((rc = cmd_worker_options(argc, argv, &o, &addr)) != 0)
		return rc;
	if (!addr)
		return cli_usage_error(_("worker: which manager? (lockstep worker HOST:PORT --key=KEY)"));
	if (ls_net_parse_addr(addr, 0, &o.at) != 0)
		return cli_usage_error(_("worker: bad address '%s' (want HOST:PORT, HOST a numeric "
		                         "IPv4 address, e.g. 127.0.0.1:5000)"), cli_q(addr));
	if (!o.key)
		return cli_usage_error(_("worker: --key=KEY is required (the manager's authkey)"));
	if (!ls_net_key_ok(o.key))
		return cli_usage_error(_("worker: --key must be 1 to %d printable characters"),
		                       LS_NET_KEY_MAX);
	rc = ls_net_worker(&o, err, sizeof err);
	if (rc != 0)
		cli_error("%s", err);
	return rc;
}

const struct cli_cmd cli_cmd_worker = {
	.name = "worker",
	.usage = "worker HOST:PORT --key=KEY [--delay-ms=N]",
	.help = N_("teacher mode: one worker of `lockstep serve distributed`, in a terminal of its "
	           "own"),
	.options = N_("  --key=KEY              the manager's authkey (required; never sent)\n"
	              "  --delay-ms=N           time one task takes (default 1000)\n"
	              "Exit status: 0 the manager ended the work; 1 no connection or it broke;\n"
	              "2 bad usage; 3 the key was refused.\n"),
	.exec = cmd_worker_exec,
};

/* ---- lockstep serve distributed -------------------------------------------------- */

/* tasks=, requeue=, seed= (each once) and the options: 0 or an exit code. */
static int
cmd_serve_options(const struct ls_scenario *s, int argc, char **argv, long *p,
                  struct ls_serve_opts *o, const char **listen_at)
{
	const char *key_arg = NULL, *listen_arg = NULL, *given[LS_PARAMS_MAX] = { NULL };
	char err[CLI_ERR_MAX];
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--key=", 6) == 0) {
			if ((rc = cmd_net_once(&key_arg, argv[i], "serve")) != 0)
				return rc;
			o->key = argv[i] + 6;
		} else if (strncmp(argv[i], "--listen=", 9) == 0) {
			if ((rc = cmd_net_once(&listen_arg, argv[i], "serve")) != 0)
				return rc;
			*listen_at = argv[i] + 9;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(_("serve: unknown option '%s'"), cli_q(argv[i]));
		} else {
			const char *eq = strchr(argv[i], '=');
			size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
			int k = -1;
			if ((n == 5 && strncmp(argv[i], "tasks", 5) == 0) ||
			    (n == 7 && strncmp(argv[i], "requeue", 7) == 0) ||
			    (n == 4 && strncmp(argv[i], "seed", 4) == 0))
				k = ls_scenario_param_index(s, n == 5 ? "tasks" : n == 7 ? "requeue" : "seed");
			if (k < 0)
				return cli_usage_error(_("serve: '%s': serve takes tasks=, requeue=, seed= "
				                         "(the workers are the students')"), cli_q(argv[i]));
			if ((rc = cmd_net_once(&given[k], argv[i], "serve")) != 0)
				return rc;
			if (ls_params_set(s, p, argv[i], err, sizeof err) != 0)
				return cli_usage_error("%s", err);
		}
	}
	return 0;
}

static int
cmd_serve_exec(int argc, char **argv)
{
	const struct ls_scenario *s;
	const char *listen_at = "127.0.0.1:5000";
	long p[LS_PARAMS_MAX];
	char err[CLI_ERR_MAX];
	struct ls_serve_opts o = { 0 };
	int rc;

	if (argc < 1 || argv[0][0] == '-')
		return cli_usage_error(_("serve: which lesson? (lockstep serve distributed --key=KEY)"));
	if (!(s = cli_scenario(argv[0])))
		return LS_EXIT_USAGE;
	if (strcmp(s->name, "distributed") != 0)
		return cli_usage_error(_("serve: only the distributed lesson serves workers over a "
		                         "network, not '%s'"), cli_q(s->name));
	ls_params_default(s, p);
	if ((rc = cmd_serve_options(s, argc, argv, p, &o, &listen_at)) != 0)
		return rc;
	if (ls_net_parse_addr(listen_at, 1, &o.at) != 0)
		return cli_usage_error(_("serve: bad address '%s' for --listen (want HOST:PORT, HOST a "
		                         "numeric IPv4 address, e.g. 127.0.0.1:5000)"),
		                       cli_q(listen_at));
	if (!o.key)
		return cli_usage_error(_("serve: --key=KEY is required: a worker must prove it knows "
		                         "it (the key itself never crosses the wire)"));
	if (!ls_net_key_ok(o.key))
		return cli_usage_error(_("serve: --key must be 1 to %d printable characters"),
		                       LS_NET_KEY_MAX);
	o.tasks = p[ls_scenario_param_index(s, "tasks")];
	o.requeue = (int)p[ls_scenario_param_index(s, "requeue")];
	o.seed = (uint64_t)p[ls_scenario_param_index(s, "seed")];
	rc = ls_net_serve(&o, err, sizeof err);
	if (rc != 0)
		cli_error("%s", err);
	return rc;
}

const struct cli_cmd cli_cmd_serve = {
	.name = "serve",
	.usage = "serve distributed --key=KEY [--listen=HOST:PORT] [tasks=N] [requeue=0|1] [seed=N]",
	.help = N_("teacher mode: the master and its manager, waiting for workers on the network"),
	.options = N_("  --key=KEY              the authkey workers must prove they know (required)\n"
	              "  --listen=HOST:PORT     where to listen (default 127.0.0.1:5000, this machine\n"
	              "                         only; 0.0.0.0:5000 lets other machines in; port 0:\n"
	              "                         a free one, printed)\n"
	              "Ends when every task's result is back (exit 0); workers still waiting see\n"
	              "the connection close and stop.\n"),
	.exec = cmd_serve_exec,
};
