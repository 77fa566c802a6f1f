"""What both dashboards share: the API client and status, the status widget, link parameters, the hourly
axis, figures and the chart look, labels, and the start with its warm-up."""
