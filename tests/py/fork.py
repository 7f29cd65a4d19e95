# 003's fork() returning twice, with a variable the child changes.
import os

x = 100
pid = os.fork()
if pid == 0:
    x = x + 1
    print('child: x =', x)
    os._exit(0)
os.waitpid(pid, 0)
print('parent: x =', x)
