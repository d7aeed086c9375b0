"""Coordinators' reports on the demand log: summary, text, CSV, HTML, PNG chart and posters."""

from bot.reports.chart_png import render_chart_png
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
    "Report",
    "csv_writer",
    "load_labels",
    "read_report",
    "render_chart_png",
    "render_html",
    "render_text",
    "summarise",
    "summary_of",
]
