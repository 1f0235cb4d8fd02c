"""Public-opinion pages. Thin: selectors read (scoped to the committee, so
another committee's object is 404), rules decide, services write.

- ``reports``: members' reports, drafts and the report page
- ``editing``: the staff queue, edited items, forwarding, adoptions, instructions
- ``issues``: issues and their publication
- ``stats``: the year's statistics and the settings"""

from lvzhi.opinions.views.editing import (
    adoption_create,
    adoption_edit,
    adoption_withdraw,
    instruction_create,
    instruction_withdraw,
    instruction_write,
    item_detail,
    item_edit,
    item_forward,
    item_list,
    item_merge,
    queue,
    queue_export,
    report_accept,
    report_not_use,
)
from lvzhi.opinions.views.issues import (
    issue_add_items,
    issue_create,
    issue_detail,
    issue_edit,
    issue_list,
    issue_move_item,
    issue_print,
    issue_publish,
    issue_remove_item,
)
from lvzhi.opinions.views.reports import (
    attachment_download,
    my_reports,
    report_create,
    report_detail,
    report_edit,
    report_submit,
)
from lvzhi.opinions.views.stats import settings_edit, stats, stats_export

__all__ = [
    "adoption_create",
    "adoption_edit",
    "adoption_withdraw",
    "attachment_download",
    "instruction_create",
    "instruction_withdraw",
    "instruction_write",
    "issue_add_items",
    "issue_create",
    "issue_detail",
    "issue_edit",
    "issue_list",
    "issue_move_item",
    "issue_print",
    "issue_publish",
    "issue_remove_item",
    "item_detail",
    "item_edit",
    "item_forward",
    "item_list",
    "item_merge",
    "my_reports",
    "queue",
    "queue_export",
    "report_accept",
    "report_create",
    "report_detail",
    "report_edit",
    "report_not_use",
    "report_submit",
    "settings_edit",
    "stats",
    "stats_export",
]
