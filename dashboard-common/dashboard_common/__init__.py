"""What both dashboards share: API client, wire-hour conversion, labels, chart look, freshness."""
