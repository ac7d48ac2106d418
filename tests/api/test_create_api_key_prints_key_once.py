import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import ApiKey
from tests.api.helpers import Api


@pytest.mark.django_db
def test_command_prints_the_key_alone_on_the_last_line_and_stores_only_its_hash():
    out = io.StringIO()

    call_command("create_api_key", "booking engine", stdout=out)

    key = out.getvalue().rstrip("\n").splitlines()[-1]
    assert key.startswith("tf_") and " " not in key and len(key) > 40
    row = ApiKey.objects.get()
    assert row.name == "booking engine"
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.split("_")[1] == row.prefix
    stored = [str(v) for v in ApiKey.objects.values_list(flat=False).get()]
    assert not any(key in v or key.split("_", 2)[2] in v for v in stored)
    assert Api(key).put_booking().status_code == 201


@pytest.mark.django_db
def test_each_run_makes_a_different_key():
    keys = set()
    for _ in range(3):
        out = io.StringIO()
        call_command("create_api_key", "partner", stdout=out)
        keys.add(out.getvalue().splitlines()[-1])

    assert len(keys) == 3 and ApiKey.objects.count() == 3


@pytest.mark.django_db
def test_blank_name_is_refused():
    with pytest.raises(CommandError, match="NAME"):
        call_command("create_api_key", "  ")
    assert not ApiKey.objects.exists()
