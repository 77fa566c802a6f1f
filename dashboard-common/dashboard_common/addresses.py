"""Where the three services listen by default: one place for the ports every Python module uses.

The API's own default port is its setting `APP_API_PORT` (api/config.py); the images, compose file
and `.streamlit/config.toml` state the same numbers in their own formats.
"""

API_PORT = 8001
FRONTEND_PORT = 8501
MONITORING_PORT = 8502
# Dashboards take the API's root; each calls `/api/v2` under it (see `client.api_root`).
DEFAULT_API_ROOT = f"http://localhost:{API_PORT}"
