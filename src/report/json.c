/*
 * json.c - see json.h.  Writes compact JSON; the caller ends with a newline.
 */
#include "config.h"

#include <math.h>

#include "report/json.h"

void
ls_json_init(struct ls_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->count[0] = 0;
}

void
ls_json_escape(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);   /* UTF-8 passes through */
		}
	}
	fputc('"', f);
}

static void
json_member(struct ls_json *j, const char *key)
{
	if (j->count[j->depth]++)
		fputc(',', j->f);
	if (key) {
		ls_json_escape(j->f, key);
		fputc(':', j->f);
	}
}

static void
json_open(struct ls_json *j, const char *key, char c)
{
	if (j->depth > 0 || j->count[0])
		json_member(j, key);
	fputc(c, j->f);
	if (j->depth < LS_JSON_DEPTH - 1)
		j->depth++;
	j->count[j->depth] = 0;
}

void ls_json_object(struct ls_json *j, const char *key) { json_open(j, key, '{'); }
void ls_json_array(struct ls_json *j, const char *key) { json_open(j, key, '['); }

void
ls_json_end(struct ls_json *j, char close)
{
	fputc(close, j->f);
	if (j->depth > 0)
		j->depth--;
}

void
ls_json_str(struct ls_json *j, const char *key, const char *v)
{
	json_member(j, key);
	ls_json_escape(j->f, v ? v : "");
}

void
ls_json_int(struct ls_json *j, const char *key, long long v)
{
	json_member(j, key);
	fprintf(j->f, "%lld", v);
}

void
ls_json_uint(struct ls_json *j, const char *key, unsigned long long v)
{
	json_member(j, key);
	fprintf(j->f, "%llu", v);
}

void
ls_json_num(struct ls_json *j, const char *key, double v)
{
	json_member(j, key);
	if (isfinite(v))
		fprintf(j->f, "%.10g", v);
	else
		fputs("null", j->f);
}

void
ls_json_bool(struct ls_json *j, const char *key, int v)
{
	json_member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void
ls_json_null(struct ls_json *j, const char *key)
{
	json_member(j, key);
	fputs("null", j->f);
}
