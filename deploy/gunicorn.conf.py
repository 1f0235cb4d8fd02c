"""gunicorn settings for 履职通 Lvzhi.

    gunicorn -c deploy/gunicorn.conf.py        (from the project directory)

Environment: GUNICORN_BIND (default 127.0.0.1:8000), GUNICORN_WORKERS
(default 2 x CPUs + 1; use 3-5 on SQLite), LVZHI_TRUSTED_PROXIES (addresses of
nginx, default loopback). The app's own settings come from the environment as
well (README, "Configuration"; /etc/lvzhi.env with the systemd unit)."""

from __future__ import annotations

import contextlib
import ipaddress
import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import Any

wsgi_app = "lvzhi.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"  # short requests, no long polling: one request per process
timeout = 60  # the largest roster exports take seconds, not minutes
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to the upstream open
max_requests = 2000  # recycle workers now and then (memory creep)
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100

# No control socket (gunicornc): systemd reloads with HUP, and the unit's
# home directory is read-only anyway.
control_socket_disable = True

accesslog = "-"  # to the journal
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# nginx terminates TLS and says so in X-Forwarded-Proto; trust it from nginx only.
forwarded_allow_ips = os.environ.get("LVZHI_TRUSTED_PROXIES", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

TRUSTED_PROXIES = frozenset(ip.strip() for ip in forwarded_allow_ips.split(",") if ip.strip())

App = Callable[[dict[str, Any], Any], Iterable[bytes]]


def real_client_ip(app: App) -> App:
    """REMOTE_ADDR = the client, not nginx.

    gunicorn puts the socket peer (nginx) in REMOTE_ADDR. The audit trail and
    the login lock (per account and IP) need the client's address, which nginx
    sends in X-Real-IP after its real-ip module has resolved any load balancer.
    Only a request from a trusted proxy may set it; a valid IP address only."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REMOTE_ADDR") in TRUSTED_PROXIES:
            candidate = environ.get("HTTP_X_REAL_IP", "").strip()
            # Missing or not an address: keep the proxy's address.
            with contextlib.suppress(ValueError):
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(candidate))
        return app(environ, start_response)

    return wrapped


def post_worker_init(worker: Any) -> None:
    worker.wsgi = real_client_ip(worker.wsgi)
