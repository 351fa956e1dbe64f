"""Closing the loop: the actions a department takes on what its figures show (`records`), and
the reminder its owner gets when one falls due (`reminders`)."""
