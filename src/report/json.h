/*
 * json.h - a small streaming JSON writer: enough for the reports, with
 * correct string escaping.  Keys are given for object members, NULL inside
 * arrays.
 */
#ifndef LS_JSON_H
#define LS_JSON_H

#include <stdio.h>

#define LS_JSON_DEPTH 16

struct ls_json {
	FILE *f;
	int depth;
	int count[LS_JSON_DEPTH];
};

void ls_json_init(struct ls_json *j, FILE *f);
void ls_json_object(struct ls_json *j, const char *key);
void ls_json_array(struct ls_json *j, const char *key);
void ls_json_end(struct ls_json *j, char close);
void ls_json_str(struct ls_json *j, const char *key, const char *v);
void ls_json_int(struct ls_json *j, const char *key, long long v);
/* Seeds are unsigned 64-bit: 2^64-1 must not print as -1. */
void ls_json_uint(struct ls_json *j, const char *key, unsigned long long v);
void ls_json_num(struct ls_json *j, const char *key, double v);
void ls_json_bool(struct ls_json *j, const char *key, int v);
void ls_json_null(struct ls_json *j, const char *key);
void ls_json_escape(FILE *f, const char *s);

#endif
