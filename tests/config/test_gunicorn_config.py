"""config/gunicorn.py: each worker listens on its own socket, and a worker's loaded app is out of
the garbage collector's full collections (README, "Benchmark": the bench's bimodality and the
ward page's tail)."""

import gc
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"


def test_each_worker_listens_on_its_own_socket(monkeypatch):
    monkeypatch.delenv("WEB_REUSE_PORT", raising=False)
    assert runpy.run_path(str(CONFIG))["reuse_port"] is True
    monkeypatch.setenv("WEB_REUSE_PORT", "false")
    assert runpy.run_path(str(CONFIG))["reuse_port"] is False


def test_a_loaded_worker_freezes_what_it_loaded():
    hook = runpy.run_path(str(CONFIG))["post_worker_init"]
    gc.unfreeze()
    tracked_before = len(gc.get_objects())
    try:
        hook(worker=None)
        assert gc.get_freeze_count() > tracked_before // 2
        assert len(gc.get_objects()) < tracked_before // 10  # what a full collection walks
    finally:
        gc.unfreeze()


def test_workers_are_a_process_per_core_and_one_of_two_threads(monkeypatch):
    import multiprocessing

    for name in ("WEB_WORKERS", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(CONFIG))
    assert (config["workers"], config["threads"]) == (multiprocessing.cpu_count() + 1, 2)
    monkeypatch.setenv("WEB_THREADS", "4")
    assert runpy.run_path(str(CONFIG))["threads"] == 4
