import pytest

from tradetrace.events.cbv import Vocabulary, code_list


def test_code_lists_have_the_cbv_2_0_sizes():
    sizes = {vocabulary: len(code_list(vocabulary).codes) for vocabulary in Vocabulary}
    assert sizes == {
        Vocabulary.BIZ_STEP: 41,
        Vocabulary.DISPOSITION: 33,
        Vocabulary.BIZ_TRANSACTION_TYPE: 13,
        Vocabulary.SOURCE_DESTINATION_TYPE: 3,
        Vocabulary.ERROR_REASON: 2,
        Vocabulary.COMPONENT: 14,
        Vocabulary.MEASUREMENT_TYPE: 72,
        Vocabulary.SENSOR_ALERT_TYPE: 2,
    }


@pytest.mark.parametrize(
    "spelling",
    [
        "shipping",
        "https://ref.gs1.org/cbv/BizStep-shipping",
        "urn:epcglobal:cbv:bizstep:shipping",
        "cbv:BizStep-shipping",
    ],
)
def test_every_spelling_of_a_standard_value_is_accepted_and_expanded(spelling):
    steps = code_list(Vocabulary.BIZ_STEP)
    assert steps.problem(spelling) is None
    assert steps.web_uri(spelling) == "https://ref.gs1.org/cbv/BizStep-shipping"


def test_measurement_types_expand_to_the_gs1_web_vocabulary():
    types = code_list(Vocabulary.MEASUREMENT_TYPE)
    assert types.web_uri("Temperature") == "https://ref.gs1.org/voc/Temperature"
    assert types.web_uri("gs1:Temperature") == "https://ref.gs1.org/voc/Temperature"
    assert types.problem("gs1:Warmth") == "'Warmth' is not a CBV 2.0 sensor measurement type"


OWN_VALUE = "; a value of your own must be a namespaced URI"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("loading", None),
        ("https://ns.example.com/steps/weighing", None),
        ("example:weighing", None),
        ("urn:example:step:weighing", None),
        ("weighing", "'weighing' is not a CBV 2.0 business step" + OWN_VALUE),
        ("urn:epcglobal:cbv:bizstep:weighing", "'weighing' is not a CBV 2.0 business step"),
        ("https://ref.gs1.org/cbv/BizStep-weighing", "'weighing' is not a CBV 2.0 business step"),
        ("http:weighing", "'http:weighing' is not a well-formed URI"),
        ("my step:x", "'my step:x' is not a well-formed URI"),
    ],
)
def test_problem_explains_what_is_wrong(value, reason):
    assert code_list(Vocabulary.BIZ_STEP).problem(value) == reason


def test_custom_values_have_no_web_uri():
    assert code_list(Vocabulary.DISPOSITION).web_uri("https://ns.example.com/disp/held") is None
    assert code_list(Vocabulary.COMPONENT).web_uri("latitude") == (
        "https://ref.gs1.org/cbv/Comp-latitude"
    )
