"""Streamlit's floor for the capacity runs: one Plotly chart and the selectbox that picks what it shows.

What any Streamlit page with one chart and one widget costs the server per view, measured beside
the dashboards by `scripts/load_dashboards.py`: a week plus a day of hourly values (as the forecast
chart) drawn with `st.plotly_chart`, and a selectbox (`key="phase"`) whose change reruns the page.
"""

import math

import plotly.graph_objects as go
import streamlit as st

phase = st.selectbox("Phase (hours)", [0, 6, 12, 18], key="phase")
hours = list(range(192))
values = [50 + 30 * math.sin((hour + phase) / 24 * 2 * math.pi) for hour in hours]
st.plotly_chart(go.Figure(go.Scatter(x=hours, y=values)))
