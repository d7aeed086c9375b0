"""Coordinators' reports on the demand log: summary, text, CSV, HTML, PNG chart and posters."""

from bot.reports.chart_png import Picture, stats_picture
from bot.reports.csv_export import CSV_COLUMNS, csv_writer
from bot.reports.html_report import render_html
from bot.reports.labels import Labels, load_labels
from bot.reports.reading import Report, read_report
from bot.reports.summary import DemandSummary, summarise, summary_of
from bot.reports.text import render_text

__all__ = [
    "CSV_COLUMNS",
    "DemandSummary",
    "Labels",
    "Picture",
    "Report",
    "csv_writer",
    "load_labels",
    "read_report",
    "render_html",
    "render_text",
    "stats_picture",
    "summarise",
    "summary_of",
]
