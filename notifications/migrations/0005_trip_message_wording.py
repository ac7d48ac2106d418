"""Trip messages that read more naturally, and delays that say the expected arrival.

Rows that still carry the wording as first shipped get the new wording (and, for delays, the
arrival as one more variable); a body an operator changed is left as it is.
"""

from django.db import migrations

OLD_BODIES = {
    "gate_changed": {
        ("nl", "formal"): "Beste {{1}}, uw vlucht {{2}} naar {{3}} vertrekt nu vanaf gate {{4}}.",
        ("nl", "informal"): "Hoi {{1}}, je vlucht {{2}} naar {{3}} vertrekt nu vanaf gate {{4}}.",
    },
    "boarding": {
        (
            "nl",
            "formal",
        ): "Beste {{1}}, het boarden voor vlucht {{2}} naar {{3}} is begonnen. {{4}}",
        (
            "nl",
            "informal",
        ): "Hoi {{1}}, het boarden voor vlucht {{2}} naar {{3}} is begonnen. {{4}}",
    },
    "delayed": {
        (
            "nl",
            "formal",
        ): "Beste {{1}}, uw vlucht {{2}} naar {{3}} is vertraagd. Nieuwe vertrektijd: {{4}} (was {{5}}), lokale tijd. {{6}}",
        (
            "nl",
            "informal",
        ): "Hoi {{1}}, je vlucht {{2}} naar {{3}} is vertraagd. Nieuwe vertrektijd: {{4}} (was {{5}}), lokale tijd. {{6}}",
        (
            "en",
            "formal",
        ): "Dear {{1}}, your flight {{2}} to {{3}} is delayed. New departure time: {{4}} (was {{5}}), local time. {{6}}",
        (
            "en",
            "informal",
        ): "Hi {{1}}, your flight {{2}} to {{3}} is delayed. New departure time: {{4}} (was {{5}}), local time. {{6}}",
    },
    "departed": {
        (
            "nl",
            "formal",
        ): "Beste {{1}}, vlucht {{2}} naar {{3}} is om {{4}} vertrokken. Verwachte aankomst: {{5}} lokale tijd. Goede reis!",
        (
            "nl",
            "informal",
        ): "Hoi {{1}}, vlucht {{2}} naar {{3}} is om {{4}} vertrokken. Verwachte aankomst: {{5}} lokale tijd. Goede reis!",
        (
            "en",
            "formal",
        ): "Dear {{1}}, flight {{2}} to {{3}} departed at {{4}}. Expected arrival: {{5}} local time. Have a good trip!",
        (
            "en",
            "informal",
        ): "Hi {{1}}, flight {{2}} to {{3}} took off at {{4}}. Expected arrival: {{5}} local time. Have a good trip!",
    },
    "arrived": {
        (
            "nl",
            "formal",
        ): "Beste {{1}}, vlucht {{2}} is om {{4}} lokale tijd geland in {{3}}. {{5}}",
        (
            "nl",
            "informal",
        ): "Hoi {{1}}, vlucht {{2}} is om {{4}} lokale tijd geland in {{3}}. {{5}}",
        ("en", "formal"): "Dear {{1}}, flight {{2}} landed in {{3}} at {{4}} local time. {{5}}",
        ("en", "informal"): "Hi {{1}}, flight {{2}} landed in {{3}} at {{4}} local time. {{5}}",
    },
    "cancelled": {
        (
            "nl",
            "formal",
        ): "Beste {{1}}, het spijt ons: uw vlucht {{2}} naar {{3}} op {{4}} is geannuleerd. {{5}}",
        (
            "nl",
            "informal",
        ): "Hoi {{1}}, het spijt ons: je vlucht {{2}} naar {{3}} op {{4}} is geannuleerd. {{5}}",
    },
    "group_departed": {
        (
            "nl",
            "formal",
        ): "De vlucht {{2}} van {{1}} naar {{3}} is om {{4}} vertrokken. Verwachte aankomst: {{5}} lokale tijd.",
        (
            "nl",
            "informal",
        ): "De vlucht {{2}} van {{1}} naar {{3}} is om {{4}} vertrokken. Verwachte aankomst: {{5}} lokale tijd.",
    },
    "group_delayed": {
        (
            "nl",
            "formal",
        ): "De vlucht {{2}} van {{1}} naar {{3}} is vertraagd. Nieuwe vertrektijd: {{4}} (was {{5}}), lokale tijd.",
        (
            "nl",
            "informal",
        ): "De vlucht {{2}} van {{1}} naar {{3}} is vertraagd. Nieuwe vertrektijd: {{4}} (was {{5}}), lokale tijd.",
        (
            "en",
            "formal",
        ): "{{1}}'s flight {{2}} to {{3}} is delayed. New departure time: {{4}} (was {{5}}), local time.",
        (
            "en",
            "informal",
        ): "{{1}}'s flight {{2}} to {{3}} is delayed. New departure time: {{4}} (was {{5}}), local time.",
    },
    "group_arrived": {
        ("nl", "formal"): "De vlucht {{2}} van {{1}} is om {{4}} lokale tijd geland in {{3}}.",
        ("nl", "informal"): "De vlucht {{2}} van {{1}} is om {{4}} lokale tijd geland in {{3}}.",
        ("en", "formal"): "{{1}}'s flight {{2}} to {{3}} landed at {{4}}.",
        ("en", "informal"): "{{1}}'s flight {{2}} to {{3}} landed at {{4}}.",
    },
    "group_cancelled": {
        ("nl", "formal"): "De vlucht {{2}} van {{1}} naar {{3}} op {{4}} is geannuleerd.",
        ("nl", "informal"): "De vlucht {{2}} van {{1}} naar {{3}} op {{4}} is geannuleerd.",
    },
    "group_gate_changed": {
        ("nl", "formal"): "De vlucht {{2}} van {{1}} naar {{3}} vertrekt nu vanaf gate {{4}}.",
        ("nl", "informal"): "De vlucht {{2}} van {{1}} naar {{3}} vertrekt nu vanaf gate {{4}}.",
    },
}


def _load(apps, schema_editor):
    from notifications.catalogue import DEFAULTS

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for kind, bodies in OLD_BODIES.items():
        variables, new_bodies = DEFAULTS[kind]
        for (language, formality), old in bodies.items():
            MessageTemplate.objects.filter(
                kind=kind, language=language, formality=formality, body=old
            ).update(body=new_bodies[(language, formality)], variables=variables)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_update_groups")]

    operations = [migrations.RunPython(_load, migrations.RunPython.noop)]
