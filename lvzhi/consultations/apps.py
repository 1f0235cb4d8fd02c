from django.utils.translation import gettext_lazy as _

from lvzhi.core import app_config


class ConsultationsConfig(app_config.LvzhiAppConfig):
    name = "lvzhi.consultations"
    verbose_name = _("Consultations and supervision")

    def register(self) -> None:
        from lvzhi.consultations import todos

        todos.register()
        from lvzhi.core.navigation import NavItem, register
        from lvzhi.org.home import Shortcut, register_shortcuts

        register(
            NavItem(
                _("Consultations"),
                "consultations:consultation_list",
                "consultations.view_section",
                "chat-square-text",
                50,
            ),
        )
        plan = Shortcut(
            _("Consultation plans"),
            "consultations:plan_list",
            "consultations.view_plans",
            "calendar-check",
        )
        propose = Shortcut(
            _("Propose a consultation topic"),
            "consultations:topic_create",
            "consultations.propose_topic",
            "lightbulb",
        )
        my_topics = Shortcut(
            _("Consultation topics"),
            "consultations:topic_list",
            "consultations.propose_topic",
            "list-ul",
        )
        consultations = Shortcut(
            _("Consultations"),
            "consultations:consultation_list",
            "consultations.view_section",
            "chat-square-text",
        )
        register_shortcuts("member", consultations, plan, propose, my_topics)
        register_shortcuts(
            "staff:consultations",
            consultations,
            Shortcut(
                _("Consultation topics"),
                "consultations:topic_list",
                "consultations.manage",
                "list-ul",
            ),
            plan,
            Shortcut(
                _("Democratic supervision"),
                "consultations:supervision_list",
                "consultations.manage",
                "clipboard-check",
            ),
            Shortcut(
                _("Rectification findings"),
                "consultations:finding_list",
                "consultations.manage",
                "exclamation-triangle",
            ),
            Shortcut(
                _("Evaluation standard"),
                "consultations:criterion_list",
                "consultations.manage",
                "star-half",
            ),
        )
        register_shortcuts(
            "unit",
            Shortcut(
                _("Consultation outcomes and findings for us"),
                "consultations:unit_inbox",
                "consultations.view_unit_inbox",
                "inbox",
            ),
        )
        register_shortcuts(
            "leader",
            consultations,
            plan,
            Shortcut(
                _("Democratic supervision"),
                "consultations:supervision_list",
                "consultations.view_supervision",
                "clipboard-check",
            ),
        )
        register_shortcuts(
            "gov_leader",
            propose,
            my_topics,
            plan,
            Shortcut(
                _("Consultation outcomes for party and government"),
                "consultations:gov_outcomes",
                "consultations.view_gov_outcomes",
                "send-check",
            ),
        )
