/*
 * glossary.h - the terms the lessons teach, in Chinese and in English at
 * once (a student reads both: the tutorials' words and the documentation's),
 * each with a one-line meaning and the lesson that shows it.  Read by
 * `lockstep glossary` and the TUI's glossary overlay ('v').
 */
#ifndef LS_GLOSSARY_H
#define LS_GLOSSARY_H

struct ls_gloss {
	const char *zh;         /* "临界资源" */
	const char *en;         /* "critical resource" */
	const char *zh_means;   /* one line, in Chinese */
	const char *en_means;   /* the same line, in English */
	const char *lesson;     /* the scenario that shows it: "deposit" */
};

extern const struct ls_gloss ls_glossary[];
extern const int ls_glossary_count;

#endif
