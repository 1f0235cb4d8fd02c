"""Proposal pages, by concern: drafting, detail, review, handling, evaluation
and supervision, settings. Thin: selectors read, rules decide, services write.

Objects are loaded through querysets filtered by the current committee, so
another committee's proposal answers 404; a proposal the user may not see
answers 404 too (its existence is not revealed)."""
