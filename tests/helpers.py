"""Paths and names shared by the tests (one small fixture set, as in ontology-access-kit)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REAL_PAGE = SEEDS / "000_cf26a15490124fcc.txt"
REAL_ROLE = "DATASC.AIMACHIN97C0.P7"
REAL_FOCUS = "DATASC.AIMACHIN97C0"
