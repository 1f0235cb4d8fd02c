"""Audit codes of the reports: reading writes nothing but the export's row."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.audit import Category, audit_actions_in

export_action = audit_actions_in(Category.EXPORT)

TABLE_EXPORT = export_action("reports.table_export", _("report table exported"))
YEAR_EXPORT = export_action("reports.year_export", _("year in words exported"))
