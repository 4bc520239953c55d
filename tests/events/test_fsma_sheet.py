import csv
import io
import re
import zipfile
from pathlib import Path

from tradetrace.events import fsma_sheet

DOCS = Path(__file__).parents[2] / "docs" / "fsma204.md"


def test_documented_headings_are_the_exported_columns_in_order():
    rows = re.findall(r"^\| (\d+) \| ([^|]+?) \|", DOCS.read_text(), flags=re.MULTILINE)
    assert [int(number) for number, _ in rows] == list(range(1, len(rows) + 1))
    assert tuple(heading for _, heading in rows) == fsma_sheet.COLUMNS


def test_csv_and_xlsx_header_rows_are_the_columns():
    row = ["x"] * len(fsma_sheet.COLUMNS)
    header, data = list(csv.reader(io.StringIO(fsma_sheet.to_csv([row]).decode())))
    assert tuple(header) == fsma_sheet.COLUMNS and data == row
    with zipfile.ZipFile(io.BytesIO(fsma_sheet.to_xlsx([row]))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    first_row = re.search(r'<row r="1">(.*?)</row>', sheet).group(1)
    assert tuple(re.findall(r"<t[^>]*>([^<]*)</t>", first_row)) == fsma_sheet.COLUMNS
    assert '<autoFilter ref="A1:V2"/>' in sheet
