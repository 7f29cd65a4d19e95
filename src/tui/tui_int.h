/*
 * tui_int.h - what the files of src/tui/ share with each other, and nothing
 * outside src/tui/ may include.  Each screen (menu, lesson, run, explore)
 * is one const struct tui_screen with its table of keys (struct tui_key):
 * the dispatcher, the footer and the '?' help all read that table.  Each
 * pane of the run view is a file under panes/ filling one const struct
 * tui_pane, listed once in panes_table[]; the layout and the number keys
 * read the table.
 */
#ifndef LS_TUI_INT_H
#define LS_TUI_INT_H

/* The wide-character API of ncursesw (get_wch, cchar_t, waddnwstr). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdarg.h>
#include <stdint.h>
#include <wchar.h>

#include "lockstep/model.h"
#include "explore/explore.h"
#include "engine/run.h"
#include "lockstep/i18n.h"
#include "lockstep/scenario.h"
#include "engine/schedule.h"
#include "engine/walk.h"
#include "engine/challenge.h"
#include "tui/timeline.h"

/* The terminal the screens are laid out for; smaller gets a message. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

/*
 * Keys as the screens see them: a character is its code point, a function
 * key (KEY_UP, KEY_RESIZE...) is tagged so it cannot collide with one.
 */
#define TUI_FN(k)  (0x40000000 | (k))
#define TUI_IS_FN(k) (((k) & 0x40000000) != 0)
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27

/* ---- theme.c: colours by role, and the glyphs the locale can show ---- */

enum tui_role {
	C_NORMAL,
	C_TITLE,            /* the top bar */
	C_BORDER,
	C_PANE_TITLE,
	C_DIM,              /* secondary text: ranges, help, line numbers */
	C_KEY,              /* a key name in the status bar and the help */
	C_STATUS,           /* the bottom key bar */
	C_SELECTED,         /* the selected row */
	C_MESSAGE,
	C_ERROR,
	C_ACTOR_NEW,
	C_ACTOR_RUNNING,
	C_ACTOR_GATE,       /* parked at its gate and free to move */
	C_ACTOR_BLOCKED,    /* waiting in a primitive, or parked and unable to move */
	C_ACTOR_SLEEPING,
	C_ACTOR_DONE,
	C_ACTOR_CRASHED,
	C_VALUE,            /* a shared variable's value */
	C_OWNER,            /* who holds a lock or semaphore */
	C_WAITER,           /* who waits for it */
	C_VERDICT_OK,
	C_VERDICT_BAD,
	C_VERDICT_PENDING,
	C_RUN_LIVE,         /* run status while actors move */
	C_RUN_STOPPED,      /* run status once it is over */
	C_SRC_EXEC,         /* the source line the last step executed */
	C_TAB,              /* a pane's name in the tab bar */
	C_TAB_ACTIVE,       /* the pane shown */
	C_NARRATION,        /* a walkthrough's words */
	C__COUNT
};

struct theme_glyphs {
	wchar_t h, v, tl, tr, bl, br;   /* box drawing */
	wchar_t pointer;                /* the policy's next pick, and only that */
	wchar_t cursor;                 /* the selected row: menu, settings, actor, outcome */
	wchar_t exec;                   /* the source line just run */
	wchar_t more_up, more_down;     /* a pane scrolled */
	const char *sep;                /* between header fields */
	/* The timeline's cells. */
	wchar_t tl_run, tl_run_hold, tl_idle_hold, tl_ready, tl_blocked, tl_sleep;
	wchar_t tl_handoff, tl_gap, tl_crash;
	wchar_t tree;                   /* a child under its parent in the Actors pane */
};

void theme_init(void);
int theme_is_mono(void);
int theme_is_utf8(void);
const struct theme_glyphs *theme_glyphs(void);
/* Set w's attributes for role, plus extra (A_REVERSE for a selection). */
void theme_use(WINDOW *w, enum tui_role r, attr_t extra);
void theme_cchar(cchar_t *c, wchar_t ch, enum tui_role r, attr_t extra);
enum tui_role theme_actor_role(int state, int can_proceed);

/* ---- draw.c: clipped, locale-aware text on a window ---- */

struct rect {
	int y, x, h, w;
};

