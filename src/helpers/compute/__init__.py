"""Stage 2: compute — sub-targets and actuals, 完成率 against 序时进度, statuses, checks, history."""
