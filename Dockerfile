# Production image: gunicorn for the web, the same image for Celery workers and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint needs Pango; gettext compiles the French messages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY requirements/ requirements/
# The project declares its dependencies in pyproject.toml; the constraints pin every version.
RUN pip install --no-cache-dir -c requirements/constraints.txt .
COPY . .
# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') DATABASE_URL=sqlite:////tmp/build.db \
    python manage.py collectstatic --noinput \
    && python manage.py compilemessages -l fr --ignore=.venv \
    && useradd --system --uid 1000 portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "1000", "--max-requests-jitter", "100", "--access-logfile", "-"]
