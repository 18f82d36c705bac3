# Production-like image for the iPaaS.com integrator portal.
# One image serves the web process (default CMD), the Celery worker and Celery beat;
# docker-compose.yml shows how the three are run together with Postgres and Redis.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings

# An unprivileged user with a writable home (gunicorn puts its control socket in ~/.gunicorn).
RUN groupadd --system portal \
 && useradd --system --gid portal --create-home --home-dir /home/portal --shell /usr/sbin/nologin portal

WORKDIR /app

# Dependencies first, so code changes do not invalidate this layer.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes --no-cache-dir -r requirements/base.txt

# Only what the running portal needs: not .venv, .git, tests or a local db.sqlite3.
COPY manage.py ./
COPY portal ./portal
COPY templates ./templates
COPY static ./static

# Static files are built into the image (served by WhiteNoise). The SECRET_KEY here exists
# only for this RUN line and is not kept in the image's environment. The code and static
# files stay owned by root (read-only to the app); only /app/media is writable by it.
RUN PORTAL_ENV=production SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media \
 && chown portal:portal /app/media

USER portal

EXPOSE 8000

# Django rejects a Host it does not know with 400, so the check sends the first
# ALLOWED_HOSTS entry as Host instead of "127.0.0.1:8000". /healthz is exempt from the
# HTTPS redirect and answers 503 when the database, cache or broker is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)" || exit 1

CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
