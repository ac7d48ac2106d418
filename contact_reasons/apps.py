from django.apps import AppConfig


class ContactReasonsConfig(AppConfig):
    name = "contact_reasons"
    verbose_name = "Contact reasons"

    def ready(self) -> None:
        """Plug into the seams the inbox owns; the inbox never imports this app."""
        from contact_reasons import services
        from contact_reasons.suggestion import suggestion_context
        from contact_reasons.tasks import conversation_predict
        from notifications.models import Lane
        from webcare_inbox.selectors import ThreadSection, thread_section_register
        from webcare_inbox.services import conversation_observer_register
        from webcare_inbox.workflow import label_observer_register

        def predict_later(conversation_id: int) -> None:
            conversation_predict.apply_async(args=[conversation_id], queue=Lane.INTERACTIVE)

        conversation_observer_register(predict_later)
        label_observer_register(services.inbox_label_added)
        thread_section_register(
            ThreadSection(template="contact_reasons/_suggestion.html", context=suggestion_context)
        )
