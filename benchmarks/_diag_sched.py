import os, sys, threading, time
import benchmarks.gui_probe as probe
LOG = open(f"/tmp/diag/idle2-{os.getpid()}.txt", "w")
orig = probe._Ticks._tick
def _tick(self):
    now = time.monotonic_ns(); gap = now - self._last
    if gap > 6_000_000 and self.timer.isActive():
        LOG.write(f"gap {gap/1e6:5.1f} [{self._last} {now}]\n"); LOG.flush()
    orig(self)
probe._Ticks._tick = _tick
ostart = probe._Ticks.start
def start(self):
    LOG.write(f"#### START {time.monotonic_ns()}\n"); LOG.flush(); ostart(self)
probe._Ticks.start = start
sys.exit(probe.main(sys.argv[1:]))
