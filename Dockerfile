# The kehoach API and web page. Used by docker-compose.yml (with Elasticsearch); runs alone
# with the embedded engine too: docker run -p 8000:8000 -v kehoach-data:/data kehoach
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KEHOACH_DATA=/data \
    KEHOACH_BACKEND=embedded

WORKDIR /app
# curl for the healthcheck; Tesseract and its Vietnamese model to OCR scans; catdoc for .doc
RUN apt-get update && apt-get install -y --no-install-recommends curl \
        tesseract-ocr tesseract-ocr-vie catdoc \
    && rm -rf /var/lib/apt/lists/*

# dependencies first (cached while only the code changes)
COPY pyproject.toml README.md ./
RUN mkdir -p kehoach extraction index archive api corpus && touch kehoach/__init__.py \
    && pip install . && pip uninstall -y kehoach
COPY . .
RUN pip install --no-deps . \
    && useradd --create-home --uid 1000 kehoach \
    && mkdir -p /data && chown kehoach /data

USER kehoach
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
    CMD curl -fsS http://localhost:8000/ >/dev/null || exit 1

# Ingest the sample plans on first start (empty archive), then serve.
CMD ["sh", "-c", "if [ ! -s \"$KEHOACH_DATA/archive.db\" ]; then kehoach ingest /app/corpus/samples || true; fi; exec kehoach serve --host 0.0.0.0 --port 8000"]
