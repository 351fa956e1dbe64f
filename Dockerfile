# The production image of `quality-bot serve` (docs/operations/docker.md).
#   docker build -t quality-bot .
#   docker run --read-only --tmpfs /tmp --env-file .env \
#     -v "$PWD/quality.yml:/app/quality.yml:ro" -p 3000:3000 quality-bot
# Any other command runs the same way: `docker run … quality-bot migrate`.
# Needs BuildKit (Docker's default builder since 23.0) for the RUN --mount below.

ARG PYTHON_VERSION=3.11

# --- requirements: pyproject's [project].dependencies as a requirements file ----------------
# A stage of its own so that the dependencies below are reinstalled only when this list or
# constraints.txt changes, not when any other line of pyproject.toml does.
FROM python:${PYTHON_VERSION}-slim AS requirements

WORKDIR /src
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.txt

# --- deps: the pinned dependencies alone, in the venv the runtime stage copies ----------------
FROM python:${PYTHON_VERSION}-slim AS deps

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
COPY constraints.txt ./
COPY --from=requirements /src/requirements.txt ./

# Only wheels: every runtime pin in constraints.txt has one for CPython 3.11 on manylinux, so
# no compiler is needed and a pin that lost its wheel fails here, not at run time. The one
# exception is ipadic (MeCab's dictionary for Japanese), published only as an sdist: it is data
# and a setup.py, built into a wheel without a compiler (a name given to --no-binary wins over
# --only-binary=:all: for that package alone). No extras: the runtime has no ruff, mypy, pytest
# or hypothesis.
RUN python -m venv /opt/quality-bot \
 && /opt/quality-bot/bin/pip install --only-binary=:all: --no-binary=ipadic \
      -c constraints.txt -r requirements.txt

# --- build: the project itself as a wheel (pure Python, a few hundred KB) ----------------------
FROM python:${PYTHON_VERSION}-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
# README.md is the package's long description (pyproject's `readme`), so the wheel needs it.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
RUN python -m pip wheel --no-deps --wheel-dir /wheels .

# --- runtime: the venv, a non-root user, nothing else -----------------------------------------
FROM python:${PYTHON_VERSION}-slim

RUN groupadd --system --gid 10001 quality \
 && useradd --system --uid 10001 --gid quality --create-home --home-dir /home/quality quality \
 && mkdir -p /app/data \
 && chown -R quality:quality /app

# The root filesystem may be read-only (docs/operations/docker.md, "Read-only root filesystem"): the only places
# written at run time are /tmp (matplotlib's cache, and temporary files such as SQLite's) and
# /app/data (the SQLite database). Matplotlib needs a writable cache directory or it cannot be
# imported; its font list is rebuilt there at start, in about a tenth of a second.
ENV PATH=/opt/quality-bot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/quality \
    MPLCONFIGDIR=/tmp/matplotlib

# Two layers: the dependencies (hundreds of MB, unchanged by a code change) and the project on
# top of them (its wheel, installed without dependencies: they are all in the layer below, and
# `pip check` fails the build if pyproject.toml asks for one they do not satisfy).
COPY --from=deps /opt/quality-bot /opt/quality-bot
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    /opt/quality-bot/bin/pip install --no-deps --no-index /wheels/quality_bot-*.whl \
 && /opt/quality-bot/bin/pip check

# The working directory is where settings look for quality.yml (QUALITY_CONFIG, default
# quality.yml) and .env: mount quality.yml at /app/quality.yml, or anywhere with QUALITY_CONFIG
# set to its absolute path. /app/data is for SQLite (DATABASE_URL=sqlite:///app/data/quality.db):
# a volume mounted there starts out owned by the app's user.
WORKDIR /app
USER quality

# Nothing is downloaded at run time: lingua's models, VADER's and TextBlob's lexicons,
# IPAdic and matplotlib's fonts are in their wheels.

EXPOSE 3000

# /healthz is 200 while the database answers (docs/operations/health.md). Stdlib only: the slim image has no curl.
# No proxy for a loopback request, whatever HTTP(S)_PROXY says; PORT as `serve` reads it.
# The start period covers migrations, the Slack token check and the first user-group sync.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.build_opener(r.ProxyHandler({})).open('http://127.0.0.1:%s/healthz' % (os.environ.get('PORT', '').strip() or '3000'), timeout=4)"]

ENTRYPOINT ["quality-bot"]
CMD ["serve"]
