"""Internal-customer rating polls: triggers, the fatigue budget, delivery and answers."""
