"""Cells a spreadsheet shows as text, never runs as a formula (OWASP: CSV
injection). A party's name, a note or a title is typed by people outside
the agency too; opened in Excel, "=HYPERLINK(...)" or "+cmd|..." would run.
A CSV cell starting with a formula character gets a leading apostrophe
(Excel's own mark for text); an XLSX string is written typed as a string."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def runs_as_formula(text: str) -> bool:
    """openpyxl stores a string starting with "=" as a formula."""
    return text.startswith("=")
