"""The analysis notebook runs top to bottom against the library."""
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def test_data_and_errors_notebook_executes(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "01-data-and-errors.ipynb", as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_archive_analysis_notebook_executes(trained, monkeypatch):
    """Notebook 02 makes its own batch output with the batch engine, scored by the session's model."""
    monkeypatch.setenv("BAOCAO_MODEL", str(trained[1]))
    nb = nbformat.read(ROOT / "notebooks" / "02-archive-analysis.ipynb", as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    outputs = [o for cell in code for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert all(cell.get("outputs") for cell in code)  # every step printed something: it ran to the end
