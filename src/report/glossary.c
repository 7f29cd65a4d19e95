/*
 * glossary.c - the glossary's table (see glossary.h).  Data only: both
 * languages are written here and shown side by side, so nothing in it goes
 * through the message catalog.  The lesson named must exist
 * (tests/cli.test checks each against `lockstep list`).
 */
#include "config.h"

#include "report/glossary.h"

const struct ls_gloss ls_glossary[] = {
	{ "临界资源", "critical resource",
	  "多个线程或进程都要读写、同一时刻只能让一个使用的共享数据，比如账户余额。",
	  "shared data that many threads or processes read and write, and only one may use at a time, such as a balance.",
	  "deposit" },
	{ "互斥锁", "mutex (Lock)",
	  "一次只让一个线程进入临界区的锁：先 acquire，用完 release。",
	  "a lock that lets one thread at a time into the critical section: acquire, then release.",
	  "deposit" },
	{ "递归锁", "RLock (reentrant lock)",
	  "记得主人并会计数的锁：持有者可以再次加锁，加几次就要释放几次。",
	  "a lock that knows its owner and counts: its holder may take it again, and releases it as often.",
	  "rlock" },
	{ "信号量", "semaphore",
	  "带计数的锁：同一时刻最多放 N 个线程进去；有界信号量不许计数超过初始值。",
	  "a lock with a count: at most N threads inside at once; a bounded one refuses to rise above its start.",
	  "semaphore" },
	{ "事件", "Event",
	  "一个标志：set() 设置、clear() 清除，wait() 一直睡到它被设置。",
	  "a flag: set() raises it, clear() lowers it, wait() sleeps until it is set.",
	  "traffic" },
	{ "条件变量", "condition",
	  "配合互斥锁使用：wait() 释放锁并睡眠，直到别人 notify()。",
	  "used with a mutex: wait() releases the lock and sleeps until someone calls notify().",
	  "gil" },
	{ "全局解释器锁", "GIL (global interpreter lock)",
	  "CPython 里同一时刻只让一个线程执行字节码的锁，所以计算密集的线程只能轮流。",
	  "CPython's lock that lets one thread at a time run bytecode, so CPU-bound threads take turns.",
	  "gil" },
	{ "守护进程", "daemon process (daemon thread)",
	  "主程序结束时会被直接切断的进程或线程，没有人等它做完。",
	  "a process or thread that is cut off when the main program ends; nobody waits for it to finish.",
	  "daemon" },
	{ "进程池", "process pool",
	  "一组预先启动的工作进程，任务交给它们去做；单个请求不用加锁，读-改-写仍然要。",
	  "worker processes started in advance that take tasks; one request needs no lock, a read-modify-write does.",
	  "manager" },
	{ "队列", "queue",
	  "线程或进程之间安全传递数据的先进先出通道：满了 put() 等，空了 get() 等。",
	  "a first-in first-out channel that passes data safely between threads or processes; put() waits when full, get() when empty.",
	  "queue" },
	{ "生产者消费者", "producer/consumer",
	  "一方产生数据、另一方取走处理，中间用队列或管道解耦，谁快谁等。",
	  "one side makes data and the other takes it away, a queue or pipe between them; the faster one waits.",
	  "queue" },
	{ "管道", "pipe",
	  "连接两个进程的两端，一端 send()，另一端 recv()；缓冲区满了发送方就阻塞。",
	  "two connected ends between processes: send() at one, recv() at the other; a full buffer blocks the sender.",
	  "pipe" },
	{ "竞态条件", "race condition",
	  "结果取决于线程谁先谁后：同样的程序，换一种交错就得到不同的结果。",
	  "the outcome depends on which thread goes first: the same program, another interleaving, another result.",
	  "deposit" },
	{ "死锁", "deadlock",
	  "每个线程都在等别人（或自己）持有的东西，谁也动不了，永远等下去。",
	  "every thread waits for something another (or itself) holds; nobody can move, for ever.",
	  "rlock" },
	{ "数据竞争", "data race",
	  "两个线程访问同一个变量、至少一个在写，而没有锁、事件或 join 规定先后。",
	  "two threads access one variable, at least one writes, and no lock, event or join orders them.",
	  "deposit" },
};

const int ls_glossary_count = sizeof ls_glossary / sizeof ls_glossary[0];
