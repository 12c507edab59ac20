# lead-bot in a container. tests/test_packaging.py runs these same steps outside Docker (build the
# wheel, install it into a fresh venv, run from an empty directory), so keep the two in step.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/lead-bot/bin:$PATH PORT=3000
COPY --from=build /wheels /wheels
RUN python -m venv /opt/lead-bot \
    && /opt/lead-bot/bin/python -m pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 lead
USER lead
# An empty working directory: nothing but the installed package is needed. The default SQLite file
# (sqlite:///lead.db) lands here; mount a volume on it, or set DATABASE_URL to PostgreSQL.
WORKDIR /home/lead/data
EXPOSE 3000
# /healthz of `serve`, or of `worker` / Socket Mode `run` when LEAD_HEALTH_PORT is set.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % (os.environ.get('LEAD_HEALTH_PORT') or os.environ.get('PORT') or '3000'), timeout=4)"
CMD ["lead-bot", "serve"]
