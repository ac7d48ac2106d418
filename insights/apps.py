from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        """Plug into the seams core, the engine and the inbox own; none of them imports this app."""
        from core.rollout import rollout_gate_register
        from insights import receivers, tasks  # noqa: F401
        from insights.rollout import rollout_gate
        from insights.surveys import inbound_survey_answer, resolve_survey
        from webcare_inbox.csat import resolve_survey_register
        from webcare_inbox.services import inbound_handler_register

        rollout_gate_register(rollout_gate)
        inbound_handler_register(inbound_survey_answer, ahead=True)
        resolve_survey_register(resolve_survey)
