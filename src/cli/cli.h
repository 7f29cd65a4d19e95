/*
 * cli.h - the command line, as main() sees it: one call and its exit codes.
 */
#ifndef LS_CLI_H
#define LS_CLI_H

#define LS_EXIT_OK     0
#define LS_EXIT_FAIL   1   /* the run could not be carried out, or output was lost */
#define LS_EXIT_USAGE  2   /* bad usage: one line on stderr says what */

/* Settle the language (--lang=, taken out of argv, or the environment) and
 * bind the message catalog; 0, or -1 after one line on stderr. */
int ls_cli_lang(int *argc, char **argv);
int ls_cli_main(int argc, char **argv);
/* `lockstep challenge ...` (cmd_challenge.c): argv[0] is the scenario. */
int ls_cmd_challenge(int argc, char **argv);

#endif
