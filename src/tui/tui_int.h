/*
 * tui_int.h - what the files of src/tui/ share with each other, and nothing
 * outside src/tui/ may include.  Screens (menu, scenario, run) each own a
 * draw and a key function; panes are plain functions drawing one rectangle
 * of the run from its model, so a new pane (source with per-actor cursors, a
 * timeline) is one more function and one more rectangle in the layout.
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
#include "lockstep/scenario.h"
#include "engine/schedule.h"
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
	wchar_t pointer;                /* the policy's next pick */
	wchar_t more_up, more_down;     /* a pane scrolled */
	const char *sep;                /* between header fields */
	/* The timeline's cells. */
	wchar_t tl_run, tl_run_hold, tl_idle_hold, tl_ready, tl_blocked, tl_sleep;
	wchar_t tl_handoff, tl_gap, tl_crash;
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

/* ---- source.c: the scenario's own text, split in lines ---- */

struct source_text {
	char *buf;                  /* a copy, its newlines turned into NULs */
	char **line;                /* lines[1..n]: numbered as __LINE__ numbers them */
	int n;
	int body_lo, body_hi;       /* the role functions' lines; 0 when not found */
};

int source_load(struct source_text *st, const char *name);
void source_free(struct source_text *st);

/* ---- timeline.h: a lane per actor, a column per step or time slice ---- */

/* ---- the application ---- */

enum tui_screen { TUI_MENU, TUI_SCENARIO, TUI_RUN, TUI_EXPLORE };

/* The prompt purposes. */
enum { PROMPT_PARAM = 1, PROMPT_SAVE, PROMPT_LOAD };

/* The run view's panes, in tab order (the number keys pick them). */
enum tui_pane {
	PANE_SOURCE, PANE_ACTORS, PANE_OBJECTS, PANE_TIMELINE, PANE_OUTPUT, PANE_LOG,
	PANE__COUNT
};

struct scenario_view {
	int idx;                    /* into ls_scenarios[] */
	int sel;                    /* the selected row: params, kind, actions */
	int lesson_top;             /* lesson scroll */
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
	char replay_path[256];
	struct ls_run *run;
	int sel, top;               /* selected actor and the actor pane's scroll */
	int last_moved;             /* the actor the last step moved, or -1 */
	int history_back;           /* interleaving scroll: events back from the newest */
	uint64_t seen_events;       /* what the last frame showed, to skip redraws */
	int seen_status;
	int *scratch;               /* nactors ints for waiter and holder lists */
	int main_pane;              /* the pane in the main area when they do not all fit */
	int walk;                   /* the walkthrough shown, or -1 */
	int walk_at;                /* its steps taken */
	struct source_text src;
	int src_top;                /* first source line shown, 0 = not placed yet */
	struct timeline tl;
	int tl_top;                 /* first lane shown */
	int tl_back;                /* columns scrolled back from the newest */
	/* Where the last frame put things, for mouse clicks. */
	struct rect hit_actors, hit_lanes, hit_source;
	int hit_actors_top, hit_lanes_top, hit_source_top, hit_source_gutter;
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
};

struct tui {
	enum tui_screen screen;
	enum tui_screen run_back;   /* where q leaves the run view for */
	int quit;
	int help;                   /* the help overlay is up */
	int dirty;
	struct prompt prompt;
	char msg[256];
	enum tui_role msg_role;
	double msg_until;
	int nscen;
	long **params;              /* per scenario: the values the user set */
	enum ls_actor_kind *kinds;  /* per scenario */
	int menu_sel, menu_top;
	struct scenario_view sv;
	struct run_view rv;
	struct explore_view xv;
};

