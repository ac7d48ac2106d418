"""What the inbox shows for stored codes (statuses, kinds, choices), in the agent's language.

The English wording is what the inbox showed before it was translated; an unknown code is shown
as it is stored.
"""

from django.utils.translation import gettext_lazy as _

CONVERSATION_STATUS = {
    "open": _("open"),
    "pending": _("pending"),
    "snoozed": _("snoozed"),
    "resolved": _("resolved"),
}
TRIP_STATUS = {
    "scheduled": _("Scheduled"),
    "check_in_open": _("Check-in open"),
    "boarding": _("Boarding"),
    "delayed": _("Delayed"),
    "departed": _("Departed"),
    "arrived": _("Arrived"),
    "cancelled": _("Cancelled"),
    "diverted": _("Diverted"),
}
TICK = {
    "pending": _("pending"),
    "sent": _("sent"),
    "delivered": _("delivered"),
    "read": _("read"),
    "failed": _("failed"),
}
LANGUAGE = {"nl": _("Dutch"), "en": _("English")}
FORMALITY = {"formal": _("formal (u, surname)"), "informal": _("informal (je, given name)")}
# A delivery's kind in the context panel's list of notifications.
DELIVERY_KIND = {
    "booking_confirmation": _("booking confirmation"),
    "check_in_open": _("check-in open"),
    "gate_changed": _("gate changed"),
    "boarding": _("boarding"),
    "delayed": _("delayed"),
    "departed": _("departed"),
    "arrived": _("arrived"),
    "cancelled": _("cancelled"),
    "automated_reply": _("automated reply"),
    "opt_out_confirmation": _("opt-out confirmation"),
    "opt_in_again_confirmation": _("confirmation of signing up again"),
    "opt_in_already": _("already signed up"),
    "agent_follow_up": _("follow-up template"),
    "csat_question": _("satisfaction question"),
    "group_joined": _("joined an update group"),
    "group_owner_joined": _("someone joined your group"),
    "group_departed": _("departed (update group)"),
    "group_delayed": _("delayed (update group)"),
    "group_arrived": _("arrived (update group)"),
    "group_trip_answer": _("trip answer (update group)"),
    "departure_reminder": _("departure reminder"),
    "departure_reminder_document": _("departure reminder with document"),
    "diverted": _("diverted"),
    "schedule_changed": _("new schedule"),
    "group_diverted": _("diverted (update group)"),
    "group_schedule_changed": _("new schedule (update group)"),
    "boarding_pass": _("boarding pass"),
    "ticket": _("rail ticket"),
    "callback_time_question": _("call-back: when to call"),
    "callback_number_question": _("call-back: number and time"),
    "callback_scheduled": _("call-back agreed"),
    "callback_moved": _("call-back moved"),
    "callback_missed": _("call-back: not reached"),
    "channel_switched": _("answered on another channel"),
}
# A message kind as a title: a notification in the thread, a template in the picker.
MESSAGE_TITLE = {
    "booking_confirmation": _("Booking confirmation"),
    "check_in_open": _("Check-in is open"),
    "gate_changed": _("Gate change"),
    "boarding": _("Boarding"),
    "delayed": _("Delay"),
    "departed": _("Departed"),
    "arrived": _("Arrived"),
    "cancelled": _("Cancellation"),
    "group_departed": _("Departed (update group)"),
    "group_delayed": _("Delay (update group)"),
    "group_arrived": _("Arrived (update group)"),
    "departure_reminder": _("Departure reminder"),
    "departure_reminder_document": _("Departure reminder with document"),
    "diverted": _("Diversion"),
    "schedule_changed": _("New schedule"),
    "group_diverted": _("Diversion (update group)"),
    "group_schedule_changed": _("New schedule (update group)"),
    "boarding_pass": _("Boarding pass"),
    "ticket": _("Rail ticket"),
    "agent_follow_up": _("Follow-up: we have an answer"),
    "csat_question": _("Satisfaction question"),
}
# Why automation handed a conversation to a person (Conversation.handover_reason, as stored).
HANDOVER_REASON = {
    "asked for a person": _("asked for a person"),
    "not understood by the automated replies": _("not understood by the automated replies"),
    "not answered by the automated replies": _("not answered by the automated replies"),
    "an agent replied": _("an agent replied"),
    "taken over by an agent": _("taken over by an agent"),
    "asked to be called": _("asked to be called"),
}
# The template picker's variables, as an agent reads them.
TEMPLATE_VARIABLE = {
    "name": _("name"),
    "topic": _("topic"),
    "service": _("flight"),
    "destination": _("destination"),
    "date": _("date"),
    "gate": _("gate"),
    "reason": _("reason"),
    "departure_time": _("departure time"),
    "scheduled_time": _("scheduled time"),
    "arrival_time": _("arrival time"),
    "baggage": _("baggage belt"),
    "check_in": _("check-in link"),
    "next_step": _("next step"),
    "reference": _("booking reference"),
    "traveller": _("traveller"),
}


def label(table: dict, code: str) -> str:
    return str(table.get(code, code))


# An agent's action on a conversation (webcare_inbox/audit.py), in the thread's activity lines.
ACTION_LABELS = {
    "assigned": _("assigned"),
    "unassigned": _("unassigned"),
    "auto_assigned": _("assigned by round-robin"),
    "team": _("moved to team"),
    "label_added": _("label added"),
    "label_removed": _("label removed"),
    "replied": _("replied"),
    "template_sent": _("sent a template"),
    "note": _("added a private note"),
    "resolved": _("resolved"),
    "reopened": _("reopened"),
    "pending": _("marked pending"),
    "snoozed": _("snoozed until"),
    "woke": _("snooze ended"),
    "handed_to_bot": _("handed back to automation"),
    "handed_to_human": _("handed over to a person"),
    "csat_asked": _("satisfaction question sent"),
    "csat_answered": _("satisfaction score"),
    "callback_requested": _("call-back requested"),
    "callback_scheduled": _("call-back agreed for"),
    "callback_moved": _("call-back moved to"),
    "callback_done": _("called back"),
    "callback_not_reached": _("called, not reached"),
    "callback_cancelled": _("call-back cancelled"),
    "channel_switched": _("continued on another channel"),
}
