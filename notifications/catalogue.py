"""The default wording of every message kind, per language and form of address.

Each body uses numbered placeholders exactly as an approved WhatsApp/Messenger template does;
`variables` names what fills each number. A data migration loads these into the MessageTemplate
catalogue with sandbox template ids; operators replace the ids (and, if Meta approved other
wording, the bodies) in the admin.
"""

import hashlib

# kind → (variables, {(language, formality): body})
DEFAULTS: dict[str, tuple[list[str], dict[tuple[str, str], str]]] = {
    "booking_confirmation": (
        ["name", "reference", "itinerary"],
        {
            ("nl", "formal"): "Beste {{1}}, uw boeking {{2}} is bevestigd: {{3}}. We houden u hier op de hoogte van uw reis. Stuur STOP als u deze berichten niet meer wilt ontvangen.",
            ("nl", "informal"): "Hoi {{1}}, je boeking {{2}} is bevestigd: {{3}}. We houden je hier op de hoogte van je reis. Stuur STOP als je deze berichten niet meer wilt.",
            ("en", "formal"): "Dear {{1}}, your booking {{2}} is confirmed: {{3}}. We will keep you posted about your trip here. Reply STOP if you no longer want these messages.",
            ("en", "informal"): "Hi {{1}}, your booking {{2}} is confirmed: {{3}}. We'll keep you posted about your trip here. Reply STOP if you don't want these messages any more.",
        },
    ),
    "check_in_open": (
        ["name", "service", "destination", "date", "check_in"],
        {
            ("nl", "formal"): "Beste {{1}}, u kunt nu inchecken voor vlucht {{2}} naar {{3}} op {{4}}. {{5}}",
            ("nl", "informal"): "Hoi {{1}}, je kunt nu inchecken voor vlucht {{2}} naar {{3}} op {{4}}. {{5}}",
            ("en", "formal"): "Dear {{1}}, check-in is now open for flight {{2}} to {{3}} on {{4}}. {{5}}",
            ("en", "informal"): "Hi {{1}}, check-in is open for your flight {{2}} to {{3}} on {{4}}. {{5}}",
        },
    ),
    "gate_changed": (
        ["name", "service", "destination", "gate"],
        {
            ("nl", "formal"): "Beste {{1}}, uw vlucht {{2}} naar {{3}} vertrekt nu vanaf gate {{4}}.",
            ("nl", "informal"): "Hoi {{1}}, je vlucht {{2}} naar {{3}} vertrekt nu vanaf gate {{4}}.",
            ("en", "formal"): "Dear {{1}}, your flight {{2}} to {{3}} now departs from gate {{4}}.",
            ("en", "informal"): "Hi {{1}}, your flight {{2}} to {{3}} now leaves from gate {{4}}.",
        },
    ),
    "boarding": (
        ["name", "service", "destination", "gate_hint"],
        {
            ("nl", "formal"): "Beste {{1}}, het boarden voor vlucht {{2}} naar {{3}} is begonnen. {{4}}",
            ("nl", "informal"): "Hoi {{1}}, het boarden voor vlucht {{2}} naar {{3}} is begonnen. {{4}}",
            ("en", "formal"): "Dear {{1}}, boarding for flight {{2}} to {{3}} has started. {{4}}",
            ("en", "informal"): "Hi {{1}}, boarding for your flight {{2}} to {{3}} has started. {{4}}",
        },
    ),
    "delayed": (
        ["name", "service", "destination", "departure_time", "scheduled_time", "reason"],
        {
            ("nl", "formal"): "Beste {{1}}, uw vlucht {{2}} naar {{3}} is vertraagd. Nieuwe vertrektijd: {{4}} (was {{5}}), lokale tijd. {{6}}",
            ("nl", "informal"): "Hoi {{1}}, je vlucht {{2}} naar {{3}} is vertraagd. Nieuwe vertrektijd: {{4}} (was {{5}}), lokale tijd. {{6}}",
            ("en", "formal"): "Dear {{1}}, your flight {{2}} to {{3}} is delayed. New departure time: {{4}} (was {{5}}), local time. {{6}}",
            ("en", "informal"): "Hi {{1}}, your flight {{2}} to {{3}} is delayed. New departure time: {{4}} (was {{5}}), local time. {{6}}",
        },
    ),
    "departed": (
        ["name", "service", "destination", "departure_time", "arrival_time"],
        {
            ("nl", "formal"): "Beste {{1}}, vlucht {{2}} naar {{3}} is om {{4}} vertrokken. Verwachte aankomst: {{5}} lokale tijd. Goede reis!",
            ("nl", "informal"): "Hoi {{1}}, vlucht {{2}} naar {{3}} is om {{4}} vertrokken. Verwachte aankomst: {{5}} lokale tijd. Goede reis!",
            ("en", "formal"): "Dear {{1}}, flight {{2}} to {{3}} departed at {{4}}. Expected arrival: {{5}} local time. Have a good trip!",
            ("en", "informal"): "Hi {{1}}, flight {{2}} to {{3}} took off at {{4}}. Expected arrival: {{5}} local time. Have a good trip!",
        },
    ),
    "arrived": (
        ["name", "service", "destination", "arrival_time", "baggage"],
        {
            ("nl", "formal"): "Beste {{1}}, vlucht {{2}} is om {{4}} lokale tijd geland in {{3}}. {{5}}",
            ("nl", "informal"): "Hoi {{1}}, vlucht {{2}} is om {{4}} lokale tijd geland in {{3}}. {{5}}",
            ("en", "formal"): "Dear {{1}}, flight {{2}} landed in {{3}} at {{4}} local time. {{5}}",
            ("en", "informal"): "Hi {{1}}, flight {{2}} landed in {{3}} at {{4}} local time. {{5}}",
        },
    ),
    "cancelled": (
        ["name", "service", "destination", "date", "next_step"],
        {
            ("nl", "formal"): "Beste {{1}}, het spijt ons: uw vlucht {{2}} naar {{3}} op {{4}} is geannuleerd. {{5}}",
            ("nl", "informal"): "Hoi {{1}}, het spijt ons: je vlucht {{2}} naar {{3}} op {{4}} is geannuleerd. {{5}}",
            ("en", "formal"): "Dear {{1}}, we are sorry: your flight {{2}} to {{3}} on {{4}} has been cancelled. {{5}}",
            ("en", "informal"): "Hi {{1}}, we're sorry: your flight {{2}} to {{3}} on {{4}} has been cancelled. {{5}}",
        },
    ),
    "opt_out_confirmation": (
        ["name"],
        {
            ("nl", "formal"): "Beste {{1}}, u ontvangt van ons geen berichten meer via dit kanaal. U kunt ons hier altijd nog een vraag stellen.",
            ("nl", "informal"): "Hoi {{1}}, je krijgt van ons geen berichten meer via dit kanaal. Je kunt ons hier altijd nog een vraag stellen.",
            ("en", "formal"): "Dear {{1}}, you will no longer receive messages from us on this channel. You can still write to us here any time.",
            ("en", "informal"): "Hi {{1}}, you won't get any more messages from us on this channel. You can still write to us here any time.",
        },
    ),
    "agent_follow_up": (
        ["name", "topic"],
        {
            ("nl", "formal"): "Beste {{1}}, we hebben een antwoord over {{2}}. Stuur ons een bericht, dan lezen we het u hier voor.",
            ("nl", "informal"): "Hoi {{1}}, we hebben een antwoord over {{2}}. Stuur ons een berichtje, dan zetten we het hier voor je neer.",
            ("en", "formal"): "Dear {{1}}, we have an answer about {{2}}. Send us a message and we will share it with you here.",
            ("en", "informal"): "Hi {{1}}, we have an answer about {{2}}. Send us a message and we'll share it with you here.",
        },
    ),
    "csat_question": (
        ["name"],
        {
            ("nl", "formal"): "Beste {{1}}, hoe tevreden bent u over onze hulp? Antwoord met een cijfer van 1 (slecht) tot 5 (uitstekend).",
            ("nl", "informal"): "Hoi {{1}}, hoe tevreden ben je over onze hulp? Antwoord met een cijfer van 1 (slecht) tot 5 (uitstekend).",
            ("en", "formal"): "Dear {{1}}, how satisfied are you with our help? Reply with a number from 1 (poor) to 5 (excellent).",
            ("en", "informal"): "Hi {{1}}, how happy are you with our help? Reply with a number from 1 (poor) to 5 (excellent).",
        },
    ),
}


def sandbox_template_id(channel: str, kind: str, language: str, formality: str) -> str:
    """A stable id for the sandbox: HX + 32 hex like a Twilio Content SID, a name for Messenger."""
    if channel == "messenger":
        return f"thuisfront_{kind}_{language}_{formality}"
    digest = hashlib.sha256(f"{kind}/{language}/{formality}".encode()).hexdigest()[:32]
    return "HX" + digest


def default_rows() -> list[dict]:
    rows = []
    for kind, (variables, bodies) in DEFAULTS.items():
        for (language, formality), body in bodies.items():
            for channel in ("whatsapp", "messenger"):
                rows.append(
                    {
                        "channel": channel,
                        "kind": kind,
                        "language": language,
                        "formality": formality,
                        "content_sid": sandbox_template_id(channel, kind, language, formality),
                        "body": body,
                        "variables": variables,
                    }
                )
    return rows


def load_defaults(model) -> int:
    """Add every default variant that is missing; never overwrites what operators changed."""
    created = 0
    for row in default_rows():
        key = {k: row[k] for k in ("channel", "kind", "language", "formality")}
        _, was_created = model.objects.get_or_create(**key, defaults=row)
        created += was_created
    return created
