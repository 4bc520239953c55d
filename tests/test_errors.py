import inspect

import pytest

from tradetrace import errors


def _error_classes():
    return [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, errors.TradeTraceError)
    ]


def test_error_codes_are_unique_and_snake_case():
    codes = [cls.code for cls in _error_classes()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert code == code.lower() and " " not in code


def test_every_error_class_is_drawn_in_the_module_docstring():
    for cls in _error_classes():
        assert cls.__name__ in errors.__doc__
        assert cls.code in errors.__doc__


def test_invalid_document_lists_every_problem():
    problems = [errors.FieldProblem(f"f{index}", "bad") for index in range(7)]
    error = errors.InvalidDocument.from_problems("thing", problems)
    assert error.problems == tuple(problems)
    assert str(error).startswith("invalid thing: f0: bad; f1: bad")
    assert "(and 2 more)" in str(error)
    with pytest.raises(errors.InvalidDocument, match="invalid thing") as caught:
        raise error
    assert caught.value.code == "invalid_document"
