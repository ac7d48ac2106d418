from django import template

register = template.Library()


@register.filter
def cell(row: dict, column: str):
    """A row's value for the export tables: lists and dicts as compact text, None as a dash."""
    value = row.get(column)
    if value is None or value == "":
        return "–"
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return value
