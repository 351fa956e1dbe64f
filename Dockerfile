# The production image of `quality-bot serve` (README: "Running it for real").
#   docker build -t quality-bot .
#   docker run --env-file .env -v "$PWD/quality.yml:/app/quality.yml:ro" -p 3000:3000 quality-bot
# Any other command runs the same way: `docker run … quality-bot migrate`.

ARG PYTHON_VERSION=3.11

# --- build: the project as a wheel, installed with its pinned dependencies into a venv ---------
FROM python:${PYTHON_VERSION}-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
# README.md is the package's long description (pyproject's `readme`), so the wheel needs it.
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models

# Only wheels for the dependencies: every runtime pin in constraints.txt has one for CPython 3.11 on
# manylinux, so no compiler is needed and a pin that lost its wheel fails here, not at run time.
# No extras: the runtime has no ruff, mypy, pytest or hypothesis.
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
 && python -m venv /opt/quality-bot \
 && /opt/quality-bot/bin/pip install --only-binary=:all: -c constraints.txt /wheels/quality_bot-*.whl

# --- runtime: the venv, a non-root user, nothing else -----------------------------------------
FROM python:${PYTHON_VERSION}-slim

RUN groupadd --system --gid 10001 quality \
 && useradd --system --uid 10001 --gid quality --create-home --home-dir /home/quality quality \
 && mkdir -p /app/data \
 && chown -R quality:quality /app

COPY --from=build /opt/quality-bot /opt/quality-bot

ENV PATH=/opt/quality-bot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/quality \
    MPLCONFIGDIR=/home/quality/.cache/matplotlib

# The working directory is where settings look for quality.yml (QUALITY_CONFIG, default
# quality.yml) and .env: mount quality.yml at /app/quality.yml, or anywhere with QUALITY_CONFIG
# set to its absolute path. /app/data is for SQLite (DATABASE_URL=sqlite:///app/data/quality.db):
# a volume mounted there starts out owned by the app's user.
WORKDIR /app
USER quality

# Matplotlib builds its font cache on first import; do it now so the first digest chart does
# not pay for it (its fonts ship in the wheel). The sentiment models need nothing of the kind:
# lingua's are in its wheel, VADER's and TextBlob's lexicons in theirs, nothing is downloaded.
RUN python -c "import matplotlib.font_manager"

EXPOSE 3000

# /healthz is 200 while the database answers (README). Stdlib only: the slim image has no curl.
# No proxy for a loopback request, whatever HTTP(S)_PROXY says; PORT as `serve` reads it.
# The start period covers migrations, the Slack token check and the first user-group sync.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.build_opener(r.ProxyHandler({})).open('http://127.0.0.1:%s/healthz' % (os.environ.get('PORT', '').strip() or '3000'), timeout=4)"]

ENTRYPOINT ["quality-bot"]
CMD ["serve"]
