/*
 * _lockstep.c - the probe inside CPython: a C extension module that joins a
 * run's shared world and turns a Python program's lines, instructions and
 * blocking calls into the operations of the operation table, written to the
 * same per-actor rings and held at the same gates as the C lessons' probes.
 *
 * lockstep starts `python3 -c "import _lockstep; _lockstep.main()" PROGRAM`
 * as its actor 0 with LOCKSTEP_WORLD naming the world's memory file and
 * where to map it.  main() then:
 *   - replaces the lock threading builds everything on (_thread's
 *     allocate_lock, so Condition, Event, Semaphore, Barrier and queue.Queue
 *     use it), Thread.start and join, time.sleep, sys.stdout/stderr, and
 *     threading.excepthook;
 *   - installs a C trace function in every thread (threading.settrace) that
 *     holds the actor before each new line of the program's own file
 *     (LOCKSTEP_PY_STEPS=line) or before each of its bytecode instructions
 *     (=bytecode), and records its reads and writes of module globals and
 *     of attributes (LOAD_GLOBAL num, STORE_ATTR _balance) as loads and
 *     stores of shared variables;
 *   - runs the program as __main__, with its own file name and lines.
 *
 * Threads are actors as they start: Thread.start() takes the next actor
 * slot of the world in the starting thread, so numbering follows the
 * schedule, not the OS.  A lock becomes an object of the model when the
 * program's own code makes it (named as the program names it at its first
 * use) or when an actor would wait for it; a lock nobody waits for inside
 * the standard library costs nothing.  A held actor never holds the GIL
 * while it waits at its gate, and an actor that would block on a held lock
 * waits at its gate instead, so the controller always knows who can move.
 *
 * Never: write to the program's file, print to the real stdout (the screen
 * belongs to lockstep), or block in a real primitive while the run is
 * controlled and the model could know better.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/futex.h"
#include "engine/probe_int.h"
#include "python/pysrc.h"

#define PY_VARS_MAX   256     /* variables one process tells apart */

__thread struct ls_self *ls_self_tls;

/* ---- the process's view of the run --------------------------------------- */

static struct ls_world *W;
static PyObject *prog_file;          /* the program's path, as its code objects name it */
/* Bytecode steps or line steps: the world's word, which the screen's key
 * may flip mid-run (relaxed: the next event reads it, nothing pairs). */
#define steps_bytecode (atomic_load_explicit(&W->py_bytecode, memory_order_relaxed) != 0)
static PyObject *orig_start, *orig_join, *orig_excepthook;
static int py_set(PyObject *mod, const char *attr, PyObject *v);
static const char *opnames[256];
static PyObject *nb_ops;             /* dis._nb_ops: BINARY_OP's symbols */

/* Object slots the runner left free for the program: variables and locks. */
/* Taken from the world's bitmaps (w->py_free_vars, py_free_locks), shared
 * by every process of the program: a forked child's objects never collide
 * with its parent's. */
static char var_prefix[8];          /* a forked child's variables: "P1:" */

/* The lowest object slot set in *free, cleared: it is the caller's; -1 when none. */
static int
py_slot_take(_Atomic uint64_t *free)
{
	/* Relaxed: the slot's object is named by an event before it is used,
	 * and that event, not this word, is what the model reads. */
	uint64_t v = atomic_load_explicit(free, memory_order_relaxed);
	while (v) {
		int i = __builtin_ctzll(v);
		if (atomic_compare_exchange_weak_explicit(free, &v, v & ~(UINT64_C(1) << i),
		                                          memory_order_relaxed, memory_order_relaxed))
			return i;
	}
	return -1;
}

static void
py_slot_give(_Atomic uint64_t *free, int i)
{
	/* Relaxed, as in py_slot_take(). */
	atomic_fetch_or_explicit(free, UINT64_C(1) << i, memory_order_relaxed);
}

/* Per thread: who this actor is, and the store whose value is not known yet
 * (an instruction's store is read back at the thread's next event). */
struct py_actor {
	struct ls_self self;
	PyObject *root;          /* the frame whose return ends the actor */
	int done;
	int store_obj;           /* -1: none pending */
	PyObject *store_owner;   /* the dict or object written, borrowed */
	PyObject *store_name;    /* borrowed from the code's names */
	long store_old;
	PyObject *store_globals; /* borrowed: to name a new variable */
	int store_line;
	PyObject *last_code;     /* the previous instruction, for a receiver */
	int last_op, last_arg;
};

static __thread struct py_actor *me;

_Noreturn void
ls_actor_leave(void)
{
	/* The run is over: the whole program leaves, as lockstep asked. */
	_exit(3);
}

static int
py_line(void)
{
	PyFrameObject *f = PyEval_GetFrame();

	for (; f; f = PyFrame_GetBack(f)) {
		PyCodeObject *co = PyFrame_GetCode(f);
		int mine = PyUnicode_Compare(co->co_filename, prog_file) == 0;
		Py_DECREF(co);
		if (mine)
			return PyFrame_GetLineNumber(f);
	}
	return 0;
}

/* Is the innermost frame the program's own code? */
static int
py_in_program(void)
{
	PyFrameObject *f = PyEval_GetFrame();
	if (!f)
		return 0;
	PyCodeObject *co = PyFrame_GetCode(f);
	int mine = PyUnicode_Compare(co->co_filename, prog_file) == 0;
	Py_DECREF(co);
	return mine;
}

static int
py_live(void)
{
	return me && !me->done;
}

/* Controlled: announce op and park, without the GIL.  Free: nothing. */
static void
py_gate(enum ls_op op, unsigned obj, int line, int64_t arg)
{
	struct ls_self *s = &me->self;

	if (!atomic_load_explicit(&W->ctl.busy, memory_order_relaxed))
		return;
	if (probe_aborted(s))
		ls_actor_leave();
	if (!probe_gated(s))
		return;
	probe_emit(s, op, LS_PH_BEGIN, obj, line, arg, 0);
	Py_BEGIN_ALLOW_THREADS
	probe_park(s);
	Py_END_ALLOW_THREADS
}

static void
py_gate_text(enum ls_op op, int line, const char *text)
{
	struct ls_self *s = &me->self;

	if (!atomic_load_explicit(&W->ctl.busy, memory_order_relaxed))
		return;
	if (probe_aborted(s))
		ls_actor_leave();
	if (!probe_gated(s))
		return;
	probe_emit_text(s, op, LS_PH_BEGIN, LS_NO_OBJ, line, text, strlen(text));
	Py_BEGIN_ALLOW_THREADS
	probe_park(s);
	Py_END_ALLOW_THREADS
}

static void
py_emit(enum ls_op op, enum ls_phase ph, unsigned obj, int line, int64_t a, int64_t b)
{
	probe_emit(&me->self, op, ph, obj, line, a, b);
}

/* Name object obj for the model (and the world's table): a new object
 * (fresh: its value, or its holder, with it), or one named again. */
static void
py_name_as(int obj, const char *name, long value, int fresh)
{
	struct ls_event e;
	size_t n = strlen(name);

	snprintf(W->objs[obj].name, sizeof W->objs[obj].name, "%s", name);
	memset(&e, 0, sizeof e);
	e.t_ns = ls_now_ns();
	e.actor = me->self.id;
	e.op = LS_OP_OBJ_NAME;
	e.phase = fresh ? LS_PH_DONE : LS_PH_PART;
	e.obj = (uint16_t)obj;
	e.line = py_line();
	memcpy(e.u.text, name, n < LS_TEXT_MAX - 8 ? n : LS_TEXT_MAX - 8);
	int64_t v = value;
	memcpy(e.u.text + LS_TEXT_MAX - 8, &v, sizeof v);
	ls_ring_push(me->self.slot->ring, &e);
}

