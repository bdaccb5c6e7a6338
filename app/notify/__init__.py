"""Notifications (DESIGN §6): the outbox, who hears what, and delivery by channel."""
