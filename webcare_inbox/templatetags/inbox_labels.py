from django import template

from webcare_inbox import labels

register = template.Library()


@register.filter
def conversation_status(code: str) -> str:
    return labels.label(labels.CONVERSATION_STATUS, code)


@register.filter
def tick_label(code: str) -> str:
    return labels.label(labels.TICK, code or "pending")


@register.filter
def language_label(code: str) -> str:
    return labels.label(labels.LANGUAGE, code)


@register.filter
def formality_label(code: str) -> str:
    return labels.label(labels.FORMALITY, code)


@register.filter
def variable_label(name: str) -> str:
    return labels.label(labels.TEMPLATE_VARIABLE, name)


@register.filter
def handover_reason_label(reason: str) -> str:
    return labels.label(labels.HANDOVER_REASON, reason)
