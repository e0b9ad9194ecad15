"""Issue 19: Debian's Virtuoso cuts every answer at `ResultSetMaxRows = 10000` and the answer looks whole.

A 10,000-page graph has 10,003 roles: `rolegraph query roles --endpoint` printed 10,000 of them, exit 0. Virtuoso
says so only in a header, `X-SPARQL-MaxRows: 10000` (seen on Virtuoso 7.2.5 with the cap set to 5: the header
came with the cut answer and not with one under the cap). A cut answer is now refused with exit 3, naming
the setting; the fault server's `/capped` answers as Virtuoso does (one row, cap 1).
"""

from __future__ import annotations

from rolegraph.errors import EXIT_REMOTE
from tests.helpers import invoke
from tests.servers import fault_server


def test_an_answer_cut_at_the_stores_row_cap_is_refused() -> None:
    with fault_server() as base:
        code, out, err = invoke("query", "roles", "--endpoint", base + "/capped", "--retries", "0")
        whole = invoke("query", "roles", "--endpoint", base + "/ok", "--retries", "0")
    assert code == EXIT_REMOTE and out == "", err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "cut the answer at 1 row" in err and "ResultSetMaxRows" in err
    assert whole[0] == 0 and whole[2] == ""  # the same answer without the header
