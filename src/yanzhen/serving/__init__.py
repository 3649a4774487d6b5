"""Serving the platform in production: the application server's configuration
(:mod:`yanzhen.serving.gunicorn`), the health and readiness checks (:mod:`.health`) and the
Prometheus metrics (:mod:`.metrics`). See docs/deploy.md."""
