from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse

from contact_reasons import services
from contact_reasons.models import ReasonLabel, ReasonModel, ReasonPrediction, ReasonRoute


@admin.register(ReasonModel)
class ReasonModelAdmin(admin.ModelAdmin):
    """Versions are made by training (the button, beat, `manage.py contact_reasons_train`)."""

    list_display = ("version", "trained_at", "examples", "cv_accuracy", "cv_macro_f1", "seconds")
    exclude = ("blob",)
    readonly_fields = ("version", "trained_at", "examples", "counts", "cv_accuracy", "cv_macro_f1")
    change_list_template = "admin/contact_reasons/reasonmodel/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        train = self.admin_site.admin_view(self.train_view)
        return [path("train/", train, name="contact_reasons_train"), *super().get_urls()]

    def train_view(self, request: HttpRequest):
        if request.method == "POST" and request.user.has_perm("contact_reasons.view_reasonmodel"):
            try:
                model = services.model_train()
            except services.NotEnoughLabels as why:
                self.message_user(request, f"Not trained: {why}.", messages.WARNING)
            else:
                self.message_user(
                    request,
                    f"Trained version {model.version} on {model.examples} labels "
                    f"in {model.seconds:.1f}s.",
                )
        return HttpResponseRedirect(reverse("admin:contact_reasons_reasonmodel_changelist"))


@admin.register(ReasonLabel)
class ReasonLabelAdmin(admin.ModelAdmin):
    list_display = ("conversation", "reason", "source", "agent", "labelled_at")
    list_filter = ("reason", "source")
    raw_id_fields = ("conversation", "prediction")


@admin.register(ReasonPrediction)
class ReasonPredictionAdmin(admin.ModelAdmin):
    list_display = ("conversation", "reason", "confidence", "model", "routed_to", "predicted_at")
    list_filter = ("reason", "model")
    raw_id_fields = ("conversation",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReasonRoute)
class ReasonRouteAdmin(admin.ModelAdmin):
    list_display = ("reason", "team", "min_confidence")
