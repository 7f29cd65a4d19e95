/*
 * theme.c - colours named by role, one table per scheme (colour and
 * monochrome), and the glyphs the locale can display.  Screens ask for a
 * role, never for a colour.  Must never decide layout or draw.
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "lockstep/model.h"
#include "tui/tui_int.h"

struct theme_entry {
	short fg, bg;     /* colour scheme; -1 is the terminal's default */
	attr_t attr;      /* colour scheme attributes */
	attr_t mono;      /* monochrome scheme: attributes only */
};

static const struct theme_entry theme_table[C__COUNT] = {
	[C_NORMAL]          = { -1,            -1,         A_NORMAL,  A_NORMAL },
	[C_TITLE]           = { COLOR_BLACK,   COLOR_CYAN, A_NORMAL,  A_REVERSE },
	[C_BORDER]          = { COLOR_BLUE,    -1,         A_NORMAL,  A_NORMAL },
	[C_PANE_TITLE]      = { COLOR_CYAN,    -1,         A_BOLD,    A_BOLD },
	[C_DIM]             = { -1,            -1,         A_DIM,     A_DIM },
	[C_KEY]             = { COLOR_YELLOW,  -1,         A_BOLD,    A_BOLD },
	[C_STATUS]          = { COLOR_BLACK,   COLOR_WHITE, A_NORMAL, A_REVERSE },
	[C_SELECTED]        = { COLOR_BLACK,   COLOR_CYAN, A_NORMAL,  A_REVERSE },
	[C_MESSAGE]         = { COLOR_CYAN,    -1,         A_BOLD,    A_BOLD },
	[C_ERROR]           = { COLOR_RED,     -1,         A_BOLD,    A_BOLD | A_UNDERLINE },
	[C_ACTOR_NEW]       = { -1,            -1,         A_DIM,     A_DIM },
	[C_ACTOR_RUNNING]   = { COLOR_GREEN,   -1,         A_BOLD,    A_BOLD },
	[C_ACTOR_GATE]      = { COLOR_CYAN,    -1,         A_NORMAL,  A_NORMAL },
	[C_ACTOR_BLOCKED]   = { COLOR_RED,     -1,         A_BOLD,    A_UNDERLINE },
	[C_ACTOR_SLEEPING]  = { COLOR_YELLOW,  -1,         A_NORMAL,  A_NORMAL },
	[C_ACTOR_DONE]      = { -1,            -1,         A_DIM,     A_DIM },
	[C_ACTOR_CRASHED]   = { COLOR_MAGENTA, -1,         A_BOLD,    A_BOLD | A_UNDERLINE },
	[C_VALUE]           = { COLOR_YELLOW,  -1,         A_BOLD,    A_BOLD },
	[C_OWNER]           = { COLOR_GREEN,   -1,         A_BOLD,    A_BOLD },
	[C_WAITER]          = { COLOR_RED,     -1,         A_NORMAL,  A_UNDERLINE },
	[C_VERDICT_OK]      = { COLOR_GREEN,   -1,         A_BOLD,    A_BOLD },
	[C_VERDICT_BAD]     = { COLOR_RED,     -1,         A_BOLD,    A_BOLD | A_UNDERLINE },
	[C_VERDICT_PENDING] = { COLOR_YELLOW,  -1,         A_NORMAL,  A_NORMAL },
	[C_RUN_LIVE]        = { COLOR_BLACK,   COLOR_GREEN, A_NORMAL, A_BOLD },
	[C_RUN_STOPPED]     = { COLOR_BLACK,   COLOR_YELLOW, A_NORMAL, A_BOLD },
	[C_SRC_EXEC]        = { COLOR_BLACK,   COLOR_GREEN, A_NORMAL, A_REVERSE },
	[C_TAB]             = { COLOR_CYAN,    -1,         A_NORMAL,  A_NORMAL },
	[C_TAB_ACTIVE]      = { COLOR_BLACK,   COLOR_CYAN, A_BOLD,    A_REVERSE | A_BOLD },
	[C_NARRATION]       = { -1,            -1,         A_BOLD,    A_BOLD },
};

