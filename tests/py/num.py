# 004's num -= 1, two threads.
import threading

NUM = 2
num = 0


def worker():
    global num
    num -= 1


num = NUM
threads = [threading.Thread(target=worker) for _ in range(NUM)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("num =", num)
