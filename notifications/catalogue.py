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
        ["name", "reference", "itinerary", "follow_code", "whatsapp_link", "messenger_link"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, uw boeking {{2}} is bevestigd: {{3}}. We houden u hier op de "
                "hoogte van uw reis. Wilt u dat familie ook hoort wanneer u vertrekt en landt? "
                "Stuur hun uw code {{4}} of een van deze links: WhatsApp {{5}} of "
                "Messenger {{6}}. Stuur STOP als u deze berichten niet meer wilt ontvangen."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je boeking {{2}} is bevestigd: {{3}}. We houden je hier op "
                "de hoogte van je reis. Wil je dat familie ook hoort wanneer je vertrekt "
                "en landt? Stuur ze je code {{4}} of een van deze links: WhatsApp {{5}} "
                "of Messenger {{6}}. Stuur STOP als je deze berichten niet meer wilt."
            ),
            ("en", "formal"): (
                "Dear {{1}}, your booking {{2}} is confirmed: {{3}}. "
                "We will keep you posted about your trip here. "
                "Would you like family to hear when you depart and land? "
                "Send them your code {{4}} or one of these links: WhatsApp {{5}} or "
                "Messenger {{6}}. Reply STOP if you no longer want these messages."
            ),
            ("en", "informal"): (
                "Hi {{1}}, your booking {{2}} is confirmed: {{3}}. "
                "We'll keep you posted about your trip here. Want family to hear when you take "
                "off and land? Send them your code {{4}} or one of these links: WhatsApp {{5}} "
                "or Messenger {{6}}. Reply STOP if you don't want these messages any more."
            ),
        },
    ),
    "check_in_open": (
        ["name", "service", "destination", "date", "check_in"],
        {
            (
                "nl",
                "formal",
            ): "Beste {{1}}, u kunt nu inchecken voor vlucht {{2}} naar {{3}} op {{4}}. {{5}}",
            (
                "nl",
                "informal",
            ): "Hoi {{1}}, je kunt nu inchecken voor vlucht {{2}} naar {{3}} op {{4}}. {{5}}",
            (
                "en",
                "formal",
            ): "Dear {{1}}, check-in is now open for flight {{2}} to {{3}} on {{4}}. {{5}}",
            (
                "en",
                "informal",
            ): "Hi {{1}}, check-in is open for your flight {{2}} to {{3}} on {{4}}. {{5}}",
        },
    ),
    "gate_changed": (
        ["name", "service", "destination", "gate"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, let op: uw vlucht {{2}} naar {{3}} "
                "vertrekt vanaf een andere gate. Uw nieuwe gate is {{4}}."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, let op: je vlucht {{2}} naar {{3}} vertrekt "
                "vanaf een andere gate. Je nieuwe gate is {{4}}."
            ),
            ("en", "formal"): "Dear {{1}}, your flight {{2}} to {{3}} now departs from gate {{4}}.",
            ("en", "informal"): "Hi {{1}}, your flight {{2}} to {{3}} now leaves from gate {{4}}.",
        },
    ),
    "boarding": (
        ["name", "service", "destination", "gate_hint"],
        {
            (
                "nl",
                "formal",
            ): "Beste {{1}}, het boarden voor uw vlucht {{2}} naar {{3}} is begonnen. {{4}}",
            (
                "nl",
                "informal",
            ): "Hoi {{1}}, het boarden voor je vlucht {{2}} naar {{3}} is begonnen. {{4}}",
            ("en", "formal"): "Dear {{1}}, boarding for flight {{2}} to {{3}} has started. {{4}}",
            (
                "en",
                "informal",
            ): "Hi {{1}}, boarding for your flight {{2}} to {{3}} has started. {{4}}",
        },
    ),
    "delayed": (
        [
            "name",
            "service",
            "destination",
            "departure_time",
            "scheduled_time",
            "reason",
            "arrival_time",
        ],
        {
            ("nl", "formal"): (
                "Beste {{1}}, uw vlucht {{2}} naar {{3}} is vertraagd. Nieuwe vertrektijd: "
                "{{4}} (was {{5}}). Verwachte aankomst: {{7}} lokale tijd. {{6}}"
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je vlucht {{2}} naar {{3}} is vertraagd. Nieuwe vertrektijd: "
                "{{4}} (was {{5}}). Verwachte aankomst: {{7}} lokale tijd. {{6}}"
            ),
            ("en", "formal"): (
                "Dear {{1}}, your flight {{2}} to {{3}} is delayed. "
                "New departure time: {{4}} (was {{5}}). Expected arrival: {{7}} local time. {{6}}"
            ),
            ("en", "informal"): (
                "Hi {{1}}, your flight {{2}} to {{3}} is delayed. New departure time: "
                "{{4}} (was {{5}}). Expected arrival: {{7}} local time. {{6}}"
            ),
        },
    ),
    "departed": (
        ["name", "service", "destination", "departure_time", "arrival_time"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, uw vlucht {{2}} naar {{3}} is om {{4}} vertrokken. "
                "Verwachte aankomst: {{5}} lokale tijd. Goede vlucht!"
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je vlucht {{2}} naar {{3}} is om {{4}} vertrokken. "
                "Verwachte aankomst: {{5}} lokale tijd. Goede vlucht!"
            ),
            ("en", "formal"): (
                "Dear {{1}}, your flight {{2}} to {{3}} departed at {{4}}. "
                "Expected arrival: {{5}} local time. Have a good flight!"
            ),
            ("en", "informal"): (
                "Hi {{1}}, your flight {{2}} to {{3}} took off at {{4}}. "
                "Expected arrival: {{5}} local time. Have a good flight!"
            ),
        },
    ),
    "arrived": (
        ["name", "service", "destination", "arrival_time", "baggage"],
        {
            (
                "nl",
                "formal",
            ): "Beste {{1}}, uw vlucht {{2}} is om {{4}} lokale tijd in {{3}} geland. {{5}}",
            (
                "nl",
                "informal",
            ): "Hoi {{1}}, je vlucht {{2}} is om {{4}} lokale tijd in {{3}} geland. {{5}}",
            (
                "en",
                "formal",
            ): "Dear {{1}}, your flight {{2}} landed in {{3}} at {{4}} local time. {{5}}",
            (
                "en",
                "informal",
            ): "Hi {{1}}, your flight {{2}} landed in {{3}} at {{4}} local time. {{5}}",
        },
    ),
    "cancelled": (
        ["name", "service", "destination", "date", "next_step"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, het spijt ons, maar uw vlucht "
                "{{2}} naar {{3}} op {{4}} is geannuleerd. {{5}}"
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, het spijt ons, maar je vlucht "
                "{{2}} naar {{3}} op {{4}} is geannuleerd. {{5}}"
            ),
            ("en", "formal"): (
                "Dear {{1}}, we are sorry: your flight {{2}} "
                "to {{3}} on {{4}} has been cancelled. {{5}}"
            ),
            ("en", "informal"): (
                "Hi {{1}}, we're sorry: your flight {{2}} "
                "to {{3}} on {{4}} has been cancelled. {{5}}"
            ),
        },
    ),
    "opt_out_confirmation": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, u ontvangt van ons geen berichten meer via dit kanaal. "
                "U kunt ons hier altijd nog een vraag stellen."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je krijgt van ons geen berichten meer via dit kanaal. "
                "Je kunt ons hier altijd nog een vraag stellen."
            ),
            ("en", "formal"): (
                "Dear {{1}}, you will no longer receive messages from us on this channel. "
                "You can still write to us here any time."
            ),
            ("en", "informal"): (
                "Hi {{1}}, you won't get any more messages from us on this channel. "
                "You can still write to us here any time."
            ),
        },
    ),
    "opt_in_again_confirmation": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, u bent aangemeld: vanaf nu ontvangt u onze berichten "
                "via dit kanaal. Stuur STOP als u ze niet meer wilt ontvangen."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je bent aangemeld: vanaf nu krijg je onze berichten via dit kanaal. "
                "Stuur STOP als je ze niet meer wilt."
            ),
            ("en", "formal"): (
                "Dear {{1}}, you are signed up: from now on you will receive our "
                "messages on this channel. Reply STOP if you no longer want them."
            ),
            ("en", "informal"): (
                "Hi {{1}}, you're signed up: from now on you'll get our messages on this channel. "
                "Reply STOP if you don't want them any more."
            ),
        },
    ),
    "opt_in_already": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, u bent al aangemeld en ontvangt onze berichten via dit kanaal. "
                "Stuur STOP als u ze niet meer wilt ontvangen."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je bent al aangemeld en krijgt onze berichten via dit kanaal. "
                "Stuur STOP als je ze niet meer wilt."
            ),
            ("en", "formal"): (
                "Dear {{1}}, you are already signed up and receive our messages on this channel. "
                "Reply STOP if you no longer want them."
            ),
            ("en", "informal"): (
                "Hi {{1}}, you're already signed up and get our messages on this channel. "
                "Reply STOP if you don't want them any more."
            ),
        },
    ),
    "opt_in_confirmation": (
        ["name", "itinerary", "follow_code"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, u bent aangemeld. Vanaf nu krijgt u hier de berichten over uw reis: "
                "{{2}}. Wilt u dat familie ook hoort wanneer u vertrekt en landt? Stuur hun "
                "uw code {{3}}. Stuur STOP als u deze berichten niet meer wilt ontvangen."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, je bent aangemeld. Vanaf nu krijg je hier de berichten over je reis: "
                "{{2}}. Wil je dat familie ook hoort wanneer je vertrekt en landt? "
                "Stuur ze je code {{3}}. Stuur STOP als je deze berichten niet meer wilt."
            ),
            ("en", "formal"): (
                "Dear {{1}}, you are signed up. From now on you will get the messages about "
                "your trip here: {{2}}. Would you like family to hear when you depart and land? "
                "Send them your code {{3}}. Reply STOP if you no longer want these messages."
            ),
            ("en", "informal"): (
                "Hi {{1}}, you're signed up. From now on you'll get your trip messages here: "
                "{{2}}. Want family to hear when you take off and land? "
                "Send them your code {{3}}. Reply STOP if you don't want these messages any more."
            ),
        },
    ),
    "agent_follow_up": (
        ["name", "topic"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, we hebben een antwoord over {{2}}. "
                "Stuur ons een bericht, dan sturen we u het antwoord hier."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, we hebben een antwoord over {{2}}. "
                "Stuur ons even een berichtje, dan sturen we je het antwoord hier."
            ),
            ("en", "formal"): (
                "Dear {{1}}, we have an answer about {{2}}. "
                "Send us a message and we will share it with you here."
            ),
            ("en", "informal"): (
                "Hi {{1}}, we have an answer about {{2}}. "
                "Send us a message and we'll share it with you here."
            ),
        },
    ),
    "csat_question": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, hoe tevreden bent u over onze hulp, "
                "op een schaal van 1 tot 5? 1 is slecht, 5 is uitstekend."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, hoe tevreden ben je over onze hulp, "
                "op een schaal van 1 tot 5? 1 is slecht, 5 is uitstekend."
            ),
            ("en", "formal"): (
                "Dear {{1}}, how satisfied are you with our help, "
                "on a scale of 1 to 5? 1 is poor, 5 is excellent."
            ),
            ("en", "informal"): (
                "Hi {{1}}, how happy are you with our help, "
                "on a scale of 1 to 5? 1 is poor, 5 is excellent."
            ),
        },
    ),
    "csat_thanks": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, dank u wel voor uw beoordeling. "
                "Daarmee kunnen we onze hulp verbeteren."
            ),
            (
                "nl",
                "informal",
            ): "Hoi {{1}}, bedankt voor je beoordeling! Daarmee kunnen we onze hulp verbeteren.",
            (
                "en",
                "formal",
            ): "Dear {{1}}, thank you for your rating. It helps us improve our service.",
            ("en", "informal"): "Hi {{1}}, thanks for your rating! It helps us get better.",
        },
    ),
    # Surveys in the chat (insights/surveys.py). "Did this help?" follows an automated answer
    # with yes/no buttons; effort after a conversation the automation could not finish; the
    # recommendation question is about the company, not one conversation.
    "survey_helpful": (
        [],
        {
            ("nl", "formal"): "Heeft dit antwoord u geholpen?",
            ("nl", "informal"): "Heeft dit antwoord je geholpen?",
            ("en", "formal"): "Has this answer helped you?",
            ("en", "informal"): "Did this answer help?",
        },
    ),
    "survey_ces": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, hoeveel moeite heeft u moeten doen om uw vraag beantwoord te "
                "krijgen? Antwoord met een cijfer van 1 (heel weinig moeite) tot 5 (heel veel "
                "moeite)."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, hoeveel moeite heb je moeten doen om je vraag beantwoord te "
                "krijgen? Antwoord met een cijfer van 1 (heel weinig moeite) tot 5 (heel veel "
                "moeite)."
            ),
            ("en", "formal"): (
                "Dear {{1}}, how much effort did it take you to get your question answered? "
                "Please reply with a number from 1 (very little effort) to 5 (a great deal)."
            ),
            ("en", "informal"): (
                "Hi {{1}}, how much effort did it take to get your question answered? "
                "Reply with a number from 1 (hardly any) to 5 (a lot)."
            ),
        },
    ),
    "survey_nps": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, hoe waarschijnlijk is het dat u ons zou aanraden aan familie, "
                "vrienden of collega's? Antwoord met een cijfer van 0 (zeer onwaarschijnlijk) "
                "tot 10 (zeer waarschijnlijk)."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, hoe waarschijnlijk is het dat je ons zou aanraden aan familie, "
                "vrienden of collega's? Antwoord met een cijfer van 0 (heel onwaarschijnlijk) "
                "tot 10 (heel waarschijnlijk)."
            ),
            ("en", "formal"): (
                "Dear {{1}}, how likely is it that you would recommend us to family, friends "
                "or colleagues? Please reply with a number from 0 (not at all likely) to 10 "
                "(extremely likely)."
            ),
            ("en", "informal"): (
                "Hi {{1}}, how likely are you to recommend us to family, friends or colleagues? "
                "Reply with a number from 0 (not at all likely) to 10 (extremely likely)."
            ),
        },
    ),
    "survey_thanks": (
        ["name"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, dank u wel voor uw antwoord. Daarmee kunnen we onze service "
                "verbeteren."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, bedankt voor je antwoord! Daarmee kunnen we onze service verbeteren."
            ),
            ("en", "formal"): (
                "Dear {{1}}, thank you for your answer. It helps us improve our service."
            ),
            ("en", "informal"): "Hi {{1}}, thanks for your answer! It helps us get better.",
        },
    ),
    "handover_waiting": (
        ["name", "wait"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, bedankt voor uw bericht. Een collega van de klantenservice "
                "antwoordt u hier zo snel mogelijk; de wachttijd is nu ongeveer {{2}}."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, bedankt voor je bericht. Een collega van de klantenservice "
                "antwoordt je hier zo snel mogelijk; de wachttijd is nu ongeveer {{2}}."
            ),
            ("en", "formal"): (
                "Dear {{1}}, thank you for your message. A colleague from customer service will "
                "answer you here as soon as possible; the waiting time is currently about {{2}}."
            ),
            ("en", "informal"): (
                "Hi {{1}}, thanks for your message. Someone from customer service "
                "will reply here as soon as they can; right now that takes about {{2}}."
            ),
        },
    ),
    "handover_closed": (
        ["name", "back"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, bedankt voor uw bericht. Onze klantenservice is nu "
                "gesloten en is {{2}} weer bereikbaar. Dan antwoordt een collega u hier."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, bedankt voor je bericht. Onze klantenservice is nu gesloten "
                "en is {{2}} weer bereikbaar. Dan antwoordt een collega je hier."
            ),
            ("en", "formal"): (
                "Dear {{1}}, thank you for your message. Our customer service is closed "
                "right now and is back {{2}}. A colleague will answer you here then."
            ),
            ("en", "informal"): (
                "Hi {{1}}, thanks for your message. Our customer service is closed "
                "right now and back {{2}}. Someone will reply to you here then."
            ),
        },
    ),
    # Call-backs (webcare_inbox/callbacks.py). {{hours}}, {{when}}: on the person's own clock.
    "callback_time_question": (
        ["name", "phone", "hours"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, we bellen u graag terug op {{2}}. Wanneer komt het u uit? We "
                'bellen {{3}}. Stuur ons een dag en tijd, bijvoorbeeld "morgen 10:00", of '
                '"zo snel mogelijk".'
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, we bellen je graag terug op {{2}}. Wanneer komt het je uit? We "
                'bellen {{3}}. Stuur ons een dag en tijd, bijvoorbeeld "morgen 10:00", of '
                '"zo snel mogelijk".'
            ),
            ("en", "formal"): (
                "Dear {{1}}, we will gladly call you back on {{2}}. When would suit you? We "
                'call {{3}}. Please send us a day and time, for example "tomorrow 10:00", '
                'or "as soon as possible".'
            ),
            ("en", "informal"): (
                "Hi {{1}}, happy to call you back on {{2}}. When works for you? We call "
                '{{3}}. Just send a day and time, like "tomorrow 10:00", or "as soon as '
                'possible".'
            ),
        },
    ),
    "callback_number_question": (
        ["name", "hours"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, we bellen u graag terug. Op welk nummer en wanneer kunnen we u "
                'bereiken? We bellen {{2}}. Bijvoorbeeld: "06 12345678, morgen 10:00".'
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, we bellen je graag terug. Op welk nummer en wanneer kunnen we je "
                'bereiken? We bellen {{2}}. Bijvoorbeeld: "06 12345678, morgen 10:00".'
            ),
            ("en", "formal"): (
                "Dear {{1}}, we will gladly call you back. On which number, and when, can we "
                'reach you? We call {{2}}. For example: "+44 7911 123456, tomorrow 10:00".'
            ),
            ("en", "informal"): (
                "Hi {{1}}, happy to call you back. Which number should we call, and when? We "
                'call {{2}}. For example: "+44 7911 123456, tomorrow 10:00".'
            ),
        },
    ),
    "callback_scheduled": (
        ["name", "when", "phone"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, dat is genoteerd: we bellen u {{2}} op {{3}}. Komt het toch niet "
                "uit? Stuur ons hier een ander moment."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, staat genoteerd: we bellen je {{2}} op {{3}}. Komt het toch niet "
                "uit? Stuur ons hier een ander moment."
            ),
            ("en", "formal"): (
                "Dear {{1}}, that is noted: we will call you {{2}} on {{3}}. If that no longer "
                "suits you, just send us another time here."
            ),
            ("en", "informal"): (
                "Hi {{1}}, all set: we'll call you {{2}} on {{3}}. If that doesn't work after "
                "all, send us another time here."
            ),
        },
    ),
    "callback_moved": (
        ["name", "when", "phone"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, we moeten ons telefoongesprek verzetten. We bellen u nu {{2}} op "
                "{{3}}. Past dat niet? Stuur ons hier een ander moment."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, we moeten ons telefoongesprek verzetten. We bellen je nu {{2}} op "
                "{{3}}. Past dat niet? Stuur ons hier een ander moment."
            ),
            ("en", "formal"): (
                "Dear {{1}}, we have had to move our call. We will now call you {{2}} on {{3}}. "
                "If that does not suit you, please send us another time here."
            ),
            ("en", "informal"): (
                "Hi {{1}}, we've had to move our call. We'll now ring you {{2}} on {{3}}. If "
                "that doesn't work, send us another time here."
            ),
        },
    ),
    "channel_switched": (
        ["name", "channel"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, dat is goed: we antwoorden u vanaf nu via {{2}}. Daar leest u "
                "ook alles wat we hier al bespraken."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, prima: we antwoorden je vanaf nu via {{2}}. Daar lees je ook alles "
                "wat we hier al bespraken."
            ),
            ("en", "formal"): (
                "Dear {{1}}, certainly: from now on we will answer you on {{2}}, where our "
                "conversation so far carries on."
            ),
            ("en", "informal"): (
                "Hi {{1}}, sure: from now on we'll answer you on {{2}}, where our chat so far "
                "carries on."
            ),
        },
    ),
    "callback_missed": (
        ["name", "phone"],
        {
            ("nl", "formal"): (
                "Beste {{1}}, we hebben u net gebeld op {{2}}, maar konden u niet bereiken. "
                "Wanneer kunnen we het opnieuw proberen? Stuur ons een dag en tijd."
            ),
            ("nl", "informal"): (
                "Hoi {{1}}, we hebben je net gebeld op {{2}}, maar kregen je niet te pakken. "
                "Wanneer kunnen we het nog eens proberen? Stuur ons een dag en tijd."
            ),
            ("en", "formal"): (
                "Dear {{1}}, we have just called you on {{2}} but could not reach you. When "
                "may we try again? Please send us a day and time."
            ),
            ("en", "informal"): (
                "Hi {{1}}, we just tried calling you on {{2}} but couldn't reach you. When can "
                "we try again? Send us a day and time."
            ),
        },
    ),
}


