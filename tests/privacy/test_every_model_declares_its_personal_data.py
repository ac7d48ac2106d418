"""Every table says whether it holds personal data and, if so, how a person's rows are erased:
a new model without a declaration fails here (and warns at start-up), so none is forgotten."""

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from core.data_protection import declarations, holds_none, undeclared
from privacy.checks import models_declared, undeclared_warnings


def test_every_model_of_every_installed_app_is_declared():
    missing = [m._meta.label for m in undeclared(list(apps.get_models()))]
    assert missing == [], f"{missing}: declare each in its app's personal_data.py"
    assert models_declared() == []


def test_each_declaration_that_holds_personal_data_can_erase():
    for d in declarations():
        if d.holds_personal_data:
            assert callable(d.erase), d.model._meta.label
        else:
            assert d.why and d.erase is None, d.model._meta.label


@isolate_apps("privacy")
def test_a_new_model_without_a_declaration_is_found_and_warned_about():
    class Voucher(models.Model):
        holder_name = models.CharField(max_length=100)

        class Meta:
            app_label = "privacy"

    assert undeclared([Voucher]) == [Voucher]
    [warning] = undeclared_warnings([Voucher])
    assert warning.id == "privacy.W001"
    assert "privacy.Voucher does not say whether it holds personal data" in warning.msg

    holds_none(Voucher, why="a test model")
    assert undeclared([Voucher]) == []
