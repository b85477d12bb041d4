"""Training (issue 18, items 1-3): providers, courses, wishes, enrolment, attendance, the league's
digital 职业培训券, and the subsidy cases opened at completion (免申即享). See docs/training.md."""
