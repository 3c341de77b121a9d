import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_date, env_int, env_list, env_str


def test_required_variable_message_names_it(monkeypatch):
    monkeypatch.delenv("SOME_SETTING", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SETTING must be set. Do this"):
        env_str("SOME_SETTING", hint="Do this.")


def test_defaults_and_parsing(monkeypatch):
    monkeypatch.setenv("A_BOOL", "yes")
    monkeypatch.setenv("AN_INT", "42")
    monkeypatch.setenv("A_LIST", "a.example, ,b.example")
    assert env_bool("A_BOOL", False) is True
    assert env_bool("MISSING_BOOL", True) is True
    assert env_int("AN_INT", 0) == 42
    assert env_list("A_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("AN_INT", "forty")
    with pytest.raises(ImproperlyConfigured, match="AN_INT must be a whole number"):
        env_int("AN_INT", 0)


def test_dates(monkeypatch):
    import datetime

    monkeypatch.setenv("A_DATE", "2027-04-01")
    monkeypatch.setenv("NO_DATE", "")
    assert env_date("A_DATE") == datetime.date(2027, 4, 1)
    assert env_date("NO_DATE") is None and env_date("MISSING_DATE") is None
    monkeypatch.setenv("A_DATE", "1 April 2027")
    with pytest.raises(ImproperlyConfigured, match="A_DATE must be a date as YYYY-MM-DD"):
        env_date("A_DATE")