static const struct theme_glyphs theme_utf8_glyphs = {
	.h = L'\u2500', .v = L'\u2502', .tl = L'\u250c', .tr = L'\u2510',
	.bl = L'\u2514', .br = L'\u2518',
	.pointer = L'\u25b6', .cursor = L'\u203a', .exec = L'\u25cf', .more_up = L'\u25b2', .more_down = L'\u25bc',
	.sep = " \u00b7 ",
	/* Heavy line, full block, small square, middle dot, light shade, guillemet. */
	.tl_run = L'\u2501', .tl_run_hold = L'\u2588', .tl_idle_hold = L'\u25aa',
	.tl_ready = L'\u00b7', .tl_blocked = L'\u2591', .tl_sleep = L'z',
	.tl_handoff = L'\u00bb', .tl_gap = L'\u250a', .tl_crash = L'!',
	.tree = L'\u2514',
};

static const struct theme_glyphs theme_ascii_glyphs = {
	.h = L'-', .v = L'|', .tl = L'+', .tr = L'+', .bl = L'+', .br = L'+',
	.pointer = L'*', .cursor = L'>', .exec = L'@', .more_up = L'^', .more_down = L'v',
	.sep = " | ",
	.tl_run = L'=', .tl_run_hold = L'#', .tl_idle_hold = L'+',
	.tl_ready = L'.', .tl_blocked = L'x', .tl_sleep = L'z',
	.tl_handoff = L'>', .tl_gap = L':', .tl_crash = L'!',
	.tree = L'`',
};

static int theme_mono = 1;
static int theme_utf8;

void
theme_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	const char *cs = nl_langinfo(CODESET);

	/* https://no-color.org: present and non-empty disables colour. */
	theme_mono = !has_colors() || (no_color && *no_color);
	theme_utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	if (theme_mono)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < C__COUNT; r++) {
		short fg = theme_table[r].fg, bg = theme_table[r].bg;

		/* Eight-colour terminals without default colours get white on black. */
		if (COLORS < 8)
			fg = bg = -1;
		init_pair((short)(r + 1), fg, bg);
	}
}

int
theme_is_mono(void)
{
	return theme_mono;
}

int
theme_is_utf8(void)
{
	return theme_utf8;
}

const struct theme_glyphs *
theme_glyphs(void)
{
	return theme_utf8 ? &theme_utf8_glyphs : &theme_ascii_glyphs;
}

static void
theme_lookup(enum tui_role r, attr_t extra, attr_t *attr, short *pair)
{
	if ((unsigned)r >= C__COUNT)
		r = C_NORMAL;
	if (theme_mono) {
		*attr = theme_table[r].mono | extra;
		*pair = 0;
	} else {
		*attr = theme_table[r].attr | extra;
		*pair = (short)(r + 1);
	}
}

void
theme_use(WINDOW *w, enum tui_role r, attr_t extra)
{
	attr_t a;
	short p;

	theme_lookup(r, extra, &a, &p);
	wattr_set(w, a, p, NULL);
}

void
theme_cchar(cchar_t *c, wchar_t ch, enum tui_role r, attr_t extra)
{
	wchar_t s[2] = { ch, L'\0' };
	attr_t a;
	short p;

	theme_lookup(r, extra, &a, &p);
	setcchar(c, s, a, p, NULL);
}

enum tui_role
theme_actor_role(int state, int can_proceed)
{
	switch (state) {
	case LS_AS_NEW:      return C_ACTOR_NEW;
	case LS_AS_RUNNING:  return C_ACTOR_RUNNING;
	/* Parked on an operation that cannot proceed is blocked, to the eye. */
	case LS_AS_GATE:     return can_proceed ? C_ACTOR_GATE : C_ACTOR_BLOCKED;
	case LS_AS_BLOCKED:  return C_ACTOR_BLOCKED;
	case LS_AS_SLEEPING: return C_ACTOR_SLEEPING;
	case LS_AS_DONE:     return C_ACTOR_DONE;
	case LS_AS_CRASHED:  return C_ACTOR_CRASHED;
	}
	return C_NORMAL;
}
