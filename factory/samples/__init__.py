"""Bundled sample data: the sample RVTools workbook and the generator that writes it (and
the test and benchmark workbooks) from a small estate description."""

from pathlib import Path

SAMPLE_RVTOOLS = Path(__file__).with_name("sample-rvtools.xlsx")
