# 004's RLock program with a plain Lock: run3 takes the lock, then run1 wants it again.
import threading

num = 0
lock = threading.Lock()


def run1():
    global num
    lock.acquire()
    num += 1
    lock.release()


def run3():
    lock.acquire()
    run1()
    lock.release()


t = threading.Thread(target=run3)
t.start()
t.join()
print("num =", num)
