# 001's concurrent.futures example, as the tutorial prints it.
import concurrent.futures

def task(name):
    print(f"Task {name} started")
    result = name.upper()
    print(f"Task {name} completed")
    return result

if __name__ == '__main__':
    with concurrent.futures.ThreadPoolExecutor() as executor:
        futures = [executor.submit(task, i) for i in range(5)]
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            print(f"Result: {result}")
