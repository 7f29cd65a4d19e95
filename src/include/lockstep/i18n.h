/*
 * lockstep/i18n.h - words for people, in the reader's language.
 *
 * Every sentence a person reads is written in English in the source and
 * looked up in the message catalog at run time (GNU gettext; the Chinese is
 * po/zh_CN.po).  _() translates now; N_() only marks a string in a static
 * table (a lesson's text, a parameter's help) for the catalog, and the code
 * that shows it calls _() on it.  C_(context, s) is _() for a word that
 * means another thing elsewhere ("free" for a lock, "free" for a run).
 * `--json` keys and the names of things in
 * the program (scenarios, parameters, variables) are never translated.
 */
#ifndef LOCKSTEP_I18N_H
#define LOCKSTEP_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s)             gettext(s)
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))
#define C_(ctx, s)       ls_pgettext(ctx "\004" s, (s))
/* The catalog's word for s in its context (msgctxt), else s itself. */
static inline const char *
ls_pgettext(const char *id, const char *s)
{
	const char *t = gettext(id);

	return t == id ? s : t;
}
#else
#define _(s)             (s)
#define P_(one, many, n) ((n) == 1 ? (one) : (many))
#define C_(ctx, s)       (s)
#endif
#define N_(s)            (s)

#endif
