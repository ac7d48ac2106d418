import pytest
from django.core.management import CommandError, call_command

from contact_reasons.models import ReasonModel

pytestmark = pytest.mark.django_db(transaction=True)


def test_command_trains_from_the_examples_and_refuses_without_labels(few_labels_needed, capsys):
    with pytest.raises(CommandError, match="0 of the 40 labelled conversations needed"):
        call_command("contact_reasons_train")
    call_command("contact_reasons_train", "--with-examples")
    assert "Trained version 1 on 248 labels" in capsys.readouterr().out
    assert ReasonModel.objects.get().version == 1
