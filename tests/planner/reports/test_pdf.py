"""coverage-proof.pdf: A4 pages whose text (pypdf) carries the Chinese role names, every date of
the period, the digest, the gaps and the provisional marker."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from models.loader import load_scenario
from models.roster import Roster
from planner.check.validate import validate
from planner.problem.instance import Instance
from planner.problem.labels import PROVISIONAL_ZH
from planner.reports.pdf import pdf_bytes
from planner.reports.proof import build_proof
from tests.conftest import ROOT
from tests.planner.reports import sample
from tests.planner.reports.sample import FULL, roster, without

D = dt.date


def pdf_text(proof) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf_bytes(proof)))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def dates(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_pdf_has_role_names_every_date_and_the_digest(tmp_path):
    scenario = sample.load(tmp_path)
    inst = sample.instance(scenario)
    r = roster(without(("2026-09-29", "N", "S07", "image")))
    proof = build_proof(inst, r, validate(inst, r))
    reader, text = pdf_text(proof)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.01)
    for role in scenario.roles:
        assert role.name in text
    for d in dates(sample.START, sample.END):
        assert d.isoformat() in text
    assert proof.digest.combined in text.replace("\n", "")
    assert "服务覆盖证明" in text and "签字" in text
    # The one gap, with its clause, and the people on duty by name.
    assert "附件二 一.3；服务方案 2.3.3" in text
    assert "陈博伟" in text and "段雨林" in text
    # The buyer reads it: no scenario keys on any page.
    assert not any(word in text for word in ("staff[", "hourly_rate", "contract.", "rules."))


def test_every_font_is_embedded_and_it_is_the_regular_noto_sans_sc(tmp_path):
    """issue 12: the proof renders the same on any machine, so no font is left to the reader:
    each font on every page carries its own TrueType program (FontFile2)."""
    scenario = sample.load(tmp_path)
    inst = sample.instance(scenario)
    r = roster(FULL)
    reader = PdfReader(io.BytesIO(pdf_bytes(build_proof(inst, r, validate(inst, r)))))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font["/FontDescriptor"].get_object()
    assert fonts, "the PDF uses no font at all"
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert name.endswith("+NotoSansSC-Regular"), name  # a subset of the Regular instance


def test_contract_week_in_2027_is_marked_provisional(tmp_path):
    """The contract's five roles by name, each date of a 2027 week, and the provisional marker."""
    scenario = load_scenario(ROOT / "scenarios" / "contract-2026.yaml")
    start, end = D(2027, 1, 4), D(2027, 1, 10)
    inst = Instance(scenario, start, end)
    empty = Roster(start=start, end=end, assignments=())
    proof = build_proof(inst, empty, validate(inst, empty))
    _, text = pdf_text(proof)
    for role in scenario.roles:
        assert role.name in text
    for d in dates(start, end):
        assert d.isoformat() in text
    assert PROVISIONAL_ZH in text


def test_full_roster_pdf_reports_no_gap(tmp_path):
    scenario = sample.load(tmp_path)
    inst = sample.instance(scenario)
    proof = build_proof(inst, roster(FULL), validate(inst, roster(FULL)))
    _, text = pdf_text(proof)
    assert "报告期内没有缺员班次" in text
    assert "缺员 缺" not in text
