"""Loaded before Django's settings (pyproject's addopts): under pytest-xdist, each test process gets
a Redis database of its own, since every test empties the cache (tests/conftest.py) and one process
must not empty another's. Worker gwN uses database (D - N) of the REDIS_URL given (D is 15 in CI).
Databases need nothing: pytest-django names each process's test database after it."""

import os
import re

worker = os.environ.get("PYTEST_XDIST_WORKER", "")
url = os.environ.get("REDIS_URL", "")
if worker.startswith("gw") and url:
    number = int(worker[2:])
    match = re.search(r"/(\d+)$", url)
    base = int(match.group(1)) if match else 0
    if base - number < 0:
        raise RuntimeError(f"{url}: too few Redis databases below it for test process {worker}")
    os.environ["REDIS_URL"] = (url[: match.start()] if match else url.rstrip("/")) + f"/{base - number}"