static void
py_name(int obj, const char *name, long value)
{
	py_name_as(obj, name, value, 1);
}

/* ---- actors ----------------------------------------------------------------- */

static void
py_become(int id, PyObject *root)
{
	struct py_actor *a = calloc(1, sizeof *a);
	if (!a)
		Py_FatalError("lockstep: out of memory");
	a->self.world = W;
	a->self.slot = &W->actors[id];
	a->self.id = (uint16_t)id;
	a->self.is_process = 1;
	a->self.os_id = (int32_t)syscall(SYS_gettid);
	a->self.os_parent = getppid();
	a->root = root;
	a->store_obj = -1;
	a->last_op = -1;
	me = a;
	ls_self_tls = &a->self;
	/* A thread's own id, not its process's: the run looks for it with
	 * kill(tid, 0), which fails once the thread is gone. */
	atomic_store_explicit(&a->self.slot->pid, id ? a->self.os_id : (int32_t)getpid(),
	                      memory_order_relaxed);
	atomic_store_explicit(&a->self.slot->tid, a->self.os_id, memory_order_relaxed);
	probe_emit(&a->self, LS_OP_START, LS_PH_DONE, LS_NO_OBJ, 0, a->self.os_id, 0);
}

static void
py_end(enum ls_op op, enum ls_phase ph, int64_t a)
{
	if (!me || me->done)
		return;
	me->done = 1;
	probe_emit(&me->self, op, ph, LS_NO_OBJ, py_line(), a, 0);
	ls_gate_done(&me->self.slot->gate);
}

/* ---- output ------------------------------------------------------------------- */

typedef struct {
	PyObject_HEAD
	int err;
} py_writer;

static void
py_say(const char *text, size_t len)
{
	int line = py_line();
	struct ls_self *s = &me->self;

	while (len > LS_TEXT_MAX) {
		probe_emit_text(s, LS_OP_SAY, LS_PH_PART, LS_NO_OBJ, line, text, LS_TEXT_MAX);
		text += LS_TEXT_MAX;
		len -= LS_TEXT_MAX;
	}
	probe_emit_text(s, LS_OP_SAY, LS_PH_DONE, LS_NO_OBJ, line, text, len);
}

/* Per-thread line under construction (print writes text, then "\n"). */
static __thread char say_buf[512];
static __thread size_t say_len;

/* The thread's last line, printed without its newline, before it ends. */
static void
py_say_flush(void)
{
	if (say_len) {
		py_say(say_buf, say_len);
		say_len = 0;
	}
}

static PyObject *
py_writer_write(PyObject *self, PyObject *arg)
{
	Py_ssize_t n;
	const char *t = PyUnicode_AsUTF8AndSize(arg, &n);

	if (!t)
		return NULL;
	if (!me)   /* a thread lockstep did not start: its words are lost */
		return PyLong_FromSsize_t(n);
	for (Py_ssize_t i = 0; i < n; i++) {
		if (t[i] == '\n' || say_len == sizeof say_buf) {
			py_say(say_buf, say_len);
			say_len = 0;
			if (t[i] == '\n')
				continue;
		}
		say_buf[say_len++] = t[i];
	}
	return PyLong_FromSsize_t(n);
}

static PyObject *
py_writer_flush(PyObject *self, PyObject *unused)
{
	Py_RETURN_NONE;
}

static PyObject *
py_writer_false(PyObject *self, PyObject *unused)
{
	Py_RETURN_FALSE;
}

static PyMethodDef py_writer_methods[] = {
	{ "write", py_writer_write, METH_O, NULL },
	{ "flush", py_writer_flush, METH_NOARGS, NULL },
	{ "isatty", py_writer_false, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject py_writer_type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "_lockstep.Writer",
	.tp_basicsize = sizeof(py_writer),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_methods = py_writer_methods,
	.tp_new = PyType_GenericNew,
};

/* ---- locks --------------------------------------------------------------------- */

/*
 * threading's lock: a futex word (0 free, 1 held), so any thread may
 * release it as Python allows.  obj is its model object once it has one.
 * owner: the actor that last took it (read when it gets an object late).
 */
typedef struct {
	PyObject_HEAD
	_Atomic uint32_t word;
	_Atomic uint32_t *wordp;   /* &word, or a word in the world (a process lock) */
	int obj;
	int owner;
	int named;
	int shared;                /* multiprocessing.Lock: its word and slot outlive forks */
	pid_t slot_pid;            /* the process that took its slot: only it gives it back */
} py_lock;

static void py_owner_name(PyObject *owner, PyObject *globals, char *buf, size_t len);

/* The innermost frame of the program's own code, borrowed. */
static PyFrameObject *
py_user_frame(void)
{
	for (PyFrameObject *f = PyEval_GetFrame(); f; ) {
		PyCodeObject *co = PyFrame_GetCode(f);
		int mine = PyUnicode_Compare(co->co_filename, prog_file) == 0;
		Py_DECREF(co);
		if (mine)
			return f;
		PyFrameObject *back = PyFrame_GetBack(f);
		Py_XDECREF(back);   /* the frame chain keeps it */
		f = back;
	}
	return NULL;
}

/* The library function the program called that made or waits for a lock:
 * the outermost frame above the program's own code ("Thread.start"). */
static void
py_library_name(char *buf, size_t len)
{
	PyFrameObject *f = PyEval_GetFrame(), *lib = NULL;

	snprintf(buf, len, "(lock)");
	while (f) {
		PyCodeObject *co = PyFrame_GetCode(f);
		int mine = PyUnicode_Compare(co->co_filename, prog_file) == 0;
		if (mine) {
			Py_DECREF(co);
			break;
		}
		if (!lib || f != lib) {
			PyObject *q = PyObject_GetAttrString((PyObject *)co, "co_qualname");
			if (q && PyUnicode_Check(q))
				snprintf(buf, len, "(%s)", PyUnicode_AsUTF8(q));
			Py_XDECREF(q);
			PyErr_Clear();
		}
		Py_DECREF(co);
		lib = f;
		PyFrameObject *back = PyFrame_GetBack(f);
		Py_XDECREF(back);
		f = back;
	}
}

/* d's key whose value is target, or whose value's own attribute is:
 * "lock", "account._lock"; 1 when found. */
static int
py_find_in(PyObject *d, PyObject *target, PyObject *globals, char *buf, size_t len)
{
	PyObject *k, *v;
	Py_ssize_t pos = 0;

	while (d && PyDict_Check(d) && PyDict_Next(d, &pos, &k, &v))
		if (v == target && PyUnicode_Check(k)) {
			snprintf(buf, len, "%s", PyUnicode_AsUTF8(k));
			return 1;
		}
	for (pos = 0; d && PyDict_Check(d) && PyDict_Next(d, &pos, &k, &v); ) {
		if (PyModule_Check(v) || PyType_Check(v) || !PyUnicode_Check(k))
			continue;
		PyObject **dp = _PyObject_GetDictPtr(v);
		PyObject *ak, *av;
		Py_ssize_t ap = 0;
		while (dp && *dp && PyDict_Next(*dp, &ap, &ak, &av))
			if (av == target && PyUnicode_Check(ak)) {
				char owner[LS_NAME_MAX];
				py_owner_name(v, globals, owner, sizeof owner);
				if (!owner[0] || strcmp(PyUnicode_AsUTF8(k), "self") != 0)
					snprintf(owner, sizeof owner, "%s.", PyUnicode_AsUTF8(k));
				snprintf(buf, len, "%s%s", owner, PyUnicode_AsUTF8(ak));
				return 1;
			}
	}
	return 0;
}

/* The name the program knows target by, from its own innermost frame. */
static int
py_find_name(PyObject *target, char *buf, size_t len)
{
	PyFrameObject *f = py_user_frame();
	if (!f)
		return 0;
	PyObject *locals = PyFrame_GetLocals(f);
	PyObject *globals = PyFrame_GetGlobals(f);
	int found = py_find_in(locals, target, globals, buf, len) ||
	            (globals != locals && py_find_in(globals, target, globals, buf, len));
	Py_XDECREF(locals);
	Py_XDECREF(globals);
	PyErr_Clear();
	return found;
}

static int
py_lock_slot(py_lock *l, int visible)
{
	char name[LS_NAME_MAX];

	if (l->obj >= 0) {
		/* Made before the program bound it to a name: named at first use. */
		if (visible && !l->named && py_find_name((PyObject *)l, name, sizeof name)) {
			l->named = 1;
			py_name_as(l->obj, name, -1, 0);
		}
		return l->obj;
	}
	if ((l->obj = py_slot_take(&W->py_free_locks)) < 0)
		return -1;
	l->slot_pid = getpid();
	if (visible && py_find_name((PyObject *)l, name, sizeof name))
		l->named = 1;
	else if (visible)
		snprintf(name, sizeof name, "lock@%d", py_line());
	else
		py_library_name(name, sizeof name);
	py_name(l->obj, name, atomic_load(l->wordp) ? l->owner : -1);
	return l->obj;
}

static int
py_lock_try(py_lock *l)
{
	uint32_t zero = 0;
	/* Acquire: pairs with the release store in py_lock_release(). */
	return atomic_compare_exchange_strong_explicit(l->wordp, &zero, 1, memory_order_acquire,
	                                               memory_order_relaxed);
}

/* Wait for the word to change from 1, at most until deadline (NULL: ever). */
static void
py_lock_wait(py_lock *l, const struct timespec *deadline)
{
	struct timespec slice = ls_ms_to_timespec(50);
	if (deadline) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left = (deadline->tv_sec - now.tv_sec) * 1000000000LL +
		                 (deadline->tv_nsec - now.tv_nsec);
		if (left <= 0)
			return;
		if (left < 50000000LL)
			slice = (struct timespec){ 0, (long)left };
	}
	Py_BEGIN_ALLOW_THREADS
	ls_futex_wait(l->wordp, 1, &slice);
	Py_END_ALLOW_THREADS
}

