/*
 * lockstep/i18n.h - words for people, in the reader's language.
 *
 * Every sentence a person reads is written in English in the source and
 * looked up in the message catalog at run time (GNU gettext; the Chinese is
 * po/zh_CN.po).  _() translates now; N_() only marks a string in a static
 * table (a lesson's text, a parameter's help) for the catalog, and the code
 * that shows it calls _() on it.  `--json` keys and the names of things in
 * the program (scenarios, parameters, variables) are never translated.
 */
#ifndef LOCKSTEP_I18N_H
#define LOCKSTEP_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s)             gettext(s)
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))
#else
#define _(s)             (s)
#define P_(one, many, n) ((n) == 1 ? (one) : (many))
#endif
#define N_(s)            (s)

#endif
