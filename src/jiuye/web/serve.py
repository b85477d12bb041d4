"""`jiuye serve` (one or several web processes, and on the embedded default the queue's consumer) and
`jiuye worker` (the consumer alone, for production), registered on the CLI by :func:`register`."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys

import typer

log = logging.getLogger("jiuye.serve")


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux: the child is still stopped by serve's finally
        pass


def start_consumer() -> subprocess.Popen:
    """The embedded queue's consumer as a child process (stopped with the server, or when it dies)."""
    return subprocess.Popen([sys.executable, "-m", "jiuye.store.worker"], preexec_fn=_die_with_parent)


def stop_consumer(proc: subprocess.Popen) -> None:
    """SIGTERM: stop now; a running roster job resumes from its finished chunks at the next start."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prepare() -> None:
    """What N web workers must not race for, done once before they start: the session key file and,
    on the embedded default, the database's migration and demo data."""
    from jiuye.config import database_is_embedded, session_secret

    session_secret()
    if database_is_embedded():
        from jiuye.store.db import default_engine, forget

        default_engine()
        forget()  # the workers open their own connections


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机可访问；对外服务写 0.0.0.0）"),
        port: int = typer.Option(8000, "--port", help="监听端口"),
        workers: int = typer.Option(1, "--workers", min=1, max=64,
                                    help="网站进程数（多核机器上可设为核数；各进程共享数据库、任务队列和会话密钥）"),
    ) -> None:
        """启动网站与 API 服务（默认 http://127.0.0.1:8000）；使用内置任务队列时同时启动其处理进程。"""
        import uvicorn

        from jiuye.cli_support import _kb, err, out
        from jiuye.config import queue_is_embedded

        _kb()  # validate the data before binding the port: bad data stops start-up here
        prepare()
        consumer = None
        if queue_is_embedded():
            consumer = start_consumer()
            queue_note = "名册筛查任务由内置队列处理（已启动处理进程）"
        else:
            queue_note = "名册筛查任务在 JIUYE_QUEUE_URL 的队列中：请另行运行 jiuye worker"
        out.print(f"就业 Jiuye 正在启动：http://{host}:{port}/  （{workers} 个进程；API 文档 /docs，就绪检查 /healthz）\n{queue_note}")
        try:
            uvicorn.run("jiuye.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                        log_level="info", timeout_graceful_shutdown=10)
        finally:
            if consumer is not None:
                stop_consumer(consumer)
                if consumer.returncode not in (0, -signal.SIGTERM):
                    err.print(f"任务队列处理进程退出码 {consumer.returncode}")

    @app.command("worker")
    def worker_cmd() -> None:
        """只运行任务队列的处理进程（生产环境：JIUYE_QUEUE_URL=redis://…；可在多台机器上各运行一个）。
        Ctrl-C 等正在进行的筛查完成后退出；SIGTERM 立即退出，未完成的筛查在下次启动时从已完成的块继续。"""
        from jiuye.store.worker import main

        raise typer.Exit(main())


__all__ = ["prepare", "register", "start_consumer", "stop_consumer"]