static int
py_lock_take(py_lock *l, int blocking, double timeout)
{
	struct timespec deadline, *dl = NULL;

	if (blocking && timeout >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		long long ns = (long long)(timeout * 1e9) + deadline.tv_nsec;
		deadline.tv_sec += (time_t)(ns / 1000000000LL);
		deadline.tv_nsec = (long)(ns % 1000000000LL);
		dl = &deadline;
	}
	for (;;) {
		if (py_lock_try(l))
			return 1;
		if (!blocking)
			return 0;
		if (dl) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > dl->tv_sec ||
			    (now.tv_sec == dl->tv_sec && now.tv_nsec >= dl->tv_nsec))
				return 0;
		}
		if (W && probe_aborted(&me->self))
			ls_actor_leave();
		py_lock_wait(l, dl);
		if (PyErr_CheckSignals() < 0)
			return -1;
	}
}

static PyObject *
py_lock_acquire(PyObject *op, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "blocking", "timeout", NULL };
	py_lock *l = (py_lock *)op;
	int blocking = 1;
	double timeout = -1;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|pd:acquire", kwlist, &blocking, &timeout))
		return NULL;
	if (!py_live()) {
		int got = py_lock_take(l, blocking, timeout);
		return got < 0 ? NULL : PyBool_FromLong(got);
	}
	int user = py_in_program();
	int line = py_line();
	int held = atomic_load_explicit(l->wordp, memory_order_relaxed) != 0;
	/* The program's own acquire is a step; the library's only when it
	 * would wait (then the model must know who holds the lock). */
	if ((user || (held && blocking)) && py_lock_slot(l, user) >= 0) {
		py_gate(LS_OP_LOCK, (unsigned)l->obj, line, 0);
		if (!atomic_load_explicit(l->wordp, memory_order_relaxed) || !blocking) {
			/* free, or a try: no wait */
		} else {
			py_emit(LS_OP_LOCK, LS_PH_BLOCK, (unsigned)l->obj, line, 0, 0);
		}
	}
	int got = py_lock_take(l, blocking, timeout);
	if (got < 0)
		return NULL;
	if (got) {
		l->owner = me->self.id;
		if (l->obj >= 0)
			py_emit(LS_OP_LOCK, LS_PH_DONE, (unsigned)l->obj, line, 1, 0);
	} else if (l->obj >= 0) {
		py_emit(LS_OP_LOCK, LS_PH_FAIL, (unsigned)l->obj, line, 0, 0);
	}
	return PyBool_FromLong(got);
}

static PyObject *
py_lock_release(PyObject *op, PyObject *unused)
{
	py_lock *l = (py_lock *)op;

	if (!atomic_load_explicit(l->wordp, memory_order_relaxed)) {
		PyErr_SetString(PyExc_RuntimeError, "release unlocked lock");
		return NULL;
	}
	if (py_live() && l->obj >= 0) {
		int line = py_line();
		if (py_in_program())
			py_gate(LS_OP_UNLOCK, (unsigned)l->obj, line, 0);
		py_emit(LS_OP_UNLOCK, LS_PH_DONE, (unsigned)l->obj, line, 0, 0);
	}
	/* Release: pairs with the acquire exchange in py_lock_try(). */
	atomic_store_explicit(l->wordp, 0, memory_order_release);
	ls_futex_wake(l->wordp, 1);
	Py_RETURN_NONE;
}

static PyObject *
py_lock_enter(PyObject *op, PyObject *unused)
{
	PyObject *args = PyTuple_New(0);
	PyObject *r = args ? py_lock_acquire(op, args, NULL) : NULL;
	Py_XDECREF(args);
	return r;
}

static PyObject *
py_lock_exit(PyObject *op, PyObject *args)
{
	return py_lock_release(op, NULL);
}

static PyObject *
py_lock_locked(PyObject *op, PyObject *unused)
{
	return PyBool_FromLong(atomic_load(((py_lock *)op)->wordp) != 0);
}

static PyObject *
py_lock_reinit(PyObject *op, PyObject *unused)
{
	py_lock *l = (py_lock *)op;
	/* threading's locks after a fork; a process lock's word is shared. */
	if (!l->shared)
		atomic_store(l->wordp, 0);
	Py_RETURN_NONE;
}

static PyObject *
py_lock_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	py_lock *l = (py_lock *)type->tp_alloc(type, 0);
	if (!l)
		return NULL;
	atomic_init(&l->word, 0);
	l->wordp = &l->word;
	l->obj = -1;
	l->owner = -1;
	/* Made by the program's own code: an object of the model now. */
	if (py_live() && py_in_program())
		py_lock_slot(l, 1);
	return (PyObject *)l;
}

static void
py_lock_dealloc(PyObject *op)
{
	py_lock *l = (py_lock *)op;
	/* A library's lock (a condition's waiter) gives its slot back. */
	if (l->obj >= 0 && !l->named && !l->shared && W->objs[l->obj].name[0] == '(' &&
	    l->slot_pid == getpid())
		py_slot_give(&W->py_free_locks, l->obj);
	Py_TYPE(op)->tp_free(op);
}

