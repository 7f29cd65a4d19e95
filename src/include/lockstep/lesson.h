/*
 * lockstep/lesson.h - everything a lesson (scenarios/NAME.c) includes.
 *
 * The descriptor (scenario.h), the shared objects it declares (objects.h),
 * the probes its bodies call (probe.h), and the model its verdict and fold
 * read (model.h, event.h).  Rings, gates and the world's layout stay inside
 * the engine.
 */
#ifndef LOCKSTEP_LESSON_H
#define LOCKSTEP_LESSON_H

#include "lockstep/event.h"
#include "lockstep/i18n.h"
#include "lockstep/model.h"
#include "lockstep/objects.h"
#include "lockstep/probe.h"
#include "lockstep/random.h"
#include "lockstep/scenario.h"

#endif
