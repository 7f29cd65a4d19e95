# 002's tickets with its lock: a buyer holds the Lock around search and get.
import json
import time
from multiprocessing import Process, Lock

BUYERS = 4


def search(name):
    with open('db.txt') as f:
        dic = json.load(f)
    print('%s checks: %s left' % (name, dic['count']))


def get(name):
    with open('db.txt') as f:
        dic = json.load(f)
    time.sleep(0.1)
    if dic['count'] > 0:
        dic['count'] -= 1
        time.sleep(0.2)
        with open('db.txt', 'w') as f:
            json.dump(dic, f)
        print('%s bought one' % name)


def task(name, lock):
    search(name)
    lock.acquire()
    get(name)
    lock.release()


if __name__ == '__main__':
    with open('db.txt', 'w') as f:
        json.dump({'count': 1}, f)
    lock = Lock()
    ps = [Process(target=task, args=('buyer%d' % i, lock)) for i in range(BUYERS)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