static PyMethodDef py_lock_methods[] = {
	{ "acquire", (PyCFunction)(void (*)(void))py_lock_acquire, METH_VARARGS | METH_KEYWORDS, NULL },
	{ "acquire_lock", (PyCFunction)(void (*)(void))py_lock_acquire, METH_VARARGS | METH_KEYWORDS, NULL },
	{ "release", py_lock_release, METH_NOARGS, NULL },
	{ "release_lock", py_lock_release, METH_NOARGS, NULL },
	{ "__enter__", py_lock_enter, METH_NOARGS, NULL },
	{ "__exit__", py_lock_exit, METH_VARARGS, NULL },
	{ "locked", py_lock_locked, METH_NOARGS, NULL },
	{ "_at_fork_reinit", py_lock_reinit, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyTypeObject py_lock_type = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "_lockstep.Lock",
	.tp_basicsize = sizeof(py_lock),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_methods = py_lock_methods,
	.tp_new = py_lock_new,
	.tp_dealloc = py_lock_dealloc,
};

/* multiprocessing.Lock(): a lock whose word is in the world, so the
 * processes forked after it share it, as a SemLock would be shared; an
 * object of the model from the start.  Without a slot left, the real one. */
static PyObject *orig_mp_lock;

static PyObject *
py_process_lock(PyObject *self, PyObject *args, PyObject *kw)
{
	if (!py_live())
		return PyObject_Call(orig_mp_lock, args, kw);
	PyObject *empty = PyTuple_New(0);
	py_lock *l = empty ? (py_lock *)py_lock_new(&py_lock_type, empty, NULL) : NULL;
	Py_XDECREF(empty);
	if (!l)
		return NULL;
	if (py_lock_slot(l, py_in_program()) < 0) {
		Py_DECREF(l);
		return PyObject_Call(orig_mp_lock, args, kw);
	}
	ls_mutex *m = W->objs[l->obj].ptr;
	l->wordp = &m->holder;    /* not a pthread mutex here: the word alone */
	l->shared = 1;
	atomic_store_explicit(l->wordp, 0, memory_order_relaxed);
	return (PyObject *)l;
}

static PyMethodDef py_process_lock_def = { "Lock", (PyCFunction)(void (*)(void))py_process_lock,
                                           METH_VARARGS | METH_KEYWORDS, NULL };

static int
py_wrap_multiprocessing(void)
{
	PyObject *mp = PyImport_ImportModule("multiprocessing");
	int rc = -1;

	if (mp && (orig_mp_lock = PyObject_GetAttrString(mp, "Lock")))
		rc = py_set(mp, "Lock", PyCFunction_New(&py_process_lock_def, NULL));
	Py_XDECREF(mp);
	return rc;
}

/* ---- shared variables ---------------------------------------------------------- */

struct py_var {
	PyObject *owner;     /* the globals dict or the object: identity only */
	PyObject *name;      /* a strong reference */
	int obj;
};
static struct py_var vars[PY_VARS_MAX];
static int nvars;

static int
py_var_find(PyObject *owner, PyObject *name)
{
	for (int i = 0; i < nvars; i++)
		if (vars[i].owner == owner && PyUnicode_Compare(vars[i].name, name) == 0)
			return vars[i].obj;
	return -1;
}

/* The name a person knows the object by: a global of __main__ bound to it. */
static void
py_owner_name(PyObject *owner, PyObject *globals, char *buf, size_t len)
{
	PyObject *k, *v;
	Py_ssize_t pos = 0;

	if (owner == globals) {
		buf[0] = '\0';
		return;
	}
	while (globals && PyDict_Next(globals, &pos, &k, &v)) {
		if (v == owner && PyUnicode_Check(k)) {
			snprintf(buf, len, "%s.", PyUnicode_AsUTF8(k));
			return;
		}
	}
	snprintf(buf, len, "%s.", Py_TYPE(owner)->tp_name);
}

static int
py_var_obj(PyObject *owner, PyObject *name, PyObject *globals, long value)
{
	int obj = py_var_find(owner, name);
	if (obj >= 0 || nvars >= PY_VARS_MAX || (obj = py_slot_take(&W->py_free_vars)) < 0)
		return obj;
	vars[nvars].owner = owner;
	Py_INCREF(name);
	vars[nvars].name = name;
	vars[nvars].obj = obj;
	nvars++;
	char prefix[LS_NAME_MAX], full[3 * LS_NAME_MAX];   /* cut to LS_NAME_MAX by py_name */
	py_owner_name(owner, globals, prefix, sizeof prefix);
	/* A long name is cut to LS_NAME_MAX - 1 bytes, as every object's name is
	 * (the result is looked at so that -Wformat-truncation allows the cut). */
	if (snprintf(full, sizeof full, "%s%s%s", var_prefix, prefix, PyUnicode_AsUTF8(name)) < 0)
		full[0] = '\0';
	py_name(obj, full, value);
	return obj;
}

/* An int's value, or 0 with *ok = 0 for anything else. */
static long
py_int(PyObject *v, int *ok)
{
	int over = 0;
	*ok = 0;
	if (!v || !PyLong_Check(v))
		return 0;
	long x = PyLong_AsLongAndOverflow(v, &over);
	if (over || (x == -1 && PyErr_Occurred())) {
		PyErr_Clear();
		return 0;
	}
	*ok = 1;
	return x;
}

/* owner[name]: a dict's item or an object's own attribute, without running
 * any of the program's code (no properties, no __getattr__). */
static PyObject *
py_peek(PyObject *owner, PyObject *name)
{
	if (PyDict_Check(owner))
		return PyDict_GetItemWithError(owner, name);
	PyObject **dp = _PyObject_GetDictPtr(owner);
	if (!dp || !*dp)
		return NULL;
	return PyDict_GetItemWithError(*dp, name);
}

static int py_var_obj(PyObject *owner, PyObject *name, PyObject *globals, long value);

static void
py_store_flush(void)
{
	if (!me || !me->store_owner)
		return;
	int ok;
	PyObject *v = py_peek(me->store_owner, me->store_name);
	long now = py_int(v, &ok);
	PyErr_Clear();
	if (me->store_obj < 0 && ok)   /* a new variable: a number was stored */
		me->store_obj = py_var_obj(me->store_owner, me->store_name, me->store_globals, now);
	me->store_owner = NULL;
	if (me->store_obj < 0)
		return;
	ls_var *var = W->objs[me->store_obj].ptr;
	atomic_store_explicit(&var->v, now, memory_order_relaxed);
	py_emit(LS_OP_STORE, LS_PH_DONE, (unsigned)me->store_obj, me->store_line, now, me->store_old);
	me->store_obj = -1;
}

/* ---- instructions ----------------------------------------------------------------- */

static PyObject *code_cache_key;    /* the last code object decoded, and its bytes */
static PyObject *code_cache_bytes;

static const _Py_CODEUNIT *
py_code_units(PyCodeObject *co, Py_ssize_t *n)
{
	if ((PyObject *)co != code_cache_key) {
		PyObject *b = PyCode_GetCode(co);
		if (!b)
			return NULL;
		Py_XDECREF(code_cache_bytes);
		Py_XDECREF(code_cache_key);
		code_cache_bytes = b;
		code_cache_key = (PyObject *)co;
		Py_INCREF(co);
	}
	*n = PyBytes_GET_SIZE(code_cache_bytes) / (Py_ssize_t)sizeof(_Py_CODEUNIT);
	return (const _Py_CODEUNIT *)PyBytes_AS_STRING(code_cache_bytes);
}

/* The instruction at the frame's lasti: opcode and full argument. */
static int
py_instr(PyFrameObject *f, PyCodeObject *co, int *op, int *arg)
{
	Py_ssize_t n;
	const _Py_CODEUNIT *u = py_code_units(co, &n);
	int at = PyFrame_GetLasti(f) / (int)sizeof(_Py_CODEUNIT);

	if (!u || at < 0 || at >= n)
		return -1;
	const unsigned char *b = (const unsigned char *)&u[at];
	*op = b[0];
	*arg = b[1];
	for (int k = 1, shift = 8; at - k >= 0 && k < 4; k++, shift += 8) {
		const unsigned char *p = (const unsigned char *)&u[at - k];
		if (opnames[p[0]] == NULL || strcmp(opnames[p[0]], "EXTENDED_ARG") != 0)
			break;
		*arg |= p[1] << shift;
	}
	return 0;
}

static PyObject *
py_tuple_item(PyObject *t, int i)
{
	return t && i >= 0 && i < PyTuple_GET_SIZE(t) ? PyTuple_GET_ITEM(t, i) : NULL;
}

enum py_access { PY_NONE, PY_LOAD_G, PY_STORE_G, PY_LOAD_A, PY_STORE_A, PY_LOAD_L };

static enum py_access
py_access_of(const char *opn, int arg, PyCodeObject *co, PyObject **name)
{
	PyObject *names = co->co_names;
	*name = NULL;
	if (!opn)
		return PY_NONE;
	if (strcmp(opn, "LOAD_GLOBAL") == 0)
		return (*name = py_tuple_item(names, arg >> 1)) ? PY_LOAD_G : PY_NONE;
	if (strcmp(opn, "LOAD_NAME") == 0)
		return (*name = py_tuple_item(names, arg)) ? PY_LOAD_G : PY_NONE;
	if (strcmp(opn, "STORE_GLOBAL") == 0 || strcmp(opn, "STORE_NAME") == 0)
		return (*name = py_tuple_item(names, arg)) ? PY_STORE_G : PY_NONE;
#if PY_VERSION_HEX >= 0x030C0000
	if (strcmp(opn, "LOAD_ATTR") == 0)
		return (*name = py_tuple_item(names, arg >> 1)) ? PY_LOAD_A : PY_NONE;
#else
	if (strcmp(opn, "LOAD_ATTR") == 0 || strcmp(opn, "LOAD_METHOD") == 0)
		return (*name = py_tuple_item(names, arg)) ? PY_LOAD_A : PY_NONE;
#endif
	if (strcmp(opn, "STORE_ATTR") == 0)
		return (*name = py_tuple_item(names, arg)) ? PY_STORE_A : PY_NONE;
	if (strcmp(opn, "LOAD_FAST") == 0) {
		PyObject *vn = PyCode_GetVarnames(co);
		*name = py_tuple_item(vn, arg);
		Py_XDECREF(vn);   /* the code keeps its names */
		return *name ? PY_LOAD_L : PY_NONE;
	}
	return PY_NONE;
}

/* The object an attribute instruction works on: the value the previous
 * instruction of the same frame loaded by name (`self` in self._balance). */
static PyObject *
py_receiver(PyFrameObject *f, PyCodeObject *co)
{
	if (me->last_code != (PyObject *)co || me->last_op < 0)
		return NULL;
	PyObject *name = NULL;
	enum py_access acc = py_access_of(opnames[me->last_op], me->last_arg, co, &name);
	if (!name)
		return NULL;
	if (acc == PY_LOAD_L) {
		PyObject *locals = PyFrame_GetLocals(f);
		PyObject *v = locals ? PyDict_GetItemWithError(locals, name) : NULL;
		Py_XDECREF(locals);   /* the frame keeps its locals dict */
		PyErr_Clear();
		return v;
	}
	if (acc == PY_LOAD_G) {
		PyObject *g = PyFrame_GetGlobals(f);
		PyObject *v = g ? PyDict_GetItemWithError(g, name) : NULL;
		Py_XDECREF(g);
		PyErr_Clear();
		return v;
	}
	return NULL;
}

/* Text for an instruction, as dis names it: "BINARY_OP -=", "LOAD_GLOBAL num". */
static void
py_instr_text(const char *opn, int arg, PyObject *name, char *buf, size_t len)
{
	if (name) {
		snprintf(buf, len, "%s %s", opn, PyUnicode_AsUTF8(name));
	} else if (strcmp(opn, "BINARY_OP") == 0 && nb_ops && arg < PyList_GET_SIZE(nb_ops)) {
		PyObject *pair = PyList_GET_ITEM(nb_ops, arg);
		PyObject *sym = PyTuple_Check(pair) ? py_tuple_item(pair, 1) : NULL;
		snprintf(buf, len, "%s %s", opn, sym ? PyUnicode_AsUTF8(sym) : "?");
	} else {
		snprintf(buf, len, "%s", opn);
	}
}

/* A shared read or write this instruction makes, recorded (and, at
 * bytecode steps, gated) as a load or store of a variable of the model. */
static int
py_access(PyFrameObject *f, PyCodeObject *co, enum py_access acc, PyObject *name, int line)
{
	PyObject *owner = NULL;
	PyObject *g = PyFrame_GetGlobals(f);

	if (acc == PY_LOAD_G || acc == PY_STORE_G)
		owner = g;
	else if (acc == PY_LOAD_A || acc == PY_STORE_A)
		owner = py_receiver(f, co);
	Py_XDECREF(g);   /* the frame keeps its globals */
	if (!owner || PyModule_Check(owner) || PyType_Check(owner))
		return 0;
	int ok;
	PyObject *cur = py_peek(owner, name);
	long v = py_int(cur, &ok);
	PyErr_Clear();
	if (!ok && cur)
		return 0;          /* not a number: not a variable the model shows */
	int load = acc == PY_LOAD_G || acc == PY_LOAD_A;
	int obj = ok ? py_var_obj(owner, name, g, v) : -1;
	if (load) {
		if (obj < 0)
			return 0;
		if (steps_bytecode)
			py_gate(LS_OP_LOAD, (unsigned)obj, line, 0);
		py_emit(LS_OP_LOAD, LS_PH_DONE, (unsigned)obj, line, v, 0);
		return 1;
	}
	/* A store's value is read back at the thread's next event. */
	me->store_obj = obj;
	me->store_owner = owner;
	me->store_name = name;
	me->store_globals = g;
	me->store_old = v;
	me->store_line = line;
	if (obj >= 0 && steps_bytecode)
		py_gate(LS_OP_STORE, (unsigned)obj, line, 0);
	return obj >= 0;
}

static void
py_opcode(PyFrameObject *f, PyCodeObject *co)
{
	int op, arg;
	PyObject *name;

	if (py_instr(f, co, &op, &arg) != 0 || !opnames[op])
		return;
	int line = PyFrame_GetLineNumber(f);
	enum py_access acc = py_access_of(opnames[op], arg, co, &name);
	int shared = acc != PY_NONE && acc != PY_LOAD_L && py_access(f, co, acc, name, line);
	if (!shared && steps_bytecode) {
		char text[LS_TEXT_MAX + 1];
		py_instr_text(opnames[op], arg, name, text, sizeof text);
		py_gate_text(LS_OP_PY_INSTR, line, text);
		probe_emit_text(&me->self, LS_OP_PY_INSTR, LS_PH_DONE, LS_NO_OBJ, line, text,
		                strlen(text));
	}
	me->last_code = (PyObject *)co;
	me->last_op = op;
	me->last_arg = arg;
}

/* ---- the tracer ----------------------------------------------------------------------- */

static int
py_tracer(PyObject *obj, PyFrameObject *f, int what, PyObject *arg)
{
	if (!py_live())
		return 0;
	py_store_flush();
	PyCodeObject *co = PyFrame_GetCode(f);
	int mine = PyUnicode_Compare(co->co_filename, prog_file) == 0;

	switch (what) {
	case PyTrace_CALL:
		if (mine) {
			PyObject_SetAttrString((PyObject *)f, "f_trace_opcodes", Py_True);
			PyErr_Clear();
		}
		break;
	case PyTrace_LINE:
		if (mine && !steps_bytecode) {
			int line = PyFrame_GetLineNumber(f);
			py_gate(LS_OP_PY_LINE, LS_NO_OBJ, line, line);
			py_emit(LS_OP_PY_LINE, LS_PH_DONE, LS_NO_OBJ, line, line, 0);
		}
		break;
	case PyTrace_OPCODE:
		if (mine)
			py_opcode(f, co);
		break;
	default:
		break;
	}
	Py_DECREF(co);
	return 0;
}

/* Thread._bootstrap_inner: the new thread is its actor from its first
 * instruction (before it tells start() it runs), to its last. */
static PyObject *orig_bootstrap;

static PyObject *
py_thread_bootstrap(PyObject *self, PyObject *args)
{
	PyObject *thread;

	if (!PyArg_ParseTuple(args, "O", &thread))
		return NULL;
	PyObject *id = PyObject_GetAttrString(thread, "_lockstep_actor");
	if (!id) {
		PyErr_Clear();      /* not started through Thread.start */
		return PyObject_CallOneArg(orig_bootstrap, thread);
	}
	long k = PyLong_AsLong(id);
	Py_DECREF(id);
	py_become((int)k, NULL);
	PyEval_SetTrace(py_tracer, NULL);
	PyObject *r = PyObject_CallOneArg(orig_bootstrap, thread);
	PyEval_SetTrace(NULL, NULL);
	py_store_flush();
	py_say_flush();
	py_end(LS_OP_EXIT, LS_PH_DONE, 0);
	return r;
}

static PyMethodDef py_bootstrap_def = { "_bootstrap_inner", py_thread_bootstrap, METH_VARARGS, NULL };

/* Thread.start(): the next actor slot, taken by the starting thread. */
static PyObject *
py_thread_start(PyObject *self, PyObject *args)
{
	PyObject *thread;

	if (!PyArg_ParseTuple(args, "O", &thread))
		return NULL;
	if (!py_live())
		return PyObject_CallOneArg(orig_start, thread);
	int line = py_line();
	uint32_t k = atomic_fetch_add_explicit(&W->py_next, 1, memory_order_relaxed);
	if (k >= W->py_threads_end) {
		PyErr_Format(PyExc_RuntimeError, "lockstep: more than %u threads; the run stops here",
		             W->py_threads_end - 1);
		return NULL;
	}
	PyObject *id = PyLong_FromLong((long)k);
	if (!id || PyObject_SetAttrString(thread, "_lockstep_actor", id) < 0) {
		Py_XDECREF(id);
		return NULL;
	}
	Py_DECREF(id);
	PyObject *name = PyObject_GetAttrString(thread, "name");
	if (name && PyUnicode_Check(name))
		snprintf(W->actors[k].pyname, sizeof W->actors[k].pyname, "%s", PyUnicode_AsUTF8(name));
	Py_XDECREF(name);
	PyErr_Clear();
	py_gate(LS_OP_THREAD_START, LS_NO_OBJ, line, k);
	atomic_store_explicit(&W->actors[k].forked_by, (int32_t)me->self.id + 1, memory_order_relaxed);
	ls_gate_arm_child(&W->actors[k].gate);
	py_emit(LS_OP_THREAD_START, LS_PH_DONE, LS_NO_OBJ, line, k, 0);
	PyObject *r = PyObject_CallOneArg(orig_start, thread);
	if (!r) {
		ls_gate_mark_done(&W->actors[k].gate);
		return NULL;
	}
	/* Controlled: the start is one step, so the new thread is parked at
	 * its first step (or done) before the controller looks again. */
	if (probe_gated(&me->self)) {
		int rc;
		Py_BEGIN_ALLOW_THREADS
		rc = ls_gate_wait_parked(&W->actors[k].gate, &W->ctl.abort);
		Py_END_ALLOW_THREADS
		if (rc != 0)
			ls_actor_leave();
	}
	return r;
}

static PyObject *
py_thread_join(PyObject *self, PyObject *args)
{
	PyObject *thread, *timeout = Py_None;

	if (!PyArg_ParseTuple(args, "O|O", &thread, &timeout))
		return NULL;
	PyObject *id = PyObject_GetAttrString(thread, "_lockstep_actor");
	if (!id || !py_live()) {
		PyErr_Clear();
		Py_XDECREF(id);
		return PyObject_CallFunctionObjArgs(orig_join, thread, timeout, NULL);
	}
	long k = PyLong_AsLong(id);
	Py_DECREF(id);
	int line = py_line();
	py_gate(LS_OP_JOIN, LS_NO_OBJ, line, k);
	if (ls_gate_state(&W->actors[k].gate) != LS_GATE_DONE)
		py_emit(LS_OP_JOIN, LS_PH_BLOCK, LS_NO_OBJ, line, k, 0);
	PyObject *r = PyObject_CallFunctionObjArgs(orig_join, thread, timeout, NULL);
	if (r)
		py_emit(LS_OP_JOIN, LS_PH_DONE, LS_NO_OBJ, line, k, 0);
	return r;
}

static PyObject *
py_sleep(PyObject *self, PyObject *arg)
{
	double secs = PyFloat_AsDouble(arg);

	if (secs == -1.0 && PyErr_Occurred())
		return NULL;
	if (secs < 0) {
		PyErr_SetString(PyExc_ValueError, "sleep length must be non-negative");
		return NULL;
	}
	long ms = (long)(secs * 1000.0 + 0.5);
	if (!py_live()) {
		Py_BEGIN_ALLOW_THREADS
		struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
		nanosleep(&ts, NULL);
		Py_END_ALLOW_THREADS
		Py_RETURN_NONE;
	}
	int line = py_line();
	py_gate(LS_OP_SLEEP, LS_NO_OBJ, line, ms);
	if (probe_gated(&me->self)) {      /* controlled: time jumps */
		py_emit(LS_OP_SLEEP, LS_PH_DONE, LS_NO_OBJ, line, ms, 0);
		Py_RETURN_NONE;
	}
	unsigned pct = atomic_load_explicit(&W->ctl.slowmo_pct, memory_order_relaxed);
	long real = ms * (long)(pct ? pct : 100) / 100;
	py_emit(LS_OP_SLEEP, LS_PH_BLOCK, LS_NO_OBJ, line, ms, real);
	Py_BEGIN_ALLOW_THREADS
	struct timespec ts = ls_ms_to_timespec(real);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	Py_END_ALLOW_THREADS
	py_emit(LS_OP_SLEEP, LS_PH_DONE, LS_NO_OBJ, line, ms, real);
	Py_RETURN_NONE;
}

/* threading.excepthook: the traceback as the actor's output, then it crashed. */
static PyObject *
py_excepthook(PyObject *self, PyObject *arg)
{
	PyObject *r = PyObject_CallOneArg(orig_excepthook, arg);
	Py_XDECREF(r);
	PyErr_Clear();
	if (py_live()) {
		py_say_flush();
		py_end(LS_OP_CRASH, LS_PH_DONE, 0);
	}
	Py_RETURN_NONE;
}

static PyMethodDef py_start_def = { "_start", py_thread_start, METH_VARARGS, NULL };
static PyMethodDef py_join_def = { "_join", py_thread_join, METH_VARARGS, NULL };
static PyMethodDef py_sleep_def = { "sleep", py_sleep, METH_O, NULL };
static PyMethodDef py_excepthook_def = { "_excepthook", py_excepthook, METH_O, NULL };


/* ---- processes ------------------------------------------------------------------------ */

/* os.fork() (a multiprocessing.Process with the fork method is one): the
 * child is the next process slot, taken by the forking thread, and the
 * fork is one step.  The child's memory is a copy: its variables are its
 * own objects, named after it ("P1:num"), and the object slots still free
 * are split, the child taking the upper half. */
static int fork_child = -1, fork_line;

static PyObject *
py_before_fork(PyObject *self, PyObject *unused)
{
	if (!py_live())
		Py_RETURN_NONE;
	uint32_t k = atomic_fetch_add_explicit(&W->py_next_proc, 1, memory_order_relaxed);
	if (k >= W->nactors)
		Py_RETURN_NONE;    /* more processes than slots: this one is not watched */
	fork_line = py_line();
	py_gate(LS_OP_FORK, LS_NO_OBJ, fork_line, k);
	atomic_store_explicit(&W->actors[k].forked_by, (int32_t)me->self.id + 1, memory_order_relaxed);
	atomic_store_explicit(&W->actors[k].pid, 0, memory_order_relaxed);
	ls_gate_arm_child(&W->actors[k].gate);
	fork_child = (int)k;
	Py_RETURN_NONE;
}

static PyObject *
py_after_fork_child(PyObject *self, PyObject *unused)
{
	int k = fork_child;

	if (k < 0)
		Py_RETURN_NONE;
	fork_child = -1;
	for (int i = 0; i < nvars; i++)
		Py_DECREF(vars[i].name);
	nvars = 0;
	snprintf(var_prefix, sizeof var_prefix, "P%u:", (unsigned)(k - W->py_threads_end + 1));
	say_len = 0;
	py_become(k, NULL);
	Py_RETURN_NONE;
}

static PyObject *
py_after_fork_parent(PyObject *self, PyObject *unused)
{
	int k = fork_child;

	if (k < 0)
		Py_RETURN_NONE;
	fork_child = -1;
	struct ls_gate *g = &W->actors[k].gate;
	int32_t pid = 0;
	Py_BEGIN_ALLOW_THREADS
	/* The child writes its pid first thing; controlled, it then parks. */
	for (int tries = 0; tries < 5000; tries++) {
		pid = atomic_load_explicit(&W->actors[k].pid, memory_order_relaxed);
		if (pid && (!probe_gated(&me->self) || ls_gate_state(g) != LS_GATE_RUNNING))
			break;
		if (probe_aborted(&me->self))
			ls_actor_leave();
		ls_gate_wait_change(g, LS_GATE_RUNNING, 2);
	}
	Py_END_ALLOW_THREADS
	py_emit(LS_OP_FORK, LS_PH_DONE, LS_NO_OBJ, fork_line, k, pid);
	Py_RETURN_NONE;
}

/* The actor whose process is pid, or -1. */
static int
py_child_of(long pid)
{
	for (uint32_t k = W->py_threads_end; k < W->nactors; k++)
		if (atomic_load_explicit(&W->actors[k].pid, memory_order_relaxed) == pid &&
		    atomic_load_explicit(&W->actors[k].forked_by, memory_order_relaxed) == me->self.id + 1)
			return (int)k;
	return -1;
}

static PyObject *orig_waitpid, *orig_exit;

/* os.waitpid(pid, 0) on a child actor: a step that waits for it to end. */
static PyObject *
py_waitpid(PyObject *self, PyObject *args)
{
	long pid;
	int options;

	if (!PyArg_ParseTuple(args, "li", &pid, &options))
		return NULL;
	int k = py_live() && !(options & WNOHANG) ? py_child_of(pid) : -1;
	if (k < 0)
		return PyObject_Call(orig_waitpid, args, NULL);
	int line = py_line();
	py_gate(LS_OP_WAIT_CHILD, LS_NO_OBJ, line, k);
	if (ls_gate_state(&W->actors[k].gate) != LS_GATE_DONE)
		py_emit(LS_OP_WAIT_CHILD, LS_PH_BLOCK, LS_NO_OBJ, line, k, 0);
	PyObject *r = PyObject_Call(orig_waitpid, args, NULL);
	if (r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2) {
		int st = (int)PyLong_AsLong(PyTuple_GET_ITEM(r, 1));
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		py_emit(LS_OP_WAIT_CHILD, LS_PH_DONE, LS_NO_OBJ, line, k, code);
	}
	return r;
}

/* os._exit(n): a forked child's end (multiprocessing leaves this way). */
static PyObject *
py_exit(PyObject *self, PyObject *arg)
{
	long code = PyLong_AsLong(arg);

	if (code == -1 && PyErr_Occurred())
		return NULL;
	if (py_live()) {
		py_store_flush();
		py_say_flush();
		py_end(code ? LS_OP_CRASH : LS_OP_EXIT, LS_PH_DONE, 0);
	}
	return PyObject_CallOneArg(orig_exit, arg);
}

static PyMethodDef py_before_fork_def = { "_before_fork", py_before_fork, METH_NOARGS, NULL };
static PyMethodDef py_child_def = { "_after_fork_child", py_after_fork_child, METH_NOARGS, NULL };
static PyMethodDef py_parent_def = { "_after_fork_parent", py_after_fork_parent, METH_NOARGS, NULL };
static PyMethodDef py_waitpid_def = { "waitpid", py_waitpid, METH_VARARGS, NULL };
static PyMethodDef py_exit_def = { "_exit", py_exit, METH_O, NULL };

/* queue.SimpleQueue is C, with a lock of its own that lockstep cannot see
 * (a ThreadPoolExecutor's work queue): the pure-Python one the module keeps
 * is built on threading's lock, so its waits are steps. */
static int
py_wrap_queue(void)
{
	PyObject *q = PyImport_ImportModule("queue");
	PyObject *py = q ? PyObject_GetAttrString(q, "_PySimpleQueue") : NULL;
	int rc = py ? PyObject_SetAttrString(q, "SimpleQueue", py) : -1;

	Py_XDECREF(py);
	Py_XDECREF(q);
	return rc;
}

static int
py_wrap_os(void)
{
	PyObject *os = PyImport_ImportModule("os");
	int rc = -1;

	if (!os)
		return -1;
	orig_waitpid = PyObject_GetAttrString(os, "waitpid");
	orig_exit = PyObject_GetAttrString(os, "_exit");
	PyObject *reg = PyObject_GetAttrString(os, "register_at_fork");
	PyObject *kw = Py_BuildValue("{s:N,s:N,s:N}",
	                             "before", PyCFunction_New(&py_before_fork_def, NULL),
	                             "after_in_child", PyCFunction_New(&py_child_def, NULL),
	                             "after_in_parent", PyCFunction_New(&py_parent_def, NULL));
	PyObject *empty = PyTuple_New(0);
	PyObject *r = reg && kw && empty ? PyObject_Call(reg, empty, kw) : NULL;
	if (r && orig_waitpid && orig_exit &&
	    py_set(os, "waitpid", PyCFunction_New(&py_waitpid_def, NULL)) == 0 &&
	    py_set(os, "_exit", PyCFunction_New(&py_exit_def, NULL)) == 0)
		rc = 0;
	Py_XDECREF(r);
	Py_XDECREF(empty);
	Py_XDECREF(kw);
	Py_XDECREF(reg);
	Py_DECREF(os);
	return rc;
}

/* ---- joining the world ----------------------------------------------------------------- */

static int
py_map_world(void)
{
	const char *env = getenv("LOCKSTEP_WORLD");
	int fd;
	unsigned long addr, size;

	if (!env || sscanf(env, "%d:%lx:%lx", &fd, &addr, &size) != 3) {
		PyErr_SetString(PyExc_RuntimeError, "_lockstep: not started by lockstep (no LOCKSTEP_WORLD)");
		return -1;
	}
	void *p = mmap((void *)addr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
	               fd, 0);
	if (p == MAP_FAILED || p != (void *)addr) {
		PyErr_Format(PyExc_RuntimeError, "_lockstep: cannot map the run's world at %lx: %s",
		             addr, strerror(errno));
		return -1;
	}
	close(fd);
	W = p;
	return 0;
}

static int
py_set(PyObject *mod, const char *attr, PyObject *v)
{
	return v ? PyObject_SetAttrString(mod, attr, v) : -1;
}

static int
py_opnames(void)
{
	PyObject *dis = PyImport_ImportModule("dis");
	PyObject *names = dis ? PyObject_GetAttrString(dis, "opname") : NULL;
	if (!names) {
		Py_XDECREF(dis);
		return -1;
	}
	for (Py_ssize_t i = 0; i < 256 && i < PyList_Size(names); i++) {
		const char *s = PyUnicode_AsUTF8(PyList_GET_ITEM(names, i));
		opnames[i] = s && s[0] != '<' ? strdup(s) : NULL;
	}
	nb_ops = PyObject_GetAttrString(dis, "_nb_ops");
	PyErr_Clear();
	Py_DECREF(names);
	Py_DECREF(dis);
	return 0;
}

/* Wrap threading and time: the program's own imports see the wrappers. */
static int
py_wrap(void)
{
	PyObject *thr = PyImport_ImportModule("threading");
	PyObject *raw = PyImport_ImportModule("_thread");
	PyObject *tm = PyImport_ImportModule("time");
	PyObject *sys = PyImport_ImportModule("sys");
	int rc = -1;

	if (!thr || !raw || !tm || !sys)
		goto out;
	PyObject *lock = (PyObject *)&py_lock_type;
	PyObject *cls = PyObject_GetAttrString(thr, "Thread");
	if (!cls)
		goto out;
	orig_start = PyObject_GetAttrString(cls, "start");
	orig_bootstrap = PyObject_GetAttrString(cls, "_bootstrap_inner");
	orig_join = PyObject_GetAttrString(cls, "join");
	orig_excepthook = PyObject_GetAttrString(thr, "excepthook");
	PyObject *boot = PyCFunction_New(&py_bootstrap_def, NULL);
	PyObject *boot_m = boot ? PyInstanceMethod_New(boot) : NULL;
	PyObject *start = PyCFunction_New(&py_start_def, NULL);
	PyObject *join = PyCFunction_New(&py_join_def, NULL);
	/* A function in the class: Thread().start() passes the thread. */
	PyObject *start_m = start ? PyInstanceMethod_New(start) : NULL;
	PyObject *join_m = join ? PyInstanceMethod_New(join) : NULL;
	if (!orig_start || !orig_join || !orig_excepthook || !orig_bootstrap ||
	    py_set(cls, "_bootstrap_inner", boot_m) || py_set(cls, "start", start_m) ||
	    py_set(cls, "join", join_m) || py_set(thr, "Lock", lock) ||
	    py_set(thr, "_allocate_lock", lock) || py_set(raw, "allocate_lock", lock) ||
	    py_set(thr, "_CRLock", Py_None) ||
	    py_set(thr, "excepthook", PyCFunction_New(&py_excepthook_def, NULL)) ||
	    py_set(tm, "sleep", PyCFunction_New(&py_sleep_def, NULL)))
		goto out_cls;
	PyObject *w1 = PyObject_CallNoArgs((PyObject *)&py_writer_type);
	PyObject *w2 = PyObject_CallNoArgs((PyObject *)&py_writer_type);
	if (w1 && w2 && PySys_SetObject("stdout", w1) == 0 && PySys_SetObject("stderr", w2) == 0 &&
	    py_wrap_os() == 0 && py_wrap_queue() == 0 && py_wrap_multiprocessing() == 0)
		rc = 0;
	Py_XDECREF(w1);
	Py_XDECREF(w2);
out_cls:
	Py_XDECREF(boot);
	Py_XDECREF(boot_m);
	Py_XDECREF(start);
	Py_XDECREF(join);
	Py_XDECREF(start_m);
	Py_XDECREF(join_m);
	Py_DECREF(cls);
out:
	Py_XDECREF(thr);
	Py_XDECREF(raw);
	Py_XDECREF(tm);
	Py_XDECREF(sys);
	return rc;
}

/* The program's text with its parameters set (LOCKSTEP_PY_SETS). */
static char *
py_source(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *text = malloc(cap);
	for (size_t got; text && (got = fread(text + n, 1, cap - n - 1, f)) > 0; ) {
		n += got;
		if (n + 1 >= cap) {
			char *more = realloc(text, cap * 2);
			if (!more) {
				free(text);
				text = NULL;
				break;
			}
			text = more;
			cap *= 2;
		}
	}
	fclose(f);
	if (!text)
		return (char *)PyErr_NoMemory();
	text[n] = '\0';
	char *out = ls_pysrc_apply(text, getenv("LOCKSTEP_PY_SETS"));
	free(text);
	return out ? out : (char *)PyErr_NoMemory();
}

/* The main thread's end: the module ran to its end, or raised. */
static void
py_main_end(int raised)
{
	if (raised && PyErr_ExceptionMatches(PyExc_SystemExit)) {
		py_end(LS_OP_EXIT, LS_PH_DONE, 0);   /* sys.exit(): python3 leaves with its code */
		return;
	}
	if (raised) {
		PyErr_Print();       /* the traceback, into sys.stderr: the actor's output */
		py_say_flush();
		py_end(LS_OP_CRASH, LS_PH_DONE, 0);
	} else {
		py_say_flush();
		py_end(LS_OP_EXIT, LS_PH_DONE, 0);
	}
}

static PyObject *
py_main(PyObject *self, PyObject *unused)
{
	PyObject *argv = PySys_GetObject("argv");   /* ["-c", PROGRAM, args...] */

	if (!argv || PyList_Size(argv) < 2) {
		PyErr_SetString(PyExc_RuntimeError, "_lockstep.main: no program named");
		return NULL;
	}
	if (py_map_world() != 0 || py_opnames() != 0)
		return NULL;
	PyObject *path = PyList_GET_ITEM(argv, 1);
	Py_INCREF(path);
	prog_file = path;
	if (PySequence_DelItem(argv, 0) < 0)
		return NULL;
	char *src = py_source(PyUnicode_AsUTF8(path));
	if (!src)
		return NULL;
	PyObject *code = Py_CompileString(src, PyUnicode_AsUTF8(path), Py_file_input);
	free(src);
	if (!code)
		return NULL;
	if (py_wrap() != 0) {
		Py_DECREF(code);
		return NULL;
	}
	PyObject *mainmod = PyImport_AddModule("__main__");
	PyObject *d = mainmod ? PyModule_GetDict(mainmod) : NULL;
	if (!d || PyDict_SetItemString(d, "__file__", path) < 0) {
		Py_DECREF(code);
		return NULL;
	}
	py_become(0, NULL);
	PyEval_SetTrace(py_tracer, NULL);
	PyObject *r = PyEval_EvalCode(code, d, d);
	PyEval_SetTrace(NULL, NULL);
	Py_DECREF(code);
	py_store_flush();
	py_main_end(r == NULL);
	if (!r && PyErr_Occurred())
		return NULL;        /* SystemExit: python3 exits with the program's code */
	Py_XDECREF(r);
	Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
	{ "main", py_main, METH_NOARGS, "Run the program lockstep named, as its actor 0." },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT, "_lockstep",
	"lockstep's probe inside CPython (started by lockstep, not imported by programs).",
	-1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__lockstep(void);

PyMODINIT_FUNC
PyInit__lockstep(void)
{
	if (PyType_Ready(&py_lock_type) < 0 || PyType_Ready(&py_writer_type) < 0)
		return NULL;
	return PyModule_Create(&module_def);
}