def _both(nl: str, en: str) -> dict[tuple[str, str], str]:
    """The same wording for both forms of address (messages that address no one as u/je)."""
    return {
        ("nl", "formal"): nl,
        ("nl", "informal"): nl,
        ("en", "formal"): en,
        ("en", "informal"): en,
    }


def _four(
    nl_formal: str, nl_informal: str, en_formal: str, en_informal: str
) -> dict[tuple[str, str], str]:
    return {
        ("nl", "formal"): nl_formal,
        ("nl", "informal"): nl_informal,
        ("en", "formal"): en_formal,
        ("en", "informal"): en_informal,
    }


# Update groups: what relatives (members) and the traveller (the group's owner) read.
DEFAULTS.update(
    {
        "group_joined": (
            ["traveller", "trip"],
            _four(
                "U volgt nu de reis van {{1}}: {{2}}. U krijgt hier een bericht "
                "als de vlucht vertrekt, vertraagd is of landt, en u kunt hier "
                "vragen hoe het met de vlucht staat. Stuur STOP om u af te melden.",
                "Je volgt nu de reis van {{1}}: {{2}}. Je krijgt hier een bericht "
                "als de vlucht vertrekt, vertraagd is of landt, en je kunt hier "
                "vragen hoe het met de vlucht staat. Stuur STOP om je af te melden.",
                "You now follow {{1}}'s trip: {{2}}. You will get a message "
                "here when the flight departs, is delayed or lands, "
                "and you can ask here how the flight is doing. Send STOP to leave.",
                "You now follow {{1}}'s trip: {{2}}. "
                "You'll get a message here when the flight takes off, is delayed "
                "or lands, and you can ask here how it's going. Send STOP to leave.",
            ),
        ),
        "group_owner_joined": (
            ["name", "member"],
            _four(
                "Beste {{1}}, {{2}} volgt nu uw reis en krijgt berichten over vertrek, "
                "vertraging en landing. Stuur 'wie volgt mij?' om te zien wie u volgt.",
                "Hoi {{1}}, {{2}} volgt nu je reis en krijgt berichten over vertrek, "
                "vertraging en landing. Stuur 'wie volgt mij?' om te zien wie je volgt.",
                "Dear {{1}}, {{2}} now follows your trip and will hear when you depart, "
                "are delayed or land. Send 'who follows me?' to see who follows you.",
                "Hi {{1}}, {{2}} follows your trip now and will hear when you take off, "
                "are delayed or land. Send 'who follows me?' to see who follows you.",
            ),
        ),
        "group_code_unknown": (
            [],
            _four(
                "Deze code kennen we niet. "
                "Controleer de code die u hebt gekregen en stuur hem nog eens.",
                "Deze code kennen we niet. "
                "Check de code die je hebt gekregen en stuur hem nog eens.",
                "We do not recognise this code. "
                "Please check the code you were given and send it again.",
                "We don't recognise this code. Check the code you got and send it again.",
            ),
        ),
        "group_code_limited": (
            [],
            _both(
                "Er zijn te veel onjuiste codes gestuurd. Probeer het over een uur opnieuw.",
                "Too many incorrect codes were sent. Please try again in an hour.",
            ),
        ),
        "group_full": (
            ["max"],
            _both(
                "Deze updategroep is vol ({{1}} personen). "
                "Vraag de reiziger om iemand te verwijderen.",
                "This update group is full ({{1}} people). Ask the traveller to remove someone.",
            ),
        ),
        "group_already_member": (
            ["traveller"],
            _four(
                "U volgt de reis van {{1}} al. Stuur STOP om u af te melden.",
                "Je volgt de reis van {{1}} al. Stuur STOP om je af te melden.",
                "You already follow {{1}}'s trip. Send STOP to leave.",
                "You already follow {{1}}'s trip. Send STOP to leave.",
            ),
        ),
        "group_followers": (
            ["name", "followers", "hint"],
            _four(
                "Beste {{1}}, wie uw reis volgt: {{2}}. {{3}}",
                "Hoi {{1}}, wie je reis volgt: {{2}}. {{3}}",
                "Dear {{1}}, who follows your trip: {{2}}. {{3}}",
                "Hi {{1}}, who follows your trip: {{2}}. {{3}}",
            ),
        ),
        "group_member_removed": (
            ["name", "member"],
            _four(
                "Beste {{1}}, {{2}} volgt uw reis niet meer en krijgt geen berichten meer.",
                "Hoi {{1}}, {{2}} volgt je reis niet meer en krijgt geen berichten meer.",
                "Dear {{1}}, {{2}} no longer follows your trip and will get no more messages.",
                "Hi {{1}}, {{2}} doesn't follow your trip any more and will get no more messages.",
            ),
        ),
        "group_removed": (
            ["traveller"],
            _four(
                "{{1}} heeft u uit de updategroep gehaald: "
                "u krijgt geen berichten meer over deze reis.",
                "{{1}} heeft je uit de updategroep gehaald: "
                "je krijgt geen berichten meer over deze reis.",
                "{{1}} has removed you from their update group: "
                "you will get no more messages about their trip.",
                "{{1}} has removed you from their update group: "
                "you won't get any more messages about their trip.",
            ),
        ),
        "group_share": (
            ["traveller", "text"],
            _both("Bericht van {{1}}: {{2}}", "Message from {{1}}: {{2}}"),
        ),
        "group_share_sent": (
            ["name", "count"],
            _four(
                "Beste {{1}}, uw bericht is doorgestuurd naar {{2}} volger(s).",
                "Hoi {{1}}, je bericht is doorgestuurd naar {{2}} volger(s).",
                "Dear {{1}}, your message was passed on to {{2}} follower(s).",
                "Hi {{1}}, your message went out to {{2}} follower(s).",
            ),
        ),
        "group_goodbye": (
            ["traveller"],
            _four(
                "De updategroep van {{1}} is beëindigd: er was 30 dagen geen reis. "
                "U krijgt hierover geen berichten meer en uw gegevens voor "
                "deze groep worden verwijderd. Bedankt voor het meeleven!",
                "De updategroep van {{1}} is beëindigd: er was 30 dagen geen reis. "
                "Je krijgt hierover geen berichten meer en je gegevens voor "
                "deze groep worden verwijderd. Bedankt voor het meeleven!",
                "{{1}}'s update group has ended: there was no trip for 30 days. "
                "You will get no more messages about it and your details for "
                "this group will be removed. Thank you for following along!",
                "{{1}}'s update group has ended: there was no trip for 30 days. "
                "You won't get any more messages about it and your details "
                "for this group will be removed. Thanks for following along!",
            ),
        ),
        "group_trip_answer": (
            ["answer"],
            _four(
                "Automatisch antwoord: {{1}} Wilt u een medewerker spreken? Stuur 'medewerker'.",
                "Automatisch antwoord: {{1}} Wil je een medewerker spreken? Stuur 'medewerker'.",
                "Automated reply: {{1}} Would you like to talk to a person? Send 'agent'.",
                "Automated reply: {{1}} Want to talk to a person? Send 'agent'.",
            ),
        ),
        "group_departed": (
            ["traveller", "service", "destination", "departure_time", "arrival_time"],
            _both(
                "De vlucht van {{1}} naar {{3}} ({{2}}) is om {{4}} vertrokken. "
                "Verwachte aankomst: {{5}} lokale tijd.",
                "{{1}}'s flight {{2}} to {{3}} departed at {{4}}. "
                "Expected arrival: {{5}} local time.",
            ),
        ),
        "group_delayed": (
            [
                "traveller",
                "service",
                "destination",
                "departure_time",
                "scheduled_time",
                "arrival_time",
            ],
            _both(
                "De vlucht van {{1}} naar {{3}} ({{2}}) is vertraagd. "
                "Nieuwe vertrektijd: {{4}} (was {{5}}). Verwachte aankomst: {{6}} lokale tijd.",
                "{{1}}'s flight {{2}} to {{3}} is delayed. New departure time: "
                "{{4}} (was {{5}}). Expected arrival: {{6}} local time.",
            ),
        ),
        "group_arrived": (
            ["traveller", "service", "destination", "arrival_time"],
            _both(
                "De vlucht van {{1}} naar {{3}} ({{2}}) is om {{4}} lokale tijd geland.",
                "{{1}}'s flight {{2}} to {{3}} landed at {{4}} local time.",
            ),
        ),
        "group_cancelled": (
            ["traveller", "service", "destination", "date"],
            _both(
                "De vlucht van {{1}} naar {{3}} op {{4}} ({{2}}) is geannuleerd.",
                "{{1}}'s flight {{2}} to {{3}} on {{4}} has been cancelled.",
            ),
        ),
        "group_gate_changed": (
            ["traveller", "service", "destination", "gate"],
            _both(
                "De vlucht van {{1}} naar {{3}} ({{2}}) vertrekt vanaf een andere gate: {{4}}.",
                "{{1}}'s flight {{2}} to {{3}} now departs from gate {{4}}.",
            ),
        ),
    }
)


