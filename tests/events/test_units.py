import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.events import units


def test_convert_within_a_dimension():
    assert units.convert(units.Quantity(2, "TNE"), "KGM") == 2000
    assert units.convert(units.Quantity(1, "BLL"), "LTR") == pytest.approx(158.987294928)
    assert units.convert(units.Quantity(1e6, "BTU"), "MMBtu") == pytest.approx(1.0)
    assert units.convert(units.Quantity(10, "N72"), "MMBTU") == pytest.approx(0.99976, rel=1e-4)
    assert units.unit(None).dimension is units.Dimension.COUNT


def test_convert_refuses_other_dimensions():
    with pytest.raises(
        InvalidDocument, match="cannot convert 5 BLL to TNE: volume is not mass"
    ) as e:
        units.convert(units.Quantity(5, "BLL"), "TNE")
    assert e.value.code == "invalid_document"


def test_unknown_unit_is_named():
    with pytest.raises(InvalidDocument, match="unknown unit of measure 'XYZ'") as e:
        units.unit("XYZ")
    assert e.value.code == "invalid_document"
