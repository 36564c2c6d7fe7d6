"""Exports for people who do not use Python: a CSV per table, an Excel workbook, a data package.

Imports ``analysis`` and below.
"""

from .tables import DATA_PACKAGE, EXPORT_TABLES, FORMATS, WORKBOOK, export_data, export_tables

__all__ = ["DATA_PACKAGE", "EXPORT_TABLES", "FORMATS", "WORKBOOK", "export_data", "export_tables"]
