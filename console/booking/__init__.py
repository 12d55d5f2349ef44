"""Schedules, slots, holds, appointments, reminders and cancellation rules."""
