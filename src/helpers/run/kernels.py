"""Kernels started ahead of time: the next notebooks' kernels start while this one runs.

A batch run executes its notebooks one after another in each worker. Most of a small
notebook's time is its kernel starting (Python, ipykernel) and importing what the notebook
imports (pandas, the pack's modules): work that does not depend on any notebook's results.
So each notebook a worker runs starts the kernel of a notebook it will run later
(:data:`AHEAD` places on), and that kernel imports the modules its notebook imports while it
waits. On a machine with a free core this happens beside the running notebook.

What the notebook sees is unchanged. The kernel is a fresh ``python3`` kernel in the same
folder, as papermill would start; its preloading imports modules only (``sys.modules``) and
binds no name in the notebook's namespace, so a notebook that forgets an import still fails;
it runs with ``store_history=False``, so execution counts start at 1 as usual. A preloading
import that fails is left to the notebook's own import to report. A spare kernel that is not
used (the run ended, or failed) is shut down when the worker ends.
"""

from __future__ import annotations

import ast
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from helpers.core.notebook_source import code_trees

KERNEL_NAME = "python3"
ENGINE_NAME = "workreport-warm"
#: What nbclient passes to every kernel it starts (no history file is written).
HISTORY_ARGUMENT = "--HistoryManager.hist_file=:memory:"


def preload(modules: list[str]) -> None:
    """Import ``modules`` (run inside a kernel as it starts); a failure is left to the notebook."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)  # a.b.c where c is a name in a.b: imports a.b
        except Exception:  # the notebook's own import reports it, in its cell
            continue


def notebook_modules(path: Path) -> list[str]:
    """The modules a notebook's code cells import, in order, each once.

    ``from a.b import c`` gives ``a.b.c``: a module, or a name in ``a.b``, which :func:`preload`
    then imports on the way (nothing is imported here). Cells that do not parse (IPython magics)
    are skipped.
    """
    found: list[str] = []
    for tree in code_trees(path):
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found += [n for n in names if n not in found]
    return found


def preload_argument(modules: list[str]) -> str:
    """The kernel's command-line option that runs :func:`preload` as it starts."""
    line = f"__import__({__name__!r}, fromlist=['preload']).preload({modules!r})"
    return f"--IPKernelApp.exec_lines={line}"


@dataclass
class Spare:
    """A kernel started ahead of time, and where its standard error goes."""

    km: object
    cwd: str
    log: Path


#: How many kernels a worker keeps started ahead of the notebook it runs: two, so that a short
#: notebook (a second or less) does not wait for the next kernel to finish starting.
AHEAD = 2

_spares: list[Spare] = []


def start(modules: list[str], cwd: Path, log_dir: Path | str | None = None) -> Spare:
    """Start a ``python3`` kernel in ``cwd`` that imports ``modules`` as it starts; its
    standard error goes to a file in ``log_dir`` (the run's own temporary folder, removed with
    it however the run ends; the system's when that folder is not on this machine).

    Returns at once: the kernel process starts, and imports, on its own.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    folder = str(log_dir) if log_dir and Path(log_dir).is_dir() else None
    fd, log = tempfile.mkstemp(prefix="workreport-kernel-", suffix=".log", dir=folder)
    try:
        km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        arguments = [HISTORY_ARGUMENT]
        if modules and any("ipykernel" in part for part in km.kernel_spec.argv):
            arguments.append(preload_argument(modules))  # an IPython kernel's option
        run_sync(km.start_kernel)(extra_arguments=arguments, cwd=str(cwd), stderr=fd)
    except BaseException:
        Path(log).unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)  # the kernel holds its own copy
    return Spare(km, str(cwd), Path(log))


def start_spare(modules: list[str], cwd: Path, log_dir: Path | str | None = None) -> None:
    """Start a kernel for a notebook this worker runs later (none if :data:`AHEAD` wait
    already). A kernel that cannot start is left to the notebook, which starts its own and
    reports why it cannot: a kernel started ahead only saves time."""
    if len(_spares) < AHEAD:
        try:
            spare = start(modules, cwd, log_dir)
        except Exception:
            return
        _spares.append(spare)
        _arm_cleanup()


def take(cwd: Path) -> Spare | None:
    """The kernel started longest ago, if it is alive and was started in ``cwd``; else None
    (a dead or misplaced kernel is ended)."""
    from jupyter_core.utils import run_sync

    while _spares:
        spare = _spares.pop(0)
        if spare.cwd == str(cwd) and run_sync(spare.km.is_alive)():
            return spare
        shutdown(spare)
    return None


def shutdown(spare: Spare, keep_log: bool = False) -> None:
    """End a kernel (if it is still running) and remove its log unless ``keep_log``."""
    from jupyter_core.utils import run_sync

    try:
        if run_sync(spare.km.is_alive)():
            run_sync(spare.km.shutdown_kernel)(now=True)
        run_sync(spare.km.cleanup_resources)()
    except Exception:  # ending a kernel that is gone already
        pass
    if not keep_log:
        spare.log.unlink(missing_ok=True)


def shutdown_spares() -> None:
    """End the kernels started ahead that no notebook took (at the worker's exit)."""
    while _spares:
        shutdown(_spares.pop(0))


_cleanup_armed = False


def _forget_in_child() -> None:
    """A forked process (a pool worker) starts with no spare kernel and no cleanup armed: the
    parent's kernels are the parent's, and multiprocessing drops the parent's finalizers."""
    global _cleanup_armed
    _spares.clear()
    _cleanup_armed = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def _arm_cleanup() -> None:
    """End the spare kernels when this process ends: at exit of a pool worker (which
    ``atexit`` does not see) as of any other process."""
    global _cleanup_armed
    if _cleanup_armed:
        return
    import atexit
    from multiprocessing import util

    util.Finalize(None, shutdown_spares, exitpriority=10)
    atexit.register(shutdown_spares)
    _cleanup_armed = True


def _engine():
    """papermill's nbclient engine, executing on a kernel it is given (``km=``) and ending that
    kernel afterwards, as it ends the kernels it starts itself."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger
    from papermill.utils import remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            **kwargs,
        ):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            return client.execute(cleanup_kc=True)

    return WarmKernelEngine


_registered = False


def register_engine() -> str:
    """Register the engine with papermill (once per process); return its name."""
    global _registered
    if not _registered:
        from papermill.engines import papermill_engines

        papermill_engines.register(ENGINE_NAME, _engine())
        _registered = True
    return ENGINE_NAME


def append_log(spare: Spare, dest: Path) -> None:
    """Add what the kernel wrote to standard error to ``dest`` and remove its own log."""
    try:
        text = spare.log.read_bytes()
    except OSError:
        return
    if text:
        with open(dest, "ab") as fh:
            fh.write(text)
    spare.log.unlink(missing_ok=True)
