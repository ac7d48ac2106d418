"""The admin's privacy pages: find a person, read their export, download it, erase them; the
suppression list and the record of erasures and exports, read-only."""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy import services
from privacy.models import Person, PrivacyRecord, SuppressedAddress
from privacy.selectors import Lookup


def _actor(request: HttpRequest) -> str:
    return f"admin {request.user.get_username()}"


def _columns(rows: list[dict]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    return names


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "language", "created_at")
    search_fields = (
        "given_name",
        "family_name",
        "=contact_points__address",
        "=passengers__booking__reference",
    )
    search_help_text = gettext_lazy("Name, phone number (+31…), Messenger id or booking reference.")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(erased_at__isnull=True)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # erasing is not deleting: see the person's page

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("privacy.export_person")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/export.json", view(self.export_json), name="privacy_person_export"),
            path("<int:pk>/erase/", view(self.erase), name="privacy_person_erase"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = services.person_export(
            lookup=Lookup(customer_id=person.pk), actor=_actor(request), via="admin"
        )
        tables = [
            {"label": label, "rows": rows, "columns": _columns(rows)}
            for label, rows in document["data"].items()
            if rows
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("%(person)s: everything held") % {"person": person},
            "person": person,
            "document": document,
            "tables": tables,
            "history_columns": ["at", "channel", "address", "action", "source"],
            "can_erase": request.user.has_perm("privacy.erase_person"),
            "records": PrivacyRecord.objects.filter(customer_id=person.pk)[:20],
        }
        return TemplateResponse(request, "admin/privacy/person/export.html", context)

    def export_json(self, request, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        document = services.person_export(
            lookup=Lookup(customer_id=person.pk), actor=_actor(request), via="admin"
        )
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="person-{pk}.json"'
        return response

    def erase(self, request, pk: int) -> HttpResponse:
        if not request.user.has_perm("privacy.erase_person"):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=pk)
        if request.method == "POST":
            erasure = services.person_erase(
                lookup=Lookup(customer_id=person.pk), actor=_actor(request), via="admin"
            )
            if erasure.already_erased:
                messages.info(request, _("This person was erased before; nothing was left."))
            else:
                messages.success(
                    request,
                    _(
                        "Erased person %(pk)s: %(rows)s rows removed or anonymised in %(tables)s "
                        "tables; %(addresses)s address(es) on the suppression list (erasure "
                        "%(erasure)s)."
                    )
                    % {
                        "pk": pk,
                        "rows": sum(erasure.rows.values()),
                        "tables": len(erasure.rows),
                        "addresses": erasure.suppressed,
                        "erasure": erasure.record.id,
                    },
                )
            return redirect(reverse("admin:privacy_person_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Erase %(person)s?") % {"person": person},
            "person": person,
            "addresses": person.contact_points.all(),
            "bookings": person.passengers.select_related("booking"),
        }
        return TemplateResponse(request, "admin/privacy/person/erase.html", context)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(ReadOnly):
    list_display = ("channel", "__str__", "reason", "since")
    list_filter = ("channel", "reason")


@admin.register(PrivacyRecord)
class PrivacyRecordAdmin(ReadOnly):
    list_display = ("at", "action", "via", "actor", "customer_id")
    list_filter = ("action", "via")
    readonly_fields = ("at", "action", "via", "actor", "customer_id", "rows")
    exclude = ("subject_hashes",)