/* Display columns of a UTF-8 (or the locale's) string. */
int draw_width(const char *s);
/* Draw s at y,x in at most maxw columns; returns the columns used. */
int draw_text(WINDOW *w, int y, int x, int maxw, enum tui_role r, attr_t extra,
              const char *s);
int draw_printf(WINDOW *w, int y, int x, int maxw, enum tui_role r, attr_t extra,
                const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void draw_fill(WINDOW *w, int y, int x, int n, enum tui_role r, attr_t extra);
/* The inside of a box drawn on b (0x0 when b is too small for one). */
struct rect draw_inside(struct rect b);
/* A border around b with an optional title; returns the inside. */
struct rect draw_box(WINDOW *w, struct rect b, enum tui_role r, const char *title);
/*
 * Word-wrap s into area, skipping the first skip wrapped lines.  w may be
 * NULL to measure only.  Returns the number of wrapped lines of the whole
 * text (so callers can size panes and scroll).
 */
int draw_wrap(WINDOW *w, struct rect area, int skip, enum tui_role r, const char *s);
void draw_centered(WINDOW *w, int y, enum tui_role r, const char *s);

/* ---- prompt.c: a one-line editor on the message row ---- */

struct prompt {
	int active;
	int purpose;               /* the owner's tag: what the text is for */
	char label[96];
	wchar_t buf[256];
	size_t len;
};

enum prompt_result { PROMPT_EDITING, PROMPT_DONE, PROMPT_CANCEL };

void prompt_open(struct prompt *p, int purpose, const char *label, const char *init);
enum prompt_result prompt_key(struct prompt *p, int key);
/* The text typed, in the locale's multibyte encoding. */
void prompt_text(const struct prompt *p, char *out, size_t len);
void prompt_draw(const struct prompt *p, WINDOW *w, int y, int cols);

/* ---- timeline.h: a lane per actor, a column per step or time slice ---- */

/* ---- panes/source.c: the scenario's own text, split in lines ---- */

struct source_text {
	char *buf;                  /* a copy, its newlines turned into NULs */
	char **line;                /* lines[1..n]: numbered as __LINE__ numbers them */
	int n;
	int body_lo, body_hi;       /* the role functions' lines; 0 when not found */
	int width;                  /* columns the widest of those lines takes, shown */
};

/* The scenario's C source, or (python) its Python program. */
int source_load(struct source_text *st, const char *name, int python);
void source_free(struct source_text *st);

/* ---- keys.c: a table of keys per screen ---- */

struct tui;

/* The footer modes a screen may have (the run view: stepping, free...). */
#define TUI_FOOT_MODES 5

/* Where a key stands in one footer mode: rank 0 leaves it out. */
struct tui_foot {
	int rank;                   /* the footer's order, low first */
	const char *label;          /* NULL: ask foot_label */
};

/*
 * One binding: the keys, what the help and the footer call them, and what
 * they do.  A screen's table is NULL-name-terminated, in the help's order.
 */
struct tui_key {
	int keys[10];               /* the key codes it answers, 0-terminated */
	int (*match)(const struct tui *t, int key);     /* more keys: '1'..'N' */
	const char *name;           /* as the help names them: "Up/Down j/k" */
	void (*name_fn)(char *buf, size_t len);         /* a name read off a table */
	const char *help;           /* the help's line; NULL: not in the help */
	int spare;                  /* the help lists it only when every line fits (the
	                               pane titles say it too) */
	void (*act)(struct tui *t, int key);            /* NULL: not a key here (Ctrl-C) */
	const char *foot_key;       /* the footer's name for it; NULL: name */
	struct tui_foot foot[TUI_FOOT_MODES];
	int (*foot_if)(const struct tui *t, int mode);  /* NULL: always when ranked */
	void (*foot_label)(const struct tui *t, int mode, char *buf, size_t len);
};

/* The entry of table answering key, or NULL. */
const struct tui_key *keys_find(const struct tui_key *table, const struct tui *t, int key);
/* The help's name of an entry. */
void keys_name(const struct tui_key *k, char *buf, size_t len);
/* Draw the footer of table in mode (with the message row above it). */
void keys_footer(struct tui *t, const struct tui_key *table, int mode);
/* The '?' key of every screen. */
void keys_help(struct tui *t, int key);
void keys_glossary(struct tui *t, int key);

/* ---- screens: one interface, one table ---- */

enum tui_screen_id { TUI_MENU, TUI_SCENARIO, TUI_RUN, TUI_EXPLORE, TUI__SCREENS };

struct tui_screen {
	const char *help_title;                 /* "Keys: run" */
	const struct tui_key *keys;
	const char *unbound;                    /* said for a key the table lacks; NULL: nothing */
	void (*enter)(struct tui *t);           /* after the switch; NULL: nothing */
	int (*key)(struct tui *t, int key);     /* before the table: 1 if it took the key */
	void (*update)(struct tui *t);          /* before a frame: fit scroll to the screen */
	void (*draw)(struct tui *t);            /* reads state, never writes it */
	int (*tick)(struct tui *t);             /* advance: 1 if the screen changed */
	int (*live)(const struct tui *t);       /* a clock on screen: redraw anyway */
	void (*leave)(struct tui *t);           /* before the switch; NULL: nothing */
	int (*foot_mode)(const struct tui *t);  /* NULL: mode 0 */
};

extern const struct tui_screen menu_screen, scenario_view_screen, run_view_screen,
	explore_view_screen;

/* The prompt purposes. */
enum { PROMPT_PARAM = 1, PROMPT_SAVE, PROMPT_LOAD, PROMPT_LINE };

/* ---- the run view's state ---- */

struct scenario_view {
	int idx;                    /* into ls_scenarios[] */
	int sel;                    /* the selected row: params, kind, actions */
	int lesson_top;             /* lesson scroll */
};

/* What the screen showed before a step, for 'u' to give back. */
struct run_back_ui {
	size_t steps;               /* the run's steps then */
	int sel, top, last_moved, walk_at, history_back, tl_back, src_top;
	char msg[256];
	enum tui_role msg_role;
};

struct run_view {
	const struct ls_scenario *s;
	long *params;               /* the app's values for s ('l' changes them), or walk_params */
	long *app_params;           /* the app's values, while a walkthrough borrows params */
	long *walk_params;          /* a walkthrough's own values (owned) */
	enum ls_actor_kind kind;
	enum ls_policy policy;      /* what the run started as; 'r' restarts it */
	uint64_t seed;
	unsigned slowmo;            /* free: sleeps scale; random/replay: > 100 paces steps */
	double next_step_ms;        /* a paced random or replay run's next step */
	int paused;                 /* a replay waits for space (or g) */
	struct ls_schedule *replay; /* what 'o' loaded: replay runs replay it (owned) */
	char replay_path[256];       /* what it replays: a file, or a witness's name */
	int replay_is_file;         /* replay_path names a file 'o' may offer again */
	char saved_path[256];       /* the schedule 's' saved last: what 'o' offers */
	int replay_ended;           /* the replay's schedule ran out, and it was said */
	int foot_rows;              /* rows of the message and key bar, for the layout */
	int stall_done;             /* actors done when stall_since began */
	double stall_since;         /* ms: since when no actor has finished */
	int stall_said;             /* the stall was said for this run */
	struct ls_run *run;
	int sel, top;               /* selected actor and the actor pane's scroll */
	int last_moved;             /* the actor the last step moved, or -1 */
	int history_back;           /* interleaving scroll: events back from the newest */
	uint64_t seen_events;       /* what the last frame showed, to skip redraws */
	int seen_status;
	int *scratch;               /* nactors ints for waiter and holder lists */
	/* The Actors pane's rows: the process tree (ls_model_tree), sized for
	 * every actor and every program the model lists. */
	struct ls_tree_row *tree;
	int main_pane;              /* panes_table[] index in the main area when they do not all fit */
	int walk;                   /* the walkthrough shown, or -1 */
	struct ls_walk player;      /* its script and the steps taken */
	struct source_text src;
	int src_python;             /* the source pane shows the Python program, the default */
	int src_c_chosen;           /* 'v' chose the C that runs: kept from lesson to lesson */
	int predict;                /* the trace pane hides values not yet revealed ('e') */
	uint64_t revealed;          /* history index from which the trace hides values */
	struct ls_pymap *pymap;     /* C probe lines to Python lines, or NULL */
	int src_top;                /* first source line shown, 0 = not placed yet */
	struct timeline tl;
	int tl_top;                 /* first lane shown */
	int tl_back;                /* columns scrolled back from the newest */
	/* timeline.c's lanes, as its last frame placed them, for clicks. */
	struct rect hit_lanes;
	int hit_lanes_top;
	/* A challenge (run_guide.c), or -1; its goal checked after every step. */
	int challenge;
	struct ls_challenge_play play;
	char won_path[256];         /* where the winning schedule was saved */
	char proof[320];            /* what the explorer said of it, or "" */
	/* 'u': what the screen showed before each step of this run. */
	struct run_back_ui *back;
	size_t nback, back_cap;
	int to_all;                 /* the line prompt: all actors, or the selected one */
	int presenter;              /* presenter mode: big narration, few panes */
};

/* The explore view: every interleaving of the scenario, grouped by outcome. */
struct explore_view {
	struct ls_explore_result res;
	int have;                   /* res holds a search (finished or stopped) */
	int searching;              /* inside ls_explore: drawn from its progress hook */
	int sel;                    /* the selected outcome */
	double last_frame;
	double started;             /* ms, for the elapsed time while searching */
	char why[200];              /* why there is no result */
	/* Before a search: its size, and a smaller class offered when too big. */
	int offer;                  /* waiting for y (smaller), a (anyway) or n */
	int forced;                 /* a: search at these settings all the same */
	double log10_schedules;     /* interleavings of one run's steps, no pruning */
	int est_actors, est_steps;
	char smaller[160];          /* "depositors=2" */
};

struct tui {
	const struct tui_screen *const *screens;    /* by id: tui.c's table */
	enum tui_screen_id screen;
	enum tui_screen_id run_back; /* where q leaves the run view for */
	int quit;
	int help;                   /* the help overlay is up */
	int glossary;               /* the glossary overlay is up */
	int glossary_top;           /* its first row shown */
	int dirty;
	struct prompt prompt;
	char msg[256];
	enum tui_role msg_role;
	double msg_until;
	unsigned long action;       /* keys dispatched so far */
	unsigned long msg_action;   /* the key whose handling posted msg */
	int nscen;
	int program;                /* a Python program opened by path: no menu, q leaves */
	long **params;              /* per scenario: the values the user set */
	enum ls_actor_kind *kinds;  /* per scenario */
	int menu_sel, menu_top;
	struct scenario_view sv;
	struct run_view rv;
	struct explore_view xv;
};

/* screen.c: what every screen shares */
double tui_now_ms(void);
void tui_message(struct tui *t, enum tui_role r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Switch screens: the old one's leave, the new one's enter.  The message
 * line is cleared unless the action making the switch posted it (the error
 * that sent the user back, the new screen's first words): one screen's news
 * never shows on the next.  The help overlay closes.
 */
void tui_goto(struct tui *t, enum tui_screen_id to);
const struct tui_screen *tui_current(const struct tui *t);
/* Rows the footer takes: the key bar, and the message wrapped on one or two. */
int tui_foot_rows(const struct tui *t);
/* The top bar: left text, right text. */
void tui_draw_header(struct tui *t, const char *left, const char *right);
/* The message row and the key bar: keys is NULL-terminated key, what pairs. */
void tui_draw_footer(struct tui *t, const char *const *keys);

/* scenario_view.c */
void scenario_view_open(struct tui *t, int idx);
void scenario_view_prompt_done(struct tui *t, const char *text);

/* explore_view.c */
/* Explore the lesson's scenario with its current parameters (blocks, drawing
 * progress, until done or q). */
void explore_view_start(struct tui *t);
void explore_view_close(struct tui *t);

/* ---- the run view, one file per concern, each calling only those above it here ---- */

/* run_life.c: the run's life: new, started, fed, freed; its lesson's source. */
int run_life_over(enum ls_run_status st);
/* Create and start a run from rv's settings; -1 with err. */
int run_life_start(struct run_view *rv, char *err, size_t len);
void run_life_free_run(struct run_view *rv);
/* A new scenario: its source text, its speed. */
void run_life_scenario(struct run_view *rv, const struct ls_scenario *s);
/* Feed the timeline what the model gained; the tick and the bench call it. */
void run_life_feed(struct run_view *rv);
/* Whether a frame is worth drawing even without news (the clock moves). */
int run_life_live(const struct tui *t);

/* run_header.c: the top bar's words, and the rows they take. */
void run_header_slowmo_text(unsigned pct, char *buf, size_t len);
void run_header_text(const struct run_view *rv, char *left, size_t llen, char *right,
                     size_t rlen, char *tag, size_t tlen);
/* Rows the header takes: 2 when its words do not fit beside each other. */
int run_header_rows(const struct run_view *rv);

/* run_back.c: 'u' steps back. */
/* Before any step: remember what the screen shows, for 'u'. */
void run_back_note(struct tui *t);
void run_back_forget(struct run_view *rv);
void run_back_step(struct tui *t, int key);

/* run_guide.c: a guided run, from one of two sources (engine/walk.h and
 * engine/challenge.h play them). */
enum run_guide_kind { RUN_GUIDE_WALK, RUN_GUIDE_CHALLENGE, RUN_GUIDE__SOURCES };
/* Open s's guided run which of kind (its own parameters; app_params stay as they are). */
int run_guide_open(struct tui *t, enum run_guide_kind kind, const struct ls_scenario *s,
                   long *app_params, enum ls_actor_kind actors, int which);
/* The guided run shown, again from its start; 0 when none is shown. */
int run_guide_again(struct tui *t);
/* 'w', 'c': the next one of kind (the first when another is shown). */
void run_guide_following(struct tui *t, enum run_guide_kind kind);
/* Give the app its parameter values back when a guided run ends. */
void run_guide_end(struct run_view *rv);
/* Who moves next: the walkthrough's next actor, else the policy's pick; -1. */
int run_guide_next(const struct run_view *rv);
/* space or Enter in a walkthrough: the script's next step; 0 when not in one. */
int run_guide_step(struct tui *t);
/* After a step or a tick: check a challenge's goal; says when it is met or lost. */
void run_guide_check(struct tui *t);
/* 'x': ask the explorer about the challenge shown. */
void run_guide_prove(struct tui *t);

/* run_step.c: stepping by hand. */
void run_step_pick(struct tui *t);
void run_step_selected(struct tui *t);
/* Space and Enter: a walkthrough's step, else a pick or the selected actor. */
void run_step_space(struct tui *t);
void run_step_enter(struct tui *t);
/* Free mode has no steps: switch to stepping first.  Returns 1 if it did. */
int run_step_pause(struct tui *t);
/* The run is still going; else say so and return 0. */
int run_step_check_live(struct tui *t);
/* 't'/'T': run the selected actor (or all) to a line, asked on the prompt. */
void run_step_ask_line(struct tui *t, int all);
void run_step_line_done(struct tui *t, const char *text);

/* run_state.c: the run view's states and the moves between them. */
int run_state_open(struct tui *t, const struct ls_scenario *s, long *params,
                   enum ls_actor_kind kind, enum ls_policy policy);
void run_state_close(struct tui *t);
/* The run again from its settings ('r', 'l', a loaded schedule); why is said. */
void run_state_reset(struct tui *t, const char *why);
/* 'l': the other variant (or the other variant's walkthrough). */
void run_state_toggle(struct tui *t);
/* Advance the run; returns 1 when the screen should be redrawn. */
int run_state_tick(struct tui *t);

/* run_layout.c: where each pane of panes_table[] goes. */
#define RUN_LAYOUT_MAX 16           /* panes a layout can place */
struct run_layout {
	int big;                        /* every pane at once */
	int tabbed;                     /* the main rectangle shows rv->main_pane, with tabs */
	struct rect main;
	int strip, strip_y;             /* a pane's one-row form at strip_y, or -1 */
	struct rect at[RUN_LAYOUT_MAX];
	int shown[RUN_LAYOUT_MAX];
};
/* The terminal is big enough for every pane at once. */
int run_layout_big(void);
void run_layout_compute(const struct run_view *rv, struct run_layout *L);
/* Before a frame: each shown pane fits its scroll to its rectangle. */
void run_layout_update(struct tui *t);
/* The tab panes: the next one after from in direction dir (+1, -1). */
int run_layout_tab_next(int from, int dir);

/* run_keys.c: the run view's key table and what the keys do. */
extern const struct tui_key run_keys_table[];
int run_keys_foot_mode(const struct tui *t);

/* run_mouse.c: a click selects the actor under it. */
void run_mouse_click(struct tui *t, int key);

/* run_files.c: schedules saved and replayed. */
void run_files_ask_save(struct tui *t, int key);
void run_files_ask_load(struct tui *t, int key);
void run_files_prompt_done(struct tui *t, int purpose, const char *text);

/* run_draw.c: the frame: header, panes, tabs, verdict, footer. */
void run_draw(struct tui *t);

/* ---- panes: panes/NAME.c each fill one struct tui_pane ---- */

/* Which layouts show a pane. */
enum {
	PANE_BIG = 1,               /* the all-panes layout, in its band */
	PANE_TAB = 2,               /* behind a tab in the small layout (needs key) */
	PANE_SIDE = 4,              /* the small layout's side column, from 120 columns */
	PANE_TOP = 8,               /* above the panes: the story */
	PANE_BOTTOM = 16,           /* under the panes: the verdict */
};

/* Big terminals: the bands of the all-panes layout. */
enum pane_band { BAND_NONE, BAND_LEFT, BAND_RIGHT_TOP, BAND_RIGHT, BAND_BOTTOM };

struct tui_pane {
	const char *name;           /* the tab's word: "Source" */
	int key;                    /* its number key ('1'); 0: no tab */
	void (*draw)(WINDOW *w, struct rect b, const struct run_view *rv);
	/* Rows it wants, border included; big: the all-panes layout.  NULL: what is left. */
	int (*rows)(const struct run_view *rv, int width, int big);
	/* Before a frame: fit its scroll to b.  NULL: nothing scrolls. */
	void (*update)(struct run_view *rv, struct rect b);
	/* A click at y, x inside b; 1 if it selected something.  NULL: ignores clicks. */
	int (*click)(struct run_view *rv, struct rect b, int y, int x);
	/* Its one-row form when it is not in view (NULL: none). */
	void (*strip)(WINDOW *w, int y, int x, int width, const struct run_view *rv);
};

/* A pane's row in panes_table[]: the pane, and its place in the layouts. */
struct panes_row {
	const struct tui_pane *pane;
	unsigned layouts;           /* PANE_* */
	enum pane_band band;        /* big terminals: where */
	int share;                  /* its percent of the band's width; the band's last takes the rest */
};

/* panes/panes.c: the table, in tab order; panes/names.c: what the panes share. */
extern const struct panes_row panes_table[];
/* The panes_table[] index of the pane with number key key, or -1. */
int panes_by_key(int key);
const char *panes_actor_name(const struct ls_model *m, int a);
/* "T1 T2 T3 +7" in at most width columns; returns the columns used. */
int panes_actor_list(WINDOW *w, int y, int x, int width, const struct ls_model *m,
                     const int *ids, int n, enum tui_role r);

/* The line of the source shown for a C line: its Python line when the
 * Python is shown and has one, else the C line itself. */
int source_shown_line(const struct run_view *rv, int c_line);
/* The actors in the Actors pane's order (the process tree), into order[]
 * (nactors ints); returns how many. */
int actors_order(const struct run_view *rv, int *order);
extern const struct tui_pane source_pane, actors_pane, objects_pane, timeline_pane,
	output_pane, history_pane, trace_pane, story_pane, verdict_pane;

/* panes/lesson.c: a lesson's text, for the menu, the lesson and the story. */
void lesson_draw(WINDOW *w, struct rect b, const struct ls_scenario *s, const long *params,
                 int skip);
/* Wrapped lines the lesson takes at this width. */
int lesson_lines(const struct ls_scenario *s, const long *params, int width);

/* timeline.c */
void panes_timeline(WINDOW *w, struct rect b, struct run_view *rv);
/* Rows wanted by the timeline: an axis row, a lane per actor, borders. */
int panes_timeline_rows(const struct run_view *rv);

/* panes/history.c */
/*
 * One line for one trace event: "T3 load balance -> 0 (line 44)".  Returns 0
 * for events the interleaving leaves out ("about to" and partial text).
 */
int panes_event_text(const struct ls_model *m, const struct ls_event *e, int line,
                     char *buf, size_t len);

/* help.c */
void help_draw(struct tui *t);
void glossary_draw(struct tui *t);
int glossary_key(struct tui *t, int key);

#endif
