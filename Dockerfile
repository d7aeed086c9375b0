# Aiguillage — the Telegram bot. Build: docker build -t aiguillage .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIGUILLAGE_KB=/app/knowledge \
    AIGUILLAGE_DB=/data/aiguillage.sqlite3

WORKDIR /app

# Runtime dependencies only (no test extras); the knowledge base is baked in and can be
# replaced by mounting a volume on /app/knowledge.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --no-create-home --home-dir /app aiguillage \
    && mkdir /data \
    && chown aiguillage /data

USER aiguillage
VOLUME ["/data"]

# The bot touches a heartbeat file every minute; stale means stuck or stopped.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["aiguillage", "health"]

CMD ["aiguillage", "serve"]