# The trip's own timeline and its newer events: what travellers and their relatives read.
DEFAULTS.update(
    {
        "departure_reminder": (
            ["name", "trip", "destination", "when", "where"],
            _four(
                "Beste {{1}}, {{4}} vertrekt uw {{2}} naar {{3}}. {{5}} Goede reis!",
                "Hoi {{1}}, {{4}} vertrekt je {{2}} naar {{3}}. {{5}} Goede reis!",
                "Dear {{1}}, your {{2}} to {{3}} leaves {{4}}. {{5}} Have a good trip!",
                "Hi {{1}}, your {{2}} to {{3}} leaves {{4}}. {{5}} Have a good trip!",
            ),
        ),
        "diverted": (
            ["name", "service", "booked_destination", "diverted_to", "arrival_time", "reason"],
            _four(
                (
                    "Beste {{1}}, uw vlucht {{2}} naar {{3}} wijkt uit naar {{4}}. Verwachte "
                    "aankomst daar: {{5}} lokale tijd. {{6}}"
                ),
                (
                    "Hoi {{1}}, je vlucht {{2}} naar {{3}} wijkt uit naar {{4}}. Verwachte "
                    "aankomst daar: {{5}} lokale tijd. {{6}}"
                ),
                (
                    "Dear {{1}}, your flight {{2}} to {{3}} is being diverted to {{4}}. "
                    "Expected arrival there: {{5}} local time. {{6}}"
                ),
                (
                    "Hi {{1}}, your flight {{2}} to {{3}} is being diverted to {{4}}. Expected "
                    "arrival there: {{5}} local time. {{6}}"
                ),
            ),
        ),
        "schedule_changed": (
            [
                "name",
                "service",
                "destination",
                "date",
                "departure_time",
                "previous_time",
                "arrival_time",
                "reason",
            ],
            _four(
                (
                    "Beste {{1}}, de tijden van uw vlucht {{2}} naar {{3}} op {{4}} zijn "
                    "gewijzigd. U vertrekt nu om {{5}} (was {{6}}) en komt om {{7}} lokale "
                    "tijd aan. {{8}}"
                ),
                (
                    "Hoi {{1}}, de tijden van je vlucht {{2}} naar {{3}} op {{4}} zijn "
                    "gewijzigd. Je vertrekt nu om {{5}} (was {{6}}) en komt om {{7}} lokale "
                    "tijd aan. {{8}}"
                ),
                (
                    "Dear {{1}}, the times of your flight {{2}} to {{3}} on {{4}} have "
                    "changed. You now depart at {{5}} (was {{6}}) and arrive at {{7}} local "
                    "time. {{8}}"
                ),
                (
                    "Hi {{1}}, the times of your flight {{2}} to {{3}} on {{4}} have changed. "
                    "You now leave at {{5}} (was {{6}}) and arrive at {{7}} local time. {{8}}"
                ),
            ),
        ),
        "group_diverted": (
            [
                "traveller",
                "service",
                "booked_destination",
                "diverted_to",
                "arrival_time",
                "airport",
            ],
            _four(
                (
                    "De vlucht van {{1}} naar {{3}} ({{2}}) wijkt uit naar {{4}} en landt daar "
                    "naar verwachting om {{5}} lokale tijd. Haalt u {{1}} op? Ga dan naar "
                    "{{6}}."
                ),
                (
                    "De vlucht van {{1}} naar {{3}} ({{2}}) wijkt uit naar {{4}} en landt daar "
                    "naar verwachting om {{5}} lokale tijd. Haal je {{1}} op? Ga dan naar "
                    "{{6}}."
                ),
                (
                    "{{1}}'s flight {{2}} to {{3}} is being diverted to {{4}} and is expected "
                    "to land there at {{5}} local time. If you are picking {{1}} up, please go "
                    "to {{6}} instead."
                ),
                (
                    "{{1}}'s flight {{2}} to {{3}} is being diverted to {{4}} and should land "
                    "there at {{5}} local time. Picking {{1}} up? Head to {{6}} instead."
                ),
            ),
        ),
        "group_schedule_changed": (
            [
                "traveller",
                "service",
                "destination",
                "date",
                "departure_time",
                "previous_time",
                "arrival_time",
            ],
            _both(
                (
                    "De vlucht van {{1}} naar {{3}} op {{4}} ({{2}}) heeft nieuwe tijden: "
                    "vertrek {{5}} (was {{6}}), aankomst {{7}} lokale tijd."
                ),
                (
                    "{{1}}'s flight {{2}} to {{3}} on {{4}} has new times: departure {{5}} "
                    "(was {{6}}), arrival {{7}} local time."
                ),
            ),
        ),
    }
)

