"""Dialogs: each exposes a class method (such as `ask()`) that tests can replace."""
