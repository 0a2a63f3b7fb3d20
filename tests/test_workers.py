"""Forked workers end with their parent, however it dies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duty_analyzer.workers import can_fork

from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.skipif(not can_fork() or not sys.platform.startswith("linux"), reason="fork + prctl are Linux-only")

# The workers are made to sit in a long batch when the parent is killed (a busy worker never reads the
# closed task pipe, so only the parent-death signal can end it).
SLOW = """
import itertools, multiprocessing, sys, time
from duty_analyzer.classify import load_default
clf = load_default()
predict = clf.predict
def slow(texts):
    if texts and texts[-1].endswith("慢"):
        time.sleep(300)
    return predict(texts)
clf.predict = slow
def report(i):
    if i == 399:
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
"""

CLASSIFY = SLOW + """
from duty_analyzer.classify import predict_stream
texts = ("停车场的规划建设和监管职责交叉，第%d条%s" % (i, "慢" if i >= 400 else "") for i in itertools.count())
for i, _ in enumerate(predict_stream(clf, texts, batch=100, workers=2)):
    report(i)
"""

HOTLINE = """
import dataclasses, itertools, multiprocessing, sys, time
import duty_analyzer.hotline as hotline
from duty_analyzer.hotline import analyze_to_rows
hotline.BATCH = 100
mask = hotline.mask_text
def slow(text, names=()):
    if text.endswith("慢"):
        time.sleep(300)
    return mask(text, names)
hotline.mask_text = slow
def report(i):
    if i == 399:
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
from duty_analyzer.overlaps import find_overlaps
from duty_analyzer.parse import parse_paths
corpus = parse_paths([sys.argv[1] + "/sanding"])
records = parse_paths([sys.argv[1] + "/hotline"]).hotline
stream = (dataclasses.replace(r, request=r.request + ("慢" if i >= 400 else "")) for i, r in enumerate(itertools.cycle(records)))
for i, _ in enumerate(analyze_to_rows(stream, corpus, find_overlaps(corpus), workers=2)):
    report(i)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


@pytest.mark.parametrize("script", [CLASSIFY, HOTLINE], ids=["classify", "hotline"])
def test_workers_die_when_the_parent_is_killed(script):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    parent = subprocess.Popen([sys.executable, "-c", script, str(SAMPLE)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = parent.stdout.readline()
        workers = [int(p) for p in line.split()]
        assert len(workers) == 2 and all(alive(p) for p in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(p) for p in workers)
    finally:
        parent.kill()
        for p in workers if "workers" in locals() else []:
            if alive(p):
                os.kill(p, signal.SIGKILL)


def _frozen_in_worker(_):
    import gc

    return gc.get_freeze_count()


def _young_threshold(_):
    import gc

    return gc.get_threshold()[0]


def test_what_the_workers_inherit_is_frozen_out_of_the_collector_only_while_the_pool_lives():
    import gc

    from duty_analyzer.workers import WORKER_GC_THRESHOLD, forked_pool

    inherited = [[i] for i in range(1000)]  # container objects the collector would track
    with forked_pool(2) as pool:
        assert gc.get_freeze_count() >= len(inherited)
        assert min(pool.map(_frozen_in_worker, range(2))) >= len(inherited)
        assert set(pool.map(_young_threshold, range(2))) == {WORKER_GC_THRESHOLD}
    assert gc.get_freeze_count() == 0
