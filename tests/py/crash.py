import threading


def task(name):
    return name.upper()


t = threading.Thread(target=task, args=(3,))
t.start()
t.join()
print("main goes on")
