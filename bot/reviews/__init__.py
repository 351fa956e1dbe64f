"""External reviews: routing, storing, alerting and importing."""
