/*
 * frame_time.c - what one frame of the run view costs: the layout, every
 * pane, and ncurses working out the update, for a live 100-actor free
 * deposit run, at 80x24 and 200x60.  Not a test: nothing here is asserted;
 * `make bench` prints it.  The drawing is done by the TUI itself
 * (tui_bench_frames), into a terminal that writes to /dev/null: this file
 * never calls ncurses.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tui/tui.h"

int
main(int argc, char **argv)
{
	static const struct { int cols, rows; } sizes[] = { { 80, 24 }, { 200, 60 } };
	int n = argc > 1 ? atoi(argv[1]) : 300;
	char err[256];

	if (n <= 0) {
		fprintf(stderr, "frame_time: usage: frame_time [FRAMES]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		double us = tui_bench_frames(n, sizes[i].cols, sizes[i].rows, err, sizeof err);

		if (us < 0) {
			fprintf(stderr, "frame_time: %s\n", err);
			return 1;
		}
		printf("frame_time %dx%d: %.1f us/frame (%d frames, 100 actors, free deposit run)\n",
		       sizes[i].cols, sizes[i].rows, us, n);
	}
	return 0;
}
