"""Makes a peer process behave when started from a test: honours SIGTERM/SIGINT even when
the launching thread had them blocked (the mask is inherited), and exits when its parent dies
so a crashed test run leaves no servers behind."""
import os
import signal
import threading
import time


def install():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