# Messages that carry a document (documents/). On WhatsApp outside the window they go as an
# approved *media* template: the body as here, the PDF as its media, whose URL is
# "<PUBLIC_BASE_URL>/{{n}}" with n the media_path variable. A Messenger utility template cannot
# carry a file, so there the body links to it (media_url).
_DOCUMENT_BODIES = {
    "boarding_pass": _four(
        (
            "Beste {{1}}, hier is uw instapkaart voor vlucht {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis!"
        ),
        (
            "Hoi {{1}}, hier is je instapkaart voor vlucht {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis!"
        ),
        (
            "Dear {{1}}, here is your boarding pass for flight {{2}} to {{3}} on {{4}}. {{5}} "
            "Have a good trip!"
        ),
        (
            "Hi {{1}}, here's your boarding pass for flight {{2}} to {{3}} on {{4}}. {{5}} "
            "Have a good trip!"
        ),
    ),
    "ticket": _four(
        (
            "Beste {{1}}, hier is uw treinkaartje voor trein {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis!"
        ),
        (
            "Hoi {{1}}, hier is je treinkaartje voor trein {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis!"
        ),
        (
            "Dear {{1}}, here is your ticket for train {{2}} to {{3}} on {{4}}. {{5}} Have a "
            "good trip!"
        ),
        "Hi {{1}}, here's your ticket for train {{2}} to {{3}} on {{4}}. {{5}} Have a good trip!",
    ),
    "departure_reminder_document": _four(
        (
            "Beste {{1}}, {{4}} vertrekt uw {{2}} naar {{3}}. {{5}} Uw {{6}} zit bij dit "
            "bericht. Goede reis!"
        ),
        (
            "Hoi {{1}}, {{4}} vertrekt je {{2}} naar {{3}}. {{5}} Je {{6}} zit bij dit "
            "bericht. Goede reis!"
        ),
        (
            "Dear {{1}}, your {{2}} to {{3}} leaves {{4}}. {{5}} Your {{6}} is attached. Have "
            "a good trip!"
        ),
        (
            "Hi {{1}}, your {{2}} to {{3}} leaves {{4}}. {{5}} Your {{6}} is attached. Have a "
            "good trip!"
        ),
    ),
}
_DOCUMENT_VARIABLES = {
    "boarding_pass": ["name", "service", "destination", "date", "details"],
    "ticket": ["name", "service", "destination", "date", "details"],
    "departure_reminder_document": ["name", "trip", "destination", "when", "where", "document"],
}
# Messenger: the same words, then the link (inside the window the file comes with them too).
_MESSENGER_BODIES = {
    "boarding_pass": _four(
        (
            "Beste {{1}}, hier is uw instapkaart voor vlucht {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis! Uw instapkaart: {{6}}"
        ),
        (
            "Hoi {{1}}, hier is je instapkaart voor vlucht {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis! Je instapkaart: {{6}}"
        ),
        (
            "Dear {{1}}, here is your boarding pass for flight {{2}} to {{3}} on {{4}}. {{5}} "
            "Have a good trip! Your boarding pass: {{6}}"
        ),
        (
            "Hi {{1}}, here's your boarding pass for flight {{2}} to {{3}} on {{4}}. {{5}} "
            "Have a good trip! Your boarding pass: {{6}}"
        ),
    ),
    "ticket": _four(
        (
            "Beste {{1}}, hier is uw treinkaartje voor trein {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis! Uw treinkaartje: {{6}}"
        ),
        (
            "Hoi {{1}}, hier is je treinkaartje voor trein {{2}} naar {{3}} op {{4}}. {{5}} "
            "Goede reis! Je treinkaartje: {{6}}"
        ),
        (
            "Dear {{1}}, here is your ticket for train {{2}} to {{3}} on {{4}}. {{5}} Have a "
            "good trip! Your ticket: {{6}}"
        ),
        (
            "Hi {{1}}, here's your ticket for train {{2}} to {{3}} on {{4}}. {{5}} Have a good "
            "trip! Your ticket: {{6}}"
        ),
    ),
    "departure_reminder_document": _four(
        "Beste {{1}}, {{4}} vertrekt uw {{2}} naar {{3}}. {{5}} Goede reis! Uw {{6}}: {{7}}",
        "Hoi {{1}}, {{4}} vertrekt je {{2}} naar {{3}}. {{5}} Goede reis! Je {{6}}: {{7}}",
        "Dear {{1}}, your {{2}} to {{3}} leaves {{4}}. {{5}} Have a good trip! Your {{6}}: {{7}}",
        "Hi {{1}}, your {{2}} to {{3}} leaves {{4}}. {{5}} Have a good trip! Your {{6}}: {{7}}",
    ),
}

