from lvzhi.org.validators import gender_from_id, id_number_error, make_id_number, mobile_error


def test_a_valid_id_number_passes_and_tells_gender():
    number = make_id_number("11010519491231002")
    assert number == "11010519491231002X"
    assert id_number_error(number) is None
    assert gender_from_id(number) == "F"


def test_a_wrong_check_digit_is_refused():
    assert id_number_error("110105194912310021") is not None


def test_an_impossible_birth_date_is_refused():
    assert id_number_error(make_id_number("11010519490231002")) is not None


def test_mobile_numbers():
    assert mobile_error("13800138000") is None
    assert mobile_error("12800138000") is not None
    assert mobile_error("1380013800") is not None