/* tui.c */
double tui_now_ms(void);
void tui_message(struct tui *t, enum tui_role r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The top bar: left text, right text. */
void tui_draw_header(struct tui *t, const char *left, const char *right);
/* The message row and the key bar: keys is NULL-terminated key, what pairs. */
void tui_draw_footer(struct tui *t, const char *const *keys);

/* menu.c */
void menu_draw(struct tui *t);
void menu_key(struct tui *t, int key);

/* scenario_view.c */
void scenario_view_open(struct tui *t, int idx);
void scenario_view_draw(struct tui *t);
void scenario_view_key(struct tui *t, int key);
void scenario_view_prompt_done(struct tui *t, const char *text);
/* Parse a value for parameter p ("7", or a choice's name); 0 or -1 with err. */
int scenario_view_parse_value(const struct ls_param_desc *p, const char *text,
                              long *out, char *err, size_t len);

/* explore_view.c */
/* Explore the lesson's scenario with its current parameters (blocks, drawing
 * progress, until done or q). */
void explore_view_start(struct tui *t);
void explore_view_draw(struct tui *t);
void explore_view_key(struct tui *t, int key);
void explore_view_close(struct tui *t);

/* run_view.c */
int run_view_open(struct tui *t, const struct ls_scenario *s, long *params,
                  enum ls_actor_kind kind, enum ls_policy policy);
/* Open s's walkthrough which (its own parameters; app_params stay as they are). */
int run_view_walk(struct tui *t, const struct ls_scenario *s, long *app_params,
                  enum ls_actor_kind kind, int which);
void run_view_close(struct tui *t);
/* Advance the run; returns 1 when the screen should be redrawn. */
int run_view_tick(struct tui *t);
void run_view_draw(struct tui *t);
void run_view_key(struct tui *t, int key);
void run_view_prompt_done(struct tui *t, int purpose, const char *text);
/* Whether a frame is worth drawing even without news (the clock moves). */
int run_view_live(const struct tui *t);
/* Feed the timeline what the model gained; the tick and the bench call it. */
void run_view_feed(struct run_view *rv);
/* Who moves next: the walkthrough's next actor, else the policy's pick; -1. */
int run_view_next(struct run_view *rv);

/*
 * Panes: one rectangle of a run each; the model is the only source.
 * source.c and timeline.c hold the two that keep state of their own.
 */
void panes_source(WINDOW *w, struct rect b, struct run_view *rv);
void panes_timeline(WINDOW *w, struct rect b, struct run_view *rv);
/* The lesson, or the walkthrough's narration with the lesson under it. */
void panes_story(WINDOW *w, struct rect b, struct run_view *rv);
int panes_story_rows(struct run_view *rv, int width);
/* Rows wanted by the timeline: an axis row, a lane per actor, borders. */
int panes_timeline_rows(const struct run_view *rv);
/* One line of shared state for narrow screens: "balance = 1 · lock held by T1". */
void panes_state_strip(WINDOW *w, int y, int x, int width, struct run_view *rv);
void panes_actors(WINDOW *w, struct rect b, struct run_view *rv);
void panes_objects(WINDOW *w, struct rect b, struct run_view *rv);
void panes_history(WINDOW *w, struct rect b, struct run_view *rv);
void panes_output(WINDOW *w, struct rect b, struct run_view *rv);
void panes_verdict(WINDOW *w, struct rect b, struct run_view *rv);
void panes_lesson(WINDOW *w, struct rect b, const struct ls_scenario *s, int skip);
/* Wrapped lines the lesson takes at this width. */
int panes_lesson_lines(const struct ls_scenario *s, int width);
/* Rows the objects pane wants for this run (border included). */
int panes_objects_rows(const struct run_view *rv, int width);
/* Rows the verdict wants at this width (border included). */
int panes_verdict_rows(struct run_view *rv, int width, int figures);
/* "running 3, sleeping 90, done 7" */
void panes_actor_summary(const struct ls_model *m, char *buf, size_t len);
/*
 * One line for one trace event: "T3 load balance -> 0 (line 44)".  Returns 0
 * for events the interleaving leaves out ("about to" and partial text).
 */
int panes_event_text(const struct ls_model *m, const struct ls_event *e, int with_line,
                     char *buf, size_t len);

/* help.c */
void help_draw(struct tui *t);

#endif