# (kind, channel) → (variables, bodies) where a channel's approved template differs.
CHANNEL_DEFAULTS: dict[tuple[str, str], tuple[list[str], dict[tuple[str, str], str]]] = {}
for _kind, _variables in _DOCUMENT_VARIABLES.items():
    DEFAULTS[_kind] = (_variables + ["media_path"], _DOCUMENT_BODIES[_kind])
    CHANNEL_DEFAULTS[(_kind, "messenger")] = (_variables + ["media_url"], _MESSENGER_BODIES[_kind])


def sandbox_template_id(channel: str, kind: str, language: str, formality: str) -> str:
    """A stable id for the sandbox: HX + 32 hex like a Twilio Content SID, a name for Messenger."""
    if channel == "messenger":
        return f"thuisfront_{kind}_{language}_{formality}"
    digest = hashlib.sha256(f"{kind}/{language}/{formality}".encode()).hexdigest()[:32]
    return "HX" + digest


def default_rows() -> list[dict]:
    rows = []
    for kind in DEFAULTS:
        for channel in ("whatsapp", "messenger"):
            variables, bodies = CHANNEL_DEFAULTS.get((kind, channel), DEFAULTS[kind])
            for (language, formality), body in bodies.items():
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


# Buttons offered with a message, as (payload, title): Messenger `quick_replies` in the Send API
# message; on WhatsApp the approved Twilio Content template of the kind (twilio/quick-reply) must
# carry the same ids, which come back as ButtonPayload. Titles stay within both limits (20).
# The hand-over note's button (webcare_inbox/handover.py), per language: a tap asks for a call-back.
CALLBACK_QUICK_REPLY = {
    "nl": ("CALLBACK", "📞 Bel mij terug"),
    "en": ("CALLBACK", "📞 Call me back"),
}
# The automated answers' button (update_groups' trip answer): a tap hands the conversation to the
# team exactly as typing "ik wil een medewerker spreken" does.
HUMAN_QUICK_REPLY = {
    "nl": ("HUMAN", "Medewerker spreken"),
    "en": ("HUMAN", "Talk to a person"),
}
QUICK_REPLIES: dict[str, list[tuple[str, str]]] = {
    "csat_question": [
        ("CSAT_1", "1 😞"),
        ("CSAT_2", "2 🙁"),
        ("CSAT_3", "3 😐"),
        ("CSAT_4", "4 🙂"),
        ("CSAT_5", "5 😀"),
    ],
    "survey_helpful": [("HELPFUL_YES", "👍"), ("HELPFUL_NO", "👎")],
    "survey_ces": [(f"CES_{n}", str(n)) for n in range(1, 6)],
    # Eleven buttons fit Messenger (13 at most); a WhatsApp quick-reply template takes 10, so
    # there the recommendation is answered with a number typed.
    "survey_nps": [(f"NPS_{n}", str(n)) for n in range(0, 11)],
}
