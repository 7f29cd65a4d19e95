/*
 * quote.h - what the user typed, or what a file held, made safe to echo in
 * a message: control bytes and bytes that are not UTF-8 written as escapes
 * (\033, \n, \377), as ls does, so a schedule file cannot retitle or clear
 * the terminal; and cut to a length a message line can hold.
 */
#ifndef LS_QUOTE_H
#define LS_QUOTE_H

#include <stddef.h>

/* A buffer for one quoted word or value in a message line. */
#define LS_QUOTE_BUF 72
/* A buffer for a quoted file name: long enough for real paths. */
#define LS_QUOTE_PATH 320

/* s quoted into buf (cut with "..." when it does not fit); returns buf. */
const char *ls_quote(const char *s, char *buf, size_t len);
/* The first n bytes of s, the same way. */
const char *ls_quote_n(const char *s, size_t n, char *buf, size_t len);

#endif
