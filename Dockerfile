# termsgate: `termsgate serve` on a slim Python 3.11, as a fixed non-root user.
# Only requirements/runtime.lock (hash-checked), the termsgate wheel and its migrations reach
# the final image.

FROM python:3.11.14-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src

# The runtime venv: every dependency pinned and hash-checked; no pip or setuptools inside it.
COPY requirements/runtime.lock requirements/build.lock requirements/
RUN python -m venv --without-pip /opt/venv \
 && python -m pip --python /opt/venv/bin/python install --require-hashes --only-binary=:all: \
        -r requirements/runtime.lock

# The app as a wheel, built by the hash-checked setuptools in a throwaway venv, then installed
# without dependencies. The wheel carries the migrations beside the app package.
COPY pyproject.toml README.md ./
COPY app app
COPY migrations migrations
RUN python -m venv /opt/build \
 && /opt/build/bin/pip install --require-hashes -r requirements/build.lock \
 && /opt/build/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /dist . \
 && python -m pip --python /opt/venv/bin/python install --no-deps /dist/termsgate-*.whl


FROM python:3.11.14-slim-bookworm

ARG UID=10001
RUN groupadd --system --gid "${UID}" termsgate \
 && useradd --system --uid "${UID}" --gid termsgate --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin termsgate \
 && install -d -o termsgate -g termsgate /var/lib/termsgate

COPY --from=builder /opt/venv /opt/venv

# The working directory only matters for the default SQLite store (./termsgate.db).
WORKDIR /var/lib/termsgate
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/termsgate-metrics \
    TERMSGATE_WORKERS=1

USER ${UID}:${UID}
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/live', timeout=2)"]

# --workers defaults to $TERMSGATE_WORKERS (app/cli/parser.py): docker run -e TERMSGATE_WORKERS=4 ...
ENTRYPOINT ["termsgate"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
