"""Tooling shared by the tests, the scripts, the compose proof and `dev.py up`; never shipped in an image.

- `paths`: the repository's folders and fixture buckets;
- `waiting`: the one "poll until it answers" loop (sync and async);
- `processes`: free ports, starting and stopping processes, the API and Streamlit on loopback;
- `browser`: where Chromium is and how it is launched;
- `prometheus`: reading a `/metrics` text exposition;
- `stats`: percentiles;
- `emulator`: fake-gcs-server;
- `devserver`: the processes of `python3 dev.py up`, supervised by honcho;
- `streamlit_viewer`: a Streamlit viewer without a browser (the page's websocket protocol);
- `dashboard_load`: many such viewers at once, per-view times, CPU and memory (`scripts/load_dashboards.py`).
"""
