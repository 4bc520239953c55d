"""Meta-tests: every package's ``__all__`` is sorted and names only what exists."""

import importlib
import pkgutil

import pytest

import tradetrace


def _modules():
    yield tradetrace
    for info in pkgutil.walk_packages(tradetrace.__path__, "tradetrace."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions, each sorted."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


@pytest.mark.parametrize("module", list(_modules()), ids=lambda module: module.__name__)
def test_all_is_sorted_and_complete(module):
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module.__name__} has no __all__"
    expected = sorted(exported, key=_isort_key)
    assert list(exported) == expected, f"{module.__name__}.__all__ is not sorted"
    for name in exported:
        assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"


@pytest.mark.parametrize("module", list(_modules()), ids=lambda module: module.__name__)
def test_public_names_have_docstrings(module):
    assert module.__doc__, f"{module.__name__} has no docstring"
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if callable(obj) and getattr(obj, "__module__", "").startswith("tradetrace"):
            assert obj.__doc__, f"{module.__name__}.{name} has no docstring"
